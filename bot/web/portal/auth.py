"""Logging in and out, and changing one's password.

Five wrong passwords lock a login for fifteen minutes. Every refusal reads the
same - a wrong email, a wrong password and a locked login - so the form never
tells which emails have logins. Logging out ends the session on the server.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import flash, g, redirect, render_template, request, session, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_user, logout_user

from bot.audit import record
from bot.console.users import (
    LOCK_MINUTES,
    MAX_FAILURES,
    MIN_PASSWORD_LENGTH,
    UserError,
    authenticate,
    end_sessions,
    set_password,
)
from bot.models import User
from bot.web.portal import bp
from bot.web.portal.helpers import PortalUser

REFUSED = (f"Wrong email or password. After {MAX_FAILURES} wrong tries a login is locked "
           f"for {LOCK_MINUTES} minutes.")


def _safe_next(target: str | None) -> str | None:
    """Only a path on this site (no open redirect to another host)."""
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/portal"):
        return None
    return target


def home_for(user: PortalUser) -> str:
    """Where a user lands: admins on the dashboard, staff on the queue."""
    return url_for("portal.dashboard") if user.is_admin else url_for("portal.queue")


@bp.get("/")
def index() -> ResponseReturnValue:
    """The portal's front door."""
    return redirect(home_for(current_user))


@bp.route("/login", methods=["GET", "POST"])
def login() -> ResponseReturnValue:
    """The login form; on success, a fresh session."""
    if request.method == "GET":
        if current_user.is_authenticated:
            return redirect(home_for(current_user))
        return render_template("portal/login.html")
    email = request.form.get("email", "")
    result = authenticate(g.db, email, request.form.get("password", ""))
    if result.user is None:
        g.db.commit()  # keep the failure count
        return render_template("portal/login.html", error=REFUSED, email=email), 401
    user = PortalUser.of(result.user)
    record(g.db, user.dealer_id, user.actor, "login")
    g.db.commit()
    next_page = _safe_next(request.args.get("next"))
    session.clear()  # a new session on login: no fixation
    login_user(user)
    return redirect(next_page or home_for(user))


@bp.post("/logout")
def logout() -> ResponseReturnValue:
    """End the session, on the server too: a copy of the cookie no longer works.

    Every session of the user ends (the per-user session version moves on).
    """
    end_sessions(g.db, current_user.id)
    g.db.commit()
    logout_user()
    session.clear()
    flash("You are logged out.")
    return redirect(url_for("portal.login"))


def _password_page(error: str | None = None, status: int = 200) -> ResponseReturnValue:
    return render_template("portal/password.html", error=error,
                           min_length=MIN_PASSWORD_LENGTH), status


@bp.route("/password", methods=["GET", "POST"])
def password() -> ResponseReturnValue:
    """Change one's own password (the current one is asked); every session ends."""
    if request.method == "GET":
        return _password_page()
    user = g.db.get(User, current_user.id)
    result = authenticate(g.db, user.email, request.form.get("current_password", ""))
    if result.user is None:
        g.db.commit()  # a wrong current password counts towards the lock-out
        return _password_page(REFUSED.replace("email or ", ""), 400)
    try:
        set_password(g.db, result.user, request.form.get("new_password", ""))
    except UserError as error:
        g.db.rollback()
        return _password_page(str(error), 400)
    record(g.db, user.dealer_id, current_user.actor, "password_changed")
    g.db.commit()
    logout_user()
    session.clear()
    flash("Your password was changed. Log in again with the new one.")
    return redirect(url_for("portal.login"))
