"""A tracker store whose per-turn cost does not grow with the conversation.

A loan's conversation can last years. Rasa replays and re-serialises the
whole tracker on every turn (measured: 19 ms a turn at the start of a
conversation, 616 ms by turn 250 with plain `rasa run`). Our dialogue state
that matters lives in the database, and the full transcript lives in the
message log, so the tracker only needs the last few turns: on every save we
keep the last `keep_turns` user turns, preceded by a snapshot of the slots
and the active form. Four is one more than the memoization policy's history
(config.yml); every rule is one intent and one action.

Storage is a dict in this process, or Redis (shared by every worker) when
REDIS_URL is set.
"""

from __future__ import annotations

import json
from typing import Any

from rasa.core.tracker_store import SerializedTrackerAsText, TrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import (
    ActionExecuted,
    ActiveLoop,
    Event,
    SessionStarted,
    SlotSet,
    UserUttered,
)
from rasa.shared.core.trackers import DialogueStateTracker

ACTION_LISTEN = "action_listen"
ACTION_SESSION_START = "action_session_start"


def trimmed_events(tracker: DialogueStateTracker, keep_turns: int) -> list[Event]:
    """The tracker's events, cut to the last `keep_turns` user turns.

    The cut falls on the `action_listen` before a user message, so rules and
    memoization still see whole turns; slot values and the active form from
    before the cut are restated at the start.
    """
    events = list(tracker.events)
    user_turns = [i for i, event in enumerate(events) if isinstance(event, UserUttered)]
    if len(user_turns) <= keep_turns:
        return events
    cut = user_turns[-keep_turns]
    if cut > 0 and isinstance(events[cut - 1], ActionExecuted):
        cut -= 1
    head: list[Event] = [ActionExecuted(ACTION_SESSION_START), SessionStarted()]
    head += [
        SlotSet(slot.name, slot.value)
        for slot in tracker.slots.values()
        if slot.value is not None and slot.name != "session_started_metadata"
    ]
    if tracker.active_loop_name:
        head.append(ActiveLoop(tracker.active_loop_name))
    return head + events[cut:]


class BoundedTrackerStore(TrackerStore, SerializedTrackerAsText):
    """Keeps only the recent turns of each conversation (in memory or Redis)."""

    def __init__(
        self,
        domain: Domain | None = None,
        redis_url: str | None = None,
        keep_turns: int = 4,
        ttl_seconds: int = 30 * 24 * 3600,
        **kwargs: Any,
    ) -> None:
        """`redis_url` shares trackers between processes; without it, a dict."""
        super().__init__(domain, None, **kwargs)
        self.keep_turns = keep_turns
        self.ttl_seconds = ttl_seconds
        self._memory: dict[str, str] = {}
        self._redis = None
        if redis_url:
            import redis

            self._redis = redis.Redis.from_url(redis_url)

    def _key(self, sender_id: str) -> str:
        return f"textpay:tracker:{sender_id}"

    async def save(self, tracker: DialogueStateTracker) -> None:
        """Store the tracker, trimmed to its last few turns."""
        events = trimmed_events(tracker, self.keep_turns)
        dialogue = {
            "sender_id": tracker.sender_id,
            "events": [event.as_dict() for event in events],
        }
        self._store_text(tracker.sender_id, json.dumps(dialogue))

    def _store_text(self, sender_id: str, text: str) -> None:
        if self._redis is not None:
            self._redis.set(self._key(sender_id), text, ex=self.ttl_seconds)
        else:
            self._memory[sender_id] = text

    def stored_text(self, sender_id: str) -> str | None:
        """The stored conversation as JSON text, or None (also for audits and tests)."""
        if self._redis is not None:
            raw = self._redis.get(self._key(sender_id))
            return raw.decode() if raw else None
        return self._memory.get(sender_id)

    async def retrieve(self, sender_id: str) -> DialogueStateTracker | None:
        """The stored (already trimmed) tracker, or None for a new conversation."""
        text = self.stored_text(sender_id)
        if text is None:
            return None
        data = json.loads(text)
        return DialogueStateTracker.from_dict(sender_id, data["events"], self.domain.slots)

    async def retrieve_full_tracker(self, sender_id: str) -> DialogueStateTracker | None:
        """The same as `retrieve`: older turns live in the message log, not here."""
        return await self.retrieve(sender_id)

    def replace_text(self, sender_id: str, said: str, replacement: str) -> None:
        """Rewrite what the borrower said in a stored turn (a card number found late,
        see bot/redaction.py): its text and its parse, entities dropped."""
        text = self.stored_text(sender_id)
        if text is None:
            return
        dialogue = json.loads(text)
        for event in dialogue["events"]:
            if event.get("event") == "user" and event.get("text") == said:
                event["text"] = replacement
                event["parse_data"] = {**(event.get("parse_data") or {}),
                                       "text": replacement, "entities": []}
        self._store_text(sender_id, json.dumps(dialogue))

    async def keys(self) -> list[str]:
        """Every stored conversation id."""
        if self._redis is not None:
            prefix = self._key("")
            return [key.decode()[len(prefix):] for key in self._redis.scan_iter(f"{prefix}*")]
        return list(self._memory)

    def forget_all(self) -> None:
        """Drop every conversation (tests reset between cases)."""
        if self._redis is not None:
            for key in self._redis.scan_iter(self._key("*")):
                self._redis.delete(key)
        self._memory.clear()
