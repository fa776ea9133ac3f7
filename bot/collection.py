"""An account's collection state: which account a text is about, and whether
collection messages may go to it now (and if not, why).

Reminders, payment prompts and plan notices all ask `pause_reason`: an open
dispute, a promise or plan in good standing, a claim of payment being
verified, staff holding the conversation, a pause staff agreed with the
borrower ("no texts until the 15th"), an opted-out or wrong number, or
nothing owed.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, Protocol

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.models import (
    Account,
    Borrower,
    Dispute,
    Escalation,
    EscalationStatus,
    Installment,
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
PAUSED = "paused"  # staff agreed: no collection texts until a date


def texts_paused(borrower: Borrower, today: date) -> bool:
    """Whether staff agreed with the borrower that no collection text goes today."""
    return borrower.texts_paused_until is not None and borrower.texts_paused_until >= today


def primary_account(session: Session, borrower: Borrower) -> Account | None:
    """The account a text is about: the earliest due one that still has a balance."""
    accounts = session.execute(
        select(Account).where(Account.borrower_id == borrower.id).order_by(Account.id)
    ).scalars().all()
    owing = [a for a in accounts if a.balance_cents > 0]
    if owing:
        return min(owing, key=lambda a: (a.due_date or date.max, a.id))
    return accounts[-1] if accounts else None


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


def next_installment(session: Session, plan: Plan) -> Installment | None:
    """The plan's next payment still to be charged (by the date it will be tried)."""
    upcoming = session.execute(
        select(Installment).where(Installment.plan_id == plan.id,
                                  Installment.status == "scheduled")
    ).scalars().all()
    return min(upcoming, key=lambda i: (i.next_attempt_on or i.due_date, i.sequence),
               default=None)


def unverified_claim(session: Session, account_id: int, today: date) -> PaymentClaim | None:
    """A payment the borrower says they made that staff have not checked yet."""
    return session.execute(
        select(PaymentClaim).where(PaymentClaim.account_id == account_id,
                                   PaymentClaim.status == "unverified",
                                   PaymentClaim.pause_until >= today)
        .order_by(PaymentClaim.id.desc())
    ).scalars().first()


@dataclass(frozen=True)
class Commitments:
    """Everything open on an account that changes what the bot may ask for: the one
    place the conversation reads what the borrower has agreed to or told us."""

    dispute: Dispute | None
    plan: Plan | None
    next_installment: Installment | None
    promise: Promise | None
    claim: PaymentClaim | None


def commitments(session: Session, account: Account, today: date) -> Commitments:
    """The account's open dispute, active plan (and its next payment), open promise and
    unverified payment claim, as of the borrower's `today`."""
    plan = active_plan(session, account.id)
    return Commitments(
        dispute=open_dispute(session, account.id),
        plan=plan,
        next_installment=next_installment(session, plan) if plan is not None else None,
        promise=open_promise(session, account.id, today),
        claim=unverified_claim(session, account.id, today),
    )


def pause_reason(session: Session, account: Account, today: date) -> str | None:
    """Why no collection message may go to this account today, or None."""
    return pause_reasons(session, [account.id], today).get(account.id)


# Accounts judged per query: small enough for any database's parameter limit.
_CHUNK = 2000


class AccountState(Protocol):
    """What judging an account needs from its row and its borrower's."""

    id: int
    borrower_id: int
    balance_cents: int
    amount_due_cents: int
    opted_out: bool
    wrong_number: bool
    invalid_number: bool


def account_states(session: Session, where: Any) -> list[Any]:
    """AccountState rows of the accounts matching `where` (a condition on Account)."""
    return session.execute(
        select(Account.id, Account.borrower_id, Account.balance_cents, Account.amount_due_cents,
               Borrower.opted_out, Borrower.wrong_number, Borrower.invalid_number)
        .join(Borrower, Borrower.id == Account.borrower_id).where(where)
    ).all()


def pause_reasons(session: Session, account_ids: Collection[int],
                  today: date | Mapping[int, date]) -> dict[int, str]:
    """`pause_reason` for many accounts at once.

    `today` is one date, or each account's own (borrowers live in different
    zones). Accounts free to be texted are absent from the answer.
    """
    ids = list(account_ids)
    reasons: dict[int, str] = {}
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start:start + _CHUNK]
        reasons.update(pause_reasons_of(session, account_states(session, Account.id.in_(chunk)),
                                        today))
    return reasons


def pause_reasons_of(session: Session, states: Sequence[AccountState],
                     today: date | Mapping[int, date],
                     dealer_id: int | None = None) -> dict[int, str]:
    """`pause_reasons` for accounts whose AccountState the caller already holds.

    With `dealer_id` (the dealer of them all) the disputes, promises, plans,
    claims and takeovers are read once for the whole dealer — what a campaign
    over most of a dealer's accounts wants, rather than long lists of ids.
    """
    ids = [state.id for state in states]

    def scope(model: type, key: Any, keys: Collection[int]) -> Any:
        return model.dealer_id == dealer_id if dealer_id is not None else key.in_(keys)

    taken = set(session.execute(select(Escalation.borrower_id).where(
        scope(Escalation, Escalation.borrower_id, {s.borrower_id for s in states}),
        Escalation.status == EscalationStatus.TAKEN_OVER)).scalars())
    disputed = set(session.execute(select(Dispute.account_id).where(
        scope(Dispute, Dispute.account_id, ids), Dispute.status == "open")).scalars())
    promised = dict(session.execute(
        select(Promise.account_id, func.max(Promise.promised_date))
        .where(scope(Promise, Promise.account_id, ids), Promise.status == "open")
        .group_by(Promise.account_id)).all())
    planned = set(session.execute(select(Plan.account_id).where(
        scope(Plan, Plan.account_id, ids), Plan.status == PlanStatus.ACTIVE)).scalars())
    claimed = dict(session.execute(
        select(PaymentClaim.account_id, func.max(PaymentClaim.pause_until))
        .where(scope(PaymentClaim, PaymentClaim.account_id, ids),
               PaymentClaim.status == "unverified")
        .group_by(PaymentClaim.account_id)).all())
    paused = dict(session.execute(
        select(Borrower.id, Borrower.texts_paused_until).where(
            scope(Borrower, Borrower.id, {s.borrower_id for s in states}),
            Borrower.texts_paused_until.is_not(None))).all())
    reasons = {}
    for state in states:
        day = today if isinstance(today, date) else today[state.id]
        if state.opted_out:
            reason = OPTED_OUT
        elif state.wrong_number or state.invalid_number:
            reason = WRONG_NUMBER
        elif state.borrower_id in taken:
            reason = TAKEN_OVER
        elif state.id in disputed:
            reason = DISPUTE
        elif state.balance_cents <= 0 or state.amount_due_cents <= 0:
            reason = PAID
        elif paused.get(state.borrower_id) is not None and paused[state.borrower_id] >= day:
            reason = PAUSED
        elif promised.get(state.id) is not None and promised[state.id] >= day:
            reason = PROMISE
        elif state.id in planned:
            reason = PLAN
        elif claimed.get(state.id) is not None and claimed[state.id] >= day:
            reason = ALREADY_PAID
        else:
            continue
        reasons[state.id] = reason
    return reasons
