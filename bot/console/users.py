"""Portal users: creating them, and checking a password with lock-out.

Passwords are hashed with werkzeug's scrypt. Five wrong passwords in a row
lock the user out for fifteen minutes; a right password resets the count.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

from bot.clock import utcnow
from bot.models import Dealer, User

ROLES = ("admin", "staff")
MAX_FAILURES = 5
LOCK_MINUTES = 15
MIN_PASSWORD_LENGTH = 10
# Checked when the email is unknown, so a wrong email costs as long as a wrong password.
_DUMMY_HASH = generate_password_hash("not-a-real-password")


class UserError(ValueError):
    """Invalid user details; the message says which and why."""


@dataclass(frozen=True)
class LoginResult:
    """The user on success; otherwise why not (`locked_until` when locked out)."""

    user: User | None
    locked_until: datetime | None = None


def normalise_email(email: str) -> str:
    """Emails compare case-insensitively and without surrounding spaces."""
    return (email or "").strip().lower()


def create_user(session: Session, *, dealer_id: int, email: str, name: str, role: str,
                password: str) -> User:
    """Create a dealer admin or staff member with a hashed password."""
    email = normalise_email(email)
    if role not in ROLES:
        raise UserError(f"role must be one of {', '.join(ROLES)}")
    if "@" not in email or len(email) > 255:
        raise UserError(f"not an email address: {email!r}")
    if not name.strip():
        raise UserError("name must not be empty")
    if len(password) < MIN_PASSWORD_LENGTH:
        raise UserError(f"the password must have at least {MIN_PASSWORD_LENGTH} characters")
    if session.get(Dealer, dealer_id) is None:
        raise UserError(f"no dealer {dealer_id}")
    if session.execute(select(User.id).where(func.lower(User.email) == email)).first():
        raise UserError(f"{email} already has a login")
    user = User(dealer_id=dealer_id, email=email, name=name.strip(), role=role,
                password_hash=generate_password_hash(password))
    session.add(user)
    session.flush()
    return user


def authenticate(session: Session, email: str, password: str,
                 now: datetime | None = None) -> LoginResult:
    """Check a login; counts failures and locks the user after MAX_FAILURES in a row."""
    now = now or utcnow()
    user = session.execute(
        select(User).where(func.lower(User.email) == normalise_email(email))
    ).scalar_one_or_none()
    if user is None:
        check_password_hash(_DUMMY_HASH, password)
        return LoginResult(None)
    if user.locked_until is not None and user.locked_until > now:
        return LoginResult(None, user.locked_until)
    if not check_password_hash(user.password_hash, password):
        user.failed_logins = (user.failed_logins or 0) + 1
        if user.failed_logins >= MAX_FAILURES:
            user.failed_logins, user.locked_until = 0, now + timedelta(minutes=LOCK_MINUTES)
            return LoginResult(None, user.locked_until)
        return LoginResult(None)
    user.failed_logins, user.locked_until = 0, None
    return LoginResult(user)
