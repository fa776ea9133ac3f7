"""The audit log: who did what, when, to which account. Append-only.

Every staff and admin action (taking over, replying, handing back, logging a
call, changing settings, templates or API keys, importing) records one entry.
Entries are never changed or deleted by the application: the ORM refuses it.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import event, select
from sqlalchemy.orm import Session

from bot.clock import utcnow
from bot.models import AuditEntry


@dataclass(frozen=True)
class Actor:
    """Who acts: a portal user, or a dealer API key.

    `label` is what the audit log records (an email or `api-key:<prefix>`);
    `name` is what colleagues see ("held by Sam Ortiz").
    """

    label: str
    name: str
    user_id: int | None = None

    @classmethod
    def api_key(cls, prefix: str, key_label: str) -> Actor:
        """The actor for a request authenticated by an API key."""
        return cls(f"api-key:{prefix}", f"API key {key_label} ({prefix}…)")


class AuditLogIsAppendOnly(RuntimeError):
    """Raised when code tries to change or delete an audit entry."""


def append_only(model: type, error: type[Exception], what: str) -> None:
    """Make the ORM refuse to change or delete a row of `model` (raising `error`)."""

    def refuse_update(*_args: object) -> None:
        raise error(f"{what} cannot be changed")

    def refuse_delete(*_args: object) -> None:
        raise error(f"{what} cannot be deleted")

    event.listen(model, "before_update", refuse_update)
    event.listen(model, "before_delete", refuse_delete)


append_only(AuditEntry, AuditLogIsAppendOnly, "audit entries")


def record(session: Session, dealer_id: int, actor: Actor, action: str, *,
           account_id: int | None = None, details: str | None = None) -> AuditEntry:
    """Append one entry (committed with the action it describes)."""
    entry = AuditEntry(created_at=utcnow(), dealer_id=dealer_id, actor=actor.label,
                       action=action, account_id=account_id, details=details)
    session.add(entry)
    return entry


def entries(session: Session, dealer_id: int, *, action: str | None = None,
            account_id: int | None = None, limit: int = 200) -> list[AuditEntry]:
    """A dealer's entries, newest first, optionally for one action or account."""
    query = select(AuditEntry).where(AuditEntry.dealer_id == dealer_id)
    if action:
        query = query.where(AuditEntry.action == action)
    if account_id:
        query = query.where(AuditEntry.account_id == account_id)
    return list(session.execute(
        query.order_by(AuditEntry.created_at.desc(), AuditEntry.id.desc()).limit(limit)
    ).scalars())
