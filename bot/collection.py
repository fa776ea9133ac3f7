"""Whether collection messages may go to an account now, and if not, why.

Reminders, payment prompts and plan notices all ask `pause_reason`: an open
dispute, a promise or plan in good standing, a claim of payment being
verified, staff holding the conversation, an opted-out or wrong number, or
nothing owed.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.models import (
    Account,
    Borrower,
    Dispute,
    Escalation,
    EscalationStatus,
    PaymentClaim,
    Plan,
    PlanStatus,
    Promise,
)

# Reasons, as counted by `textpay send-reminders --json` (DESIGN.md).
OPTED_OUT = "opted_out"
WRONG_NUMBER = "wrong_number"
DISPUTE = "dispute"
TAKEN_OVER = "taken_over"
PROMISE = "promise"
PLAN = "plan"
ALREADY_PAID = "already_paid"
PAID = "paid"


def open_dispute(session: Session, account_id: int) -> Dispute | None:
    """The account's open dispute, if any."""
    return session.execute(
        select(Dispute).where(Dispute.account_id == account_id, Dispute.status == "open")
    ).scalars().first()


def open_promise(session: Session, account_id: int, today: date) -> Promise | None:
    """A promise whose date has not passed yet."""
    return session.execute(
        select(Promise).where(Promise.account_id == account_id, Promise.status == "open",
                              Promise.promised_date >= today)
        .order_by(Promise.promised_date)
    ).scalars().first()


def active_plan(session: Session, account_id: int) -> Plan | None:
    """The account's active plan, if any."""
    return session.execute(
        select(Plan).where(Plan.account_id == account_id, Plan.status == PlanStatus.ACTIVE)
    ).scalars().first()


def pause_reason(session: Session, account: Account, today: date) -> str | None:
    """Why no collection message may go to this account today, or None."""
    return pause_reasons(session, [account.id], today).get(account.id)


# Accounts judged per query: small enough for any database's parameter limit.
_CHUNK = 2000


def pause_reasons(session: Session, account_ids: Collection[int],
                  today: date | Mapping[int, date]) -> dict[int, str]:
    """`pause_reason` for many accounts at once (campaigns judge thousands).

    `today` is one date, or each account's own (borrowers live in different
    zones). Accounts free to be texted are absent from the answer.
    """
    ids = list(account_ids)
    reasons: dict[int, str] = {}
    for start in range(0, len(ids), _CHUNK):
        reasons.update(_pause_chunk(session, ids[start:start + _CHUNK], today))
    return reasons


def _pause_chunk(session: Session, ids: list[int],
                 today: date | Mapping[int, date]) -> dict[int, str]:
    rows = session.execute(
        select(Account.id, Account.borrower_id, Account.balance_cents, Account.amount_due_cents,
               Borrower.opted_out, Borrower.wrong_number, Borrower.invalid_number)
        .join(Borrower, Borrower.id == Account.borrower_id).where(Account.id.in_(ids))
    ).all()
    borrower_ids = {row.borrower_id for row in rows}
    taken = set(session.execute(select(Escalation.borrower_id).where(
        Escalation.borrower_id.in_(borrower_ids),
        Escalation.status == EscalationStatus.TAKEN_OVER)).scalars())
    disputed = set(session.execute(select(Dispute.account_id).where(
        Dispute.account_id.in_(ids), Dispute.status == "open")).scalars())
    promised = dict(session.execute(
        select(Promise.account_id, func.max(Promise.promised_date))
        .where(Promise.account_id.in_(ids), Promise.status == "open")
        .group_by(Promise.account_id)).all())
    planned = set(session.execute(select(Plan.account_id).where(
        Plan.account_id.in_(ids), Plan.status == PlanStatus.ACTIVE)).scalars())
    claimed = dict(session.execute(
        select(PaymentClaim.account_id, func.max(PaymentClaim.pause_until))
        .where(PaymentClaim.account_id.in_(ids), PaymentClaim.status == "unverified")
        .group_by(PaymentClaim.account_id)).all())
    reasons = {}
    for row in rows:
        day = today if isinstance(today, date) else today[row.id]
        if row.opted_out:
            reason = OPTED_OUT
        elif row.wrong_number or row.invalid_number:
            reason = WRONG_NUMBER
        elif row.borrower_id in taken:
            reason = TAKEN_OVER
        elif row.id in disputed:
            reason = DISPUTE
        elif row.balance_cents <= 0 or row.amount_due_cents <= 0:
            reason = PAID
        elif promised.get(row.id) is not None and promised[row.id] >= day:
            reason = PROMISE
        elif row.id in planned:
            reason = PLAN
        elif claimed.get(row.id) is not None and claimed[row.id] >= day:
            reason = ALREADY_PAID
        else:
            continue
        reasons[row.id] = reason
    return reasons
