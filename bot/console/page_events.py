"""What borrowers did on their self-service page, as lines of the transcript staff see.

The page (bot/web/self_service.py) records each action here in the same
transaction as the action itself; the console's timeline (bot/console/timeline.py)
shows them between the texts, and open consoles hear of them live.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot import live_events
from bot.models import Account, SelfServiceEvent

OPENED = "opened"
PAID = "paid"
PAYMENT_FAILED = "payment_failed"
PLAN = "plan"
CARD = "card"
PREFERENCES = "preferences"


def record(session: Session, account: Account, action: str, detail: str) -> SelfServiceEvent:
    """Append one page action to the borrower's transcript (committed with the action)."""
    event = SelfServiceEvent(dealer_id=account.dealer_id, borrower_id=account.borrower_id,
                             account_id=account.id, action=action, detail=detail)
    session.add(event)
    session.flush()
    # Consoles refresh a transcript on a "message" event about its borrower.
    live_events.announce(session, account.dealer_id, live_events.MESSAGE,
                         borrower_id=account.borrower_id, direction="page", author="borrower")
    return event


def events_for(session: Session, borrower_id: int) -> list[SelfServiceEvent]:
    """Every page action of the borrower, oldest first."""
    return list(session.execute(
        select(SelfServiceEvent).where(SelfServiceEvent.borrower_id == borrower_id)
        .order_by(SelfServiceEvent.created_at, SelfServiceEvent.id)
    ).scalars())
