"""Who can log in (admins): list the dealer's users and add staff or admins."""

from __future__ import annotations

from flask import flash, g, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user
from sqlalchemy import select

from bot.audit import record
from bot.console.users import MIN_PASSWORD_LENGTH, ROLES, UserError, create_user, remove_user
from bot.models import User
from bot.web.portal import bp
from bot.web.portal.helpers import admin_required, owned


def _page(status: int = 200, **extra: object) -> ResponseReturnValue:
    users = g.db.execute(select(User).where(User.dealer_id == g.dealer.id)
                         .order_by(User.name)).scalars().all()
    return render_template("portal/users.html", users=users, roles=ROLES,
                           min_length=MIN_PASSWORD_LENGTH, **{"form": {}, **extra}), status


@bp.get("/users")
@admin_required
def users() -> ResponseReturnValue:
    """The dealer's logins."""
    return _page()


@bp.post("/users")
@admin_required
def add_user() -> ResponseReturnValue:
    """Add a login for this dealer (never another dealer's)."""
    form = request.form
    try:
        user = create_user(g.db, dealer_id=g.dealer.id, email=form.get("email", ""),
                           name=form.get("name", ""), role=form.get("role", ""),
                           password=form.get("password", ""))
    except UserError as error:
        g.db.rollback()
        return _page(400, error=str(error), form=form)
    record(g.db, g.dealer.id, current_user.actor, "user_created",
           details=f"{user.email} ({user.role})")
    g.db.commit()
    flash(f"{user.name} can now log in as {user.email}.")
    return redirect(url_for("portal.users"))


@bp.post("/users/<int:user_id>/remove")
@admin_required
def remove(user_id: int) -> ResponseReturnValue:
    """Remove a login of this dealer (not one's own); its sessions end at once."""
    user = owned(User, user_id)
    if user.id == current_user.id:
        flash("You cannot remove your own login.")
        return redirect(url_for("portal.users"))
    record(g.db, g.dealer.id, current_user.actor, "user_removed", details=user.email)
    remove_user(g.db, user)
    g.db.commit()
    flash(f"{user.email} can no longer log in.")
    return redirect(url_for("portal.users"))
