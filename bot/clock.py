"""The one source of "now" (naive UTC, as stored in the database)."""

from __future__ import annotations

from datetime import datetime, timezone


def utcnow() -> datetime:
    """Naive UTC now; every timestamp column stores naive UTC."""
    return datetime.now(timezone.utc).replace(tzinfo=None)


def iso_utc(moment: datetime | None) -> str | None:
    """A stored naive-UTC moment as ISO 8601 with a Z (the API's form)."""
    return moment.isoformat() + "Z" if moment is not None else None
