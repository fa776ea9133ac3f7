"""Logging in and out. Five wrong passwords lock a login for fifteen minutes."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import flash, g, redirect, render_template, request, session, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_user, logout_user

from bot.audit import record
from bot.clock import utcnow
from bot.console.users import LOCK_MINUTES, authenticate
from bot.web.portal import bp
from bot.web.portal.helpers import PortalUser


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
        if result.locked_until is not None:
            minutes = max(1, int((result.locked_until - utcnow()).total_seconds() // 60) + 1)
            message = (f"Too many failed attempts. This login is locked for "
                       f"{min(minutes, LOCK_MINUTES)} more minutes.")
        else:
            message = "Wrong email or password."
        return render_template("portal/login.html", error=message, email=email), 401
    user = PortalUser.of(result.user)
    record(g.db, user.dealer_id, user.actor, "login")
    g.db.commit()
    next_page = _safe_next(request.args.get("next"))
    session.clear()  # a new session on login: no fixation
    login_user(user)
    return redirect(next_page or home_for(user))


@bp.post("/logout")
def logout() -> ResponseReturnValue:
    """End the session."""
    logout_user()
    session.clear()
    flash("You are logged out.")
    return redirect(url_for("portal.login"))
