"""Answering one borrower text with the Rasa agent, inside the caller's turn.

Messaging owns the turn (bot/messaging/inbound.py): the conversation lock,
the database session and its commits. The agent runs inside it. Rasa takes
no lock of its own (the caller already holds the conversation's), and the
custom actions work in the caller's session instead of opening another: it
is handed to them here, keyed by conversation id, for the length of the
call. The same actions behind a standalone `rasa run actions` server find no
hosted session and open their own.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from sqlalchemy.orm import Session

from bot.db import session_scope
from bot.dialogue.agent import get_runner, loaded_runner
from bot.settings import get_settings


class ActionFailed(RuntimeError):
    """A custom action failed during the turn; the caller must roll its changes back."""


@dataclass
class _Host:
    session: Session
    failed: bool = False


_hosts: dict[str, _Host] = {}
_hosts_lock = threading.Lock()


def answer(session: Session, borrower_id: int, text: str) -> list[str]:
    """The bot's replies to a borrower's (already redacted) text, in order.

    Raises ActionFailed when an action failed: the borrower was answered with
    an apology in the tracker, and nothing the action half-did may be kept.
    """
    settings = get_settings()
    runner = get_runner(settings.model_path, settings.redis_url)
    sender_id = str(borrower_id)
    host = _Host(session)
    with _hosts_lock:
        _hosts[sender_id] = host
    try:
        replies = runner.respond(sender_id, text)
    finally:
        with _hosts_lock:
            _hosts.pop(sender_id, None)
    if host.failed:
        raise ActionFailed(f"an action failed for conversation {sender_id}")
    return replies


def forget_text(conversation_id: str, said: str, redacted: str) -> None:
    """Rewrite a text the agent already saw in its tracker (a card number found late)."""
    runner = loaded_runner()
    if runner is not None:
        runner.tracker_store.replace_text(conversation_id, said, redacted)


@contextmanager
def action_session(sender_id: str) -> Iterator[Session]:
    """The session an action for this conversation works in: the hosting turn's
    (its caller commits), else one of its own, committed when the action ends."""
    with _hosts_lock:
        host = _hosts.get(sender_id)
    if host is None:
        with session_scope() as session:
            yield session
        return
    try:
        yield host.session
    except Exception:
        host.failed = True
        raise
