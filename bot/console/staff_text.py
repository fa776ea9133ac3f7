"""What staff type (a reply, a hand-back note), checked once for the console and the API."""

from __future__ import annotations

from bot.messaging.inbound import MAX_BODY, clean_body

MAX_NOTE = 2000


class StaffTextError(ValueError):
    """The text cannot be sent or stored; the message says why."""


def _storable(raw: str) -> str:
    try:
        raw.encode("utf-8")
    except UnicodeEncodeError:
        raise StaffTextError("the text has characters that cannot be sent") from None
    return clean_body(raw) if len(raw) <= MAX_BODY else raw


def reply_text(raw: object) -> str:
    """A staff reply: non-empty text, at most one SMS body (1,600 characters)."""
    if not isinstance(raw, str) or not raw.strip():
        raise StaffTextError("write a message first")
    if len(raw) > MAX_BODY:
        raise StaffTextError(f"a text can be at most {MAX_BODY} characters")
    text = _storable(raw).strip()
    if not text:
        raise StaffTextError("write a message first")
    return text


def note_text(raw: object) -> str | None:
    """A hand-back note (optional), at most MAX_NOTE characters."""
    if raw is None:
        return None
    if not isinstance(raw, str):
        raise StaffTextError("the note must be text")
    if len(raw) > MAX_NOTE:
        raise StaffTextError(f"a note can be at most {MAX_NOTE} characters")
    return _storable(raw.replace("\x00", "")).strip() or None
