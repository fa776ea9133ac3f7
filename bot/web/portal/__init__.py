"""The dealer portal and staff console: server-rendered pages under /portal.

Sessions are Flask-Login's (a signed cookie: HttpOnly, SameSite=Lax, Secure
when served over https); every form and every JSON POST carries a CSRF token
(Flask-WTF). Each request gets its own database session, and every page reads
only the logged-in user's dealer: another dealer's object is a 404, never a 403.
Staff may use the console and read accounts; dealer admins may do everything.
"""

from __future__ import annotations

from flask import Blueprint, Flask, g, render_template, request
from flask.typing import ResponseReturnValue
from flask_login import LoginManager, current_user
from flask_wtf.csrf import CSRFError, CSRFProtect

from bot.db import new_session
from bot.models import Dealer, User
from bot.web.api import _close_session as close_request_session

bp = Blueprint("portal", __name__, url_prefix="/portal")
login_manager = LoginManager()
login_manager.login_view = "portal.login"
login_manager.login_message = "Please log in to continue."
csrf = CSRFProtect()

PUBLIC_ENDPOINTS = {"portal.login"}
SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}
SECURITY_HEADERS = {
    "Content-Security-Policy": ("default-src 'self'; img-src 'self' data:; style-src 'self'; "
                                "script-src 'self'; frame-ancestors 'none'; form-action 'self'"),
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Cache-Control": "no-store",
}


def register(app: Flask) -> None:
    """Install the portal on an app: login sessions, CSRF, the blueprint and its pages."""
    # CSRF is checked by the portal itself (below), so the webhooks, the JSON API
    # and the demo simulator keep working without tokens.
    app.config.setdefault("WTF_CSRF_CHECK_DEFAULT", False)
    # A console tab stays open all day: the token lives as long as the session.
    app.config.setdefault("WTF_CSRF_TIME_LIMIT", None)
    csrf.init_app(app)
    login_manager.init_app(app)
    from bot.web.portal import (  # noqa: F401 - registers the routes
        accounts,
        accounts_import,
        audit,
        auth,
        calls,
        consent,
        console,
        console_actions,
        dashboard,
        events,
        experiments,
        policy,
        settings,
        stripe_connect,
        templates_editor,
        users,
    )

    app.register_blueprint(bp)


@login_manager.user_loader
def _load_user(reference: str) -> object | None:
    """The session's user, unless the session was ended on the server (logout, new
    password, user removed): its version must still be the user's."""
    from bot.web.portal.helpers import PortalUser

    user_id, _, version = reference.partition(":")
    if not (user_id.isdigit() and version.isdigit()):
        return None
    session = new_session()
    try:
        user = session.get(User, int(user_id))
        if user is None or (user.session_version or 0) != int(version):
            return None
        return PortalUser.of(user)
    finally:
        session.close()


@bp.before_request
def _before() -> ResponseReturnValue | None:
    g.db = new_session()
    if request.method not in SAFE_METHODS:
        csrf.protect()
    if request.endpoint in PUBLIC_ENDPOINTS:
        return None
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    g.dealer = g.db.get(Dealer, current_user.dealer_id)
    return None


@bp.after_request
def _security_headers(response: object) -> object:
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    from bot.web.portal.events import events_origin

    origin = events_origin()
    if origin:  # the live stream comes from the event server's own origin
        response.headers["Content-Security-Policy"] += f"; connect-src 'self' {origin}"
    return response


# The same per-request database session handling as the JSON API.
bp.teardown_request(close_request_session)


@bp.errorhandler(CSRFError)
def _csrf_error(error: CSRFError) -> ResponseReturnValue:
    return render_template("portal/error.html", title="Form expired",
                           message="This form has expired or was not sent from the portal. "
                                   "Go back, reload the page and try again."), 400


@bp.errorhandler(403)
def _forbidden(_error: Exception) -> ResponseReturnValue:
    return render_template("portal/error.html", title="Dealer admins only",
                           message="Only a dealer admin can open this page."), 403


@bp.errorhandler(404)
def _not_found(_error: Exception) -> ResponseReturnValue:
    return render_template("portal/error.html", title="Not found",
                           message="There is nothing here, or it belongs to someone else."), 404
