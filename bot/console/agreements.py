"""What staff agreed with a borrower, on a call or in a held conversation, becomes the
record the bot itself makes for the same answer by text — through the same services:

    promise      a Promise (bot/payments/promises.py), within the dealer's limit
    plan         an active Plan and its Installments (bot/payments/plans.py), within the
                 dealer's plan rules
    dispute      an open Dispute: collection stops until it is resolved
    pause        no collection texts until a date: the borrower's contact preference,
                 set through bot/contact_preferences.py as their own wish would be
                 (within the dealer's longest pause, noted in the consent ledger)
    do_not_text  consent revoked, in the consent ledger (bot/consent.py)
    wrong_number the number is never texted again

Reminders and notices honour each one through bot/collection.py's pause reasons,
and the bot's own replies through the same records (bot/dialogue/arrangements.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy.orm import Session

from bot import consent, contact_preferences
from bot.audit import Actor
from bot.collection import open_dispute
from bot.localtime import local_today
from bot.models import Account, Borrower, Dealer, Dispute, EscalationReason
from bot.money import format_cents
from bot.payments import plans, promises
from bot.payments.charging import default_amount

PROMISE = "promise"
PLAN = "plan"
DISPUTE = "dispute"
PAUSE = "pause"
DO_NOT_TEXT = "do_not_text"
WRONG_NUMBER = "wrong_number"
NOTHING = "none"

# Where an agreement was made (`record_agreement`'s channel), in the record's words.
BY_PHONE = "by phone"
IN_CONVERSATION = "in a text conversation"

# The escalations an agreement answers: a person has spoken with the borrower (so
# "asked for a person" and "bot did not understand" are done), and a promise or plan
# settles hardship and a broken promise (a plan also a failed installment).
_SPOKEN = {EscalationReason.HUMAN, EscalationReason.FALLBACK}
ANSWERS = {
    PROMISE: _SPOKEN | {EscalationReason.HARDSHIP, EscalationReason.BROKEN_PROMISE},
    PLAN: _SPOKEN | {EscalationReason.HARDSHIP, EscalationReason.BROKEN_PROMISE,
                     EscalationReason.FAILED_INSTALLMENT},
    DISPUTE: _SPOKEN,
    PAUSE: _SPOKEN | {EscalationReason.HARDSHIP},
    DO_NOT_TEXT: _SPOKEN,
    WRONG_NUMBER: _SPOKEN,
    NOTHING: set(),
}


class AgreementError(ValueError):
    """The agreement's details do not fit (a date too far, a plan the rules forbid)."""


@dataclass(frozen=True)
class Agreement:
    """What staff entered: the kind and its details (the rest stay None)."""

    kind: str = NOTHING
    note: str = ""
    promised_date: date | None = None
    amount_cents: int | None = None
    installments: int | None = None
    frequency: str | None = None
    whole_balance: bool = False
    pause_until: date | None = None


@dataclass
class Applied:
    """A sentence saying what changed, and how a plan was fitted to the dealer's rules."""

    summary: str
    adjustments: list[str] = field(default_factory=list)


def _how(agreement: Agreement, channel: str) -> str:
    return f"{channel}: {agreement.note}".strip() if agreement.note else channel


def _promise(session: Session, account: Account, dealer: Dealer, today: date,
             agreement: Agreement, channel: str) -> Applied:
    day = agreement.promised_date
    if day is None or day < today:
        raise AgreementError("choose the date they promised to pay (today or later)")
    if (day - today).days > dealer.promise_max_days:
        raise AgreementError(f"a promise may be at most {dealer.promise_max_days} days away; "
                             "offer a payment plan instead")
    amount = agreement.amount_cents or default_amount(account)
    if amount <= 0:
        raise AgreementError("nothing is owed, so there is nothing to promise")
    promises.record_promise(session, account, day, amount, _how(agreement, channel))
    return Applied(f"Promise recorded: {format_cents(amount, dealer.currency)} "
                   f"on {day:%b %d, %Y}.")


