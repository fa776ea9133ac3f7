"""Who needs a personal call: texting is not right for everyone.

Each account that owes money earns points for what worries a collector —
a broken promise, failed plan installments, hardship, texts left unanswered,
days late, a large amount at risk — and the list shows why it ranks where it
does, the borrower's local time and whether calling is allowed now (the same
08:00-21:00 window, or the dealer's tighter one, that applies to texts).

Accounts in dispute, with a wrong number, or called in the last two days are
left off: they need something other than another call.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from bot.console.account_view import days_late
from bot.escalations import ACTIVE
from bot.localtime import local_now, local_today
from bot.messaging.quiet_hours import may_send_now
from bot.models import (
    Account,
    Borrower,
    CallLog,
    ConversationState,
    Dealer,
    Dispute,
    Escalation,
    EscalationReason,
    Installment,
    Message,
    Plan,
    PlanStatus,
    Promise,
    Reminder,
)
from bot.money import format_cents

LOOKBACK_DAYS = 30
RECENT_CALL_HOURS = 48
UNANSWERED_REMINDERS = 2  # this many reminders since their last text: they are not reading
LARGE_AMOUNT_CENTS = 50_000
LIMIT = 100


@dataclass
class CallCandidate:
    """An account on the call list, its score and the reasons for it."""

    account: Account
    borrower: Borrower
    score: int = 0
    reasons: list[str] = field(default_factory=list)
    local_time: datetime | None = None
    may_call_now: bool = False

    def add(self, points: int, reason: str) -> None:
        """Count one worry."""
        self.score += points
        self.reasons.append(reason)


def _broken_promises(session: Session, dealer_id: int, since: datetime) -> dict[int, object]:
    rows = session.execute(
        select(Promise.account_id, func.max(Promise.promised_date))
        .where(Promise.dealer_id == dealer_id, Promise.status == "broken",
               Promise.updated_at >= since)
        .group_by(Promise.account_id)
    ).all()
    return dict(rows)


def _failed_installments(session: Session, dealer_id: int) -> Counter:
    rows = session.execute(
        select(Installment.account_id, func.count())
        .join(Plan, Plan.id == Installment.plan_id)
        .where(Plan.dealer_id == dealer_id,
               Plan.status.in_((PlanStatus.ACTIVE, PlanStatus.FAILED)),
               or_(Installment.status == "failed", Installment.failures > 0))
        .group_by(Installment.account_id)
    ).all()
    return Counter(dict(rows))


def _hardship_borrowers(session: Session, dealer_id: int, since: datetime) -> set[int]:
    escalated = session.execute(
        select(Escalation.borrower_id).where(Escalation.dealer_id == dealer_id,
                                             Escalation.reason == EscalationReason.HARDSHIP,
                                             Escalation.status.in_(ACTIVE))
    ).scalars()
    said = session.execute(
        select(ConversationState.borrower_id)
        .join(Borrower, Borrower.id == ConversationState.borrower_id)
        .where(Borrower.dealer_id == dealer_id, ConversationState.hardship_at >= since)
    ).scalars()
    return set(escalated) | set(said)


def _unanswered_reminders(session: Session, dealer_id: int, since: datetime) -> Counter:
    last_text = (select(Message.borrower_id, func.max(Message.created_at).label("at"))
                 .where(Message.dealer_id == dealer_id, Message.direction == "inbound")
                 .group_by(Message.borrower_id).subquery())
    rows = session.execute(
        select(Reminder.account_id, func.count())
        .join(Account, Account.id == Reminder.account_id)
        .outerjoin(last_text, last_text.c.borrower_id == Account.borrower_id)
        .where(Reminder.dealer_id == dealer_id, Reminder.status == "sent",
               Reminder.sent_at >= since,
               or_(last_text.c.at.is_(None), Reminder.sent_at > last_text.c.at))
        .group_by(Reminder.account_id)
    ).all()
    return Counter(dict(rows))


def _excluded_accounts(session: Session, dealer_id: int, now: datetime) -> set[int]:
    disputed = session.execute(
        select(Dispute.account_id).where(Dispute.dealer_id == dealer_id, Dispute.status == "open")
    ).scalars()
    called = session.execute(
        select(CallLog.account_id).where(
            CallLog.dealer_id == dealer_id,
            CallLog.created_at >= now - timedelta(hours=RECENT_CALL_HOURS))
    ).scalars()
    return set(disputed) | set(called)


def _owing_accounts(session: Session, dealer_id: int) -> list[tuple[Account, Borrower]]:
    return [(a, b) for a, b in session.execute(
        select(Account, Borrower).join(Borrower, Borrower.id == Account.borrower_id)
        .where(Account.dealer_id == dealer_id, Account.amount_due_cents > 0,
               and_(Borrower.wrong_number.is_(False), Borrower.invalid_number.is_(False)))
    ).all()]


def call_list(session: Session, dealer: Dealer, now: datetime) -> list[CallCandidate]:
    """Accounts that need a personal call, most urgent first."""
    since = now - timedelta(days=LOOKBACK_DAYS)
    broken = _broken_promises(session, dealer.id, since)
    failed = _failed_installments(session, dealer.id)
    hardship = _hardship_borrowers(session, dealer.id, since)
    unanswered = _unanswered_reminders(session, dealer.id, since)
    excluded = _excluded_accounts(session, dealer.id, now)
    candidates = []
    for account, borrower in _owing_accounts(session, dealer.id):
        if account.id in excluded:
            continue
        candidate = CallCandidate(account, borrower)
        if account.id in broken:
            candidate.add(40, f"Broke a promise to pay on {broken[account.id]:%b %d}")
        if failed[account.id]:
            candidate.add(30 + 5 * (failed[account.id] - 1),
                          f"{failed[account.id]} failed plan installment(s)")
        if borrower.id in hardship:
            candidate.add(30, "Told us about hardship")
        if unanswered[account.id] >= UNANSWERED_REMINDERS:
            candidate.add(15 + 5 * (unanswered[account.id] - UNANSWERED_REMINDERS),
                          f"No reply to the last {unanswered[account.id]} reminders")
        late = days_late(account, local_today(borrower, dealer, now))
        if late:
            candidate.add(min(late, 90) // 3 + 1, f"{late} days late")
            if account.amount_due_cents >= LARGE_AMOUNT_CENTS:
                amount = format_cents(account.amount_due_cents, dealer.currency)
                candidate.add(15, f"{amount} at risk")
        if candidate.score == 0:
            continue
        candidate.local_time = local_now(borrower, dealer, now)
        candidate.may_call_now = may_send_now(borrower, dealer, now)
        candidates.append(candidate)
    candidates.sort(key=lambda c: (-c.score, c.account.reference))
    return candidates[:LIMIT]
