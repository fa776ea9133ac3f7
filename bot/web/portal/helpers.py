"""What every portal page needs: the logged-in user, tenant-safe lookups, roles,
and times and money shown the dealer's way."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timezone
from functools import wraps
from typing import TypeVar
from zoneinfo import ZoneInfo

from babel.dates import format_datetime
from flask import abort, g
from flask_login import UserMixin, current_user

from bot import localtime
from bot.audit import Actor
from bot.models import User
from bot.money import format_cents
from bot.web.portal import bp
from bot.web.portal.events import events_url

Row = TypeVar("Row")


@dataclass(frozen=True)
class PortalUser(UserMixin):
    """The logged-in user as Flask-Login keeps it (a snapshot, never a live row)."""

    id: int
    dealer_id: int
    email: str
    name: str
    role: str
    session_version: int = 0

    @classmethod
    def of(cls, user: User) -> PortalUser:
        """Snapshot a User row."""
        return cls(user.id, user.dealer_id, user.email, user.name, user.role,
                   user.session_version or 0)

    def get_id(self) -> str:
        """What the session cookie keeps: the user id and the session version it was
        issued under ("12:3"); a cookie of an older version logs no one in."""
        return session_id(self.id, self.session_version)

    @property
    def is_admin(self) -> bool:
        """Dealer admins may do everything for their dealer."""
        return self.role == "admin"

    @property
    def actor(self) -> Actor:
        """This user as the audit log and colleagues see them."""
        return Actor(self.email, self.name, self.id)


def session_id(user_id: int, version: int) -> str:
    """The session cookie's user reference (see PortalUser.get_id)."""
    return f"{user_id}:{version}"


def owned(model: type[Row], row_id: int) -> Row:
    """The logged-in dealer's row, or 404 (another dealer's row is 404 too, never 403)."""
    row = g.db.get(model, row_id)
    if row is None or row.dealer_id != current_user.dealer_id:
        abort(404)
    return row


def admin_required(view: Callable) -> Callable:
    """Only dealer admins: staff get 403 on their own dealer's admin pages."""

    @wraps(view)
    def wrapper(*args: object, **kwargs: object) -> object:
        if not current_user.is_admin:
            abort(403)
        return view(*args, **kwargs)

    return wrapper


def dealer_zone() -> ZoneInfo:
    """The logged-in dealer's time zone."""
    return localtime.dealer_zone(g.dealer)


def dealer_today() -> date:
    """Today's date where the logged-in dealer is."""
    return localtime.dealer_today(g.dealer)


def local_time(moment: datetime | None, pattern: str = "MMM d, h:mm a") -> str:
    """A stored naive-UTC moment in the dealer's zone ("Dec 1, 3:05 PM")."""
    if moment is None:
        return ""
    aware = moment.replace(tzinfo=timezone.utc).astimezone(dealer_zone())
    return format_datetime(aware, pattern, locale="en_US")


def iso_local(moment: datetime | None) -> str:
    """The machine-readable form for <time datetime=...>."""
    if moment is None:
        return ""
    return moment.replace(tzinfo=timezone.utc).astimezone(dealer_zone()).isoformat()


def money(cents: int | None) -> str:
    """Cents in the dealer's currency ("$1,200.00")."""
    if cents is None:
        return ""
    return format_cents(cents, g.dealer.currency)


def minutes_text(minutes: int) -> str:
    """90 -> "1 h 30 min"."""
    hours, rest = divmod(max(0, minutes), 60)
    if hours and rest:
        return f"{hours} h {rest} min"
    return f"{hours} h" if hours else f"{rest} min"


@bp.context_processor
def _template_helpers() -> dict:
    return {"local_time": local_time, "iso_local": iso_local, "money": money,
            "minutes_text": minutes_text, "dealer": g.get("dealer"), "events_url": events_url}
