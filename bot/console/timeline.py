"""The console's transcript: every text, the moments a person stepped in or out, and
what the borrower did on the self-service page.

Texts come from the message log; the escalation moments (escalated, taken
over, handed back with its note) come from the escalations themselves, so the
hand-back note stays in the transcript without being mistaken for a text; page
actions (opened, paid, set up a plan, ...) from bot/console/page_events.py.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from bot.console.page_events import events_for
from bot.console.transcript import escalations_for, messages_for
from bot.models import Escalation, Message, SelfServiceEvent

AUTHOR_LABELS = {"borrower": "Borrower", "bot": "Bot", "staff": "Staff", "system": "System"}


@dataclass(frozen=True)
class TimelineItem:
    """One line of the transcript: a text (`message`), an escalation moment, or an action
    on the self-service page (`page_event`)."""

    at: datetime
    order: int
    message: Message | None = None
    escalation: Escalation | None = None
    moment: str | None = None  # escalated | taken_over | handed_back | page
    page_event: SelfServiceEvent | None = None

    @property
    def label(self) -> str:
        """Who speaks, as shown ("Borrower", "Bot", "Staff")."""
        if self.page_event is not None:
            return "Self-service page"
        if self.message is None:
            return "Console"
        return AUTHOR_LABELS.get(self.message.author, self.message.author.title())


def _moments(escalation: Escalation) -> list[TimelineItem]:
    items = [TimelineItem(escalation.created_at, 0, escalation=escalation, moment="escalated")]
    if escalation.taken_at is not None:
        items.append(TimelineItem(escalation.taken_at, 1, escalation=escalation,
                                  moment="taken_over"))
    if escalation.resolved_at is not None:
        items.append(TimelineItem(escalation.resolved_at, 2, escalation=escalation,
                                  moment="handed_back"))
    return items


def timeline(session: Session, borrower_id: int) -> list[TimelineItem]:
    """The borrower's texts, escalation moments and page actions, oldest first."""
    items = [TimelineItem(m.created_at, 0, message=m) for m in messages_for(session, borrower_id)]
    items += [TimelineItem(e.created_at, 0, moment="page", page_event=e)
              for e in events_for(session, borrower_id)]
    # Taking over and handing back act on the whole conversation at once: one line each,
    # however many of the borrower's escalations they covered.
    seen: set[tuple] = set()
    for escalation in escalations_for(session, borrower_id):
        for item in _moments(escalation):
            key = (item.moment, item.at, escalation.holder_name)
            if item.moment != "escalated" and key in seen:
                continue
            seen.add(key)
            items.append(item)
    return sorted(items, key=lambda item: (item.at, item.order,
                                           item.message.id if item.message else 0,
                                           item.page_event.id if item.page_event else 0))
