"""The one source of "now" (naive UTC, as stored in the database)."""

from __future__ import annotations

from datetime import datetime, timezone


def utcnow() -> datetime:
    """Naive UTC now; every timestamp column stores naive UTC."""
    return datetime.now(timezone.utc).replace(tzinfo=None)