def _plan(session: Session, account: Account, dealer: Dealer, today: date,
          agreement: Agreement) -> Applied:
    total = account.balance_cents if agreement.whole_balance else default_amount(account)
    if total <= 0:
        raise AgreementError("nothing is owed, so there is nothing to split")
    request = plans.PlanRequest(total_cents=total, count=agreement.installments,
                                frequency=agreement.frequency)
    offer = plans.offer_plan(request, plans.PlanRules.of(dealer),
                             plans.plan_start(account, today, first_today=False))
    if offer is None:
        raise AgreementError("the dealer's plan rules allow no plan for this amount")
    plan = plans.store_proposal(session, account, offer)
    plans.accept(session, plan.id)
    amounts = ", ".join(format_cents(a, dealer.currency) for a in offer.amounts)
    return Applied(f"Plan active: {offer.count} {offer.frequency} payments ({amounts}) from "
                   f"{offer.dates[0]:%b %d, %Y}.", offer.adjustments)


def _dispute(session: Session, account: Account, agreement: Agreement,
             channel: str) -> Applied:
    words = _how(agreement, channel)
    existing = open_dispute(session, account.id)
    if existing is None:
        session.add(Dispute(dealer_id=account.dealer_id, account_id=account.id, words=words))
    else:
        existing.words = f"{existing.words}\n{words}".strip()
    return Applied("Dispute recorded: collection messages are paused until it is resolved.")


def _pause(session: Session, borrower: Borrower, agreement: Agreement, channel: str,
           actor: Actor | None) -> Applied:
    """The one way a pause is set (bot/contact_preferences.py): the dealer's longest
    pause holds for staff too, and the consent ledger says who agreed it and how."""
    day = agreement.pause_until
    if day is None:
        raise AgreementError("choose the date texts may start again (after today)")
    source = consent.CALL if channel == BY_PHONE else consent.STAFF
    outcome = contact_preferences.change(session, borrower, paused_until=day, cap_pause=False,
                                         source=source, evidence=_how(agreement, channel),
                                         actor=actor)
    if outcome.problem == contact_preferences.PAUSE_NOT_AFTER_TODAY:
        raise AgreementError("choose the date texts may start again (after today)")
    if outcome.problem == contact_preferences.PAUSE_TOO_LONG:
        raise AgreementError(f"texts may be paused for at most {outcome.max_pause_days} "
                             "days (the dealer's longest pause, in Settings)")
    return Applied(f"No collection texts until {day:%b %d, %Y}.")


def _do_not_text(session: Session, borrower: Borrower, agreement: Agreement, channel: str,
                 actor: Actor | None) -> Applied:
    consent.revoke(session, borrower, consent.CALL, _how(agreement, channel), actor=actor)
    return Applied("Consent to texts revoked: this number will not be texted again "
                   "unless they text START.")


def record_agreement(session: Session, account: Account, agreement: Agreement,
                     actor: Actor | None, now: datetime, channel: str) -> Applied:
    """Make the record for an agreement (raises AgreementError); `channel` says where it
    was agreed (BY_PHONE, IN_CONVERSATION) for the record's words."""
    dealer = session.get(Dealer, account.dealer_id)
    borrower = session.get(Borrower, account.borrower_id)
    today = local_today(borrower, dealer, now)
    if agreement.kind == PROMISE:
        return _promise(session, account, dealer, today, agreement, channel)
    if agreement.kind == PLAN:
        return _plan(session, account, dealer, today, agreement)
    if agreement.kind == DISPUTE:
        return _dispute(session, account, agreement, channel)
    if agreement.kind == PAUSE:
        return _pause(session, borrower, agreement, channel, actor)
    if agreement.kind == DO_NOT_TEXT:
        return _do_not_text(session, borrower, agreement, channel, actor)
    if agreement.kind == WRONG_NUMBER:
        borrower.wrong_number = True
        return Applied("Marked as a wrong number: this phone will not be texted again.")
    if agreement.kind == NOTHING:
        return Applied("")
    raise AgreementError(f"unknown agreement {agreement.kind!r}")
