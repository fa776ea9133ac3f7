"""Portal users: creating them, checking a password with lock-out, ending sessions.

Passwords are hashed with werkzeug's scrypt. Five wrong passwords in a row
lock the user out for fifteen minutes; a right password resets the count.

The count is kept by the database, not by the request: before a password is
checked, one conditional UPDATE takes an attempt (`failed_logins + 1`, only
while it is below five and the user is not locked) and commits. Requests
racing each other, in any process, cannot take more than five: only five
passwords are ever checked before the lock. A right password gives the
attempt back.

Sessions are revocable on the server: each user has a `session_version`,
carried in the session cookie and checked on every request; logging out,
changing the password or removing the user ends every session at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, or_, select, update
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


def _take_attempt(session: Session, user_id: int, now: datetime) -> bool:
    """One password check for this user, if the lock-out allows one (atomic, committed)."""
    # A lock that has run out is lifted first (for exactly one of racing requests).
    session.execute(update(User).where(User.id == user_id, User.locked_until <= now)
                    .values(failed_logins=0, locked_until=None)
                    .execution_options(synchronize_session=False))
    taken = session.execute(
        update(User)
        .where(User.id == user_id, User.failed_logins < MAX_FAILURES,
               or_(User.locked_until.is_(None), User.locked_until <= now))
        .values(failed_logins=User.failed_logins + 1)
        .execution_options(synchronize_session=False)
    ).rowcount == 1
    session.commit()  # racing requests, in any process, now see the attempt taken
    return taken


def _lock_if_spent(session: Session, user_id: int, now: datetime) -> None:
    session.execute(update(User).where(User.id == user_id, User.failed_logins >= MAX_FAILURES,
                                       User.locked_until.is_(None))
                    .values(locked_until=now + timedelta(minutes=LOCK_MINUTES))
                    .execution_options(synchronize_session=False))


def authenticate(session: Session, email: str, password: str,
                 now: datetime | None = None) -> LoginResult:
    """Check a login; at most MAX_FAILURES wrong passwords are ever checked before the
    user is locked for LOCK_MINUTES, however many requests race (see the docstring)."""
    now = now or utcnow()
    user = session.execute(
        select(User).where(func.lower(User.email) == normalise_email(email))
    ).scalar_one_or_none()
    if user is None or not _take_attempt(session, user.id, now):
        # The same work as a real check: an unknown email and a locked login take
        # as long as a wrong password.
        check_password_hash(_DUMMY_HASH, password)
        if user is not None:
            session.refresh(user)
        return LoginResult(None, user.locked_until if user is not None else None)
    if not check_password_hash(user.password_hash, password):
        _lock_if_spent(session, user.id, now)
        session.refresh(user)
        return LoginResult(None, user.locked_until)
    session.execute(update(User).where(User.id == user.id)
                    .values(failed_logins=0, locked_until=None)
                    .execution_options(synchronize_session=False))
    session.refresh(user)
    return LoginResult(user)


def end_sessions(session: Session, user_id: int) -> None:
    """Every session of this user ends (its cookies no longer log anyone in)."""
    session.execute(update(User).where(User.id == user_id)
                    .values(session_version=User.session_version + 1)
                    .execution_options(synchronize_session=False))


def set_password(session: Session, user: User, password: str) -> None:
    """A new password; every session of the user ends (log in again with it)."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise UserError(f"the password must have at least {MIN_PASSWORD_LENGTH} characters")
    user.password_hash = generate_password_hash(password)
    session.flush()
    end_sessions(session, user.id)


def remove_user(session: Session, user: User) -> None:
    """The login is deleted; its sessions end with it."""
    session.delete(user)
    session.flush()
