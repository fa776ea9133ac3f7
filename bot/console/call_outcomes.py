"""Logging a call from the call list: the outcome changes the account exactly as the
same outcome by text does (bot/console/agreements.py makes the records), and resolves
the escalations it answers (a promise answers hardship; talking to them at all answers
"asked for a person").

    promise       a Promise, within the dealer's limit
    plan          an active Plan with its Installments
    dispute       an open Dispute, and an escalation so someone resolves it
    do_not_text   consent revoked ("asked not to be texted"), in the consent ledger
    wrong_number  the number is never texted again, and an escalation to fix it
    no_answer     only the call itself is recorded
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy.orm import Session

from bot.audit import Actor, record
from bot.console import agreements
from bot.console.agreements import Agreement, AgreementError
from bot.console.takeover import resolve_answered
from bot.escalations import open_escalation
from bot.models import Account, CallLog, EscalationReason

OUTCOMES = {
    "promise": "Promised to pay",
    "plan": "Agreed a payment plan",
    "dispute": "Disputes the debt",
    "do_not_text": "Asked not to be texted",
    "no_answer": "No answer",
    "wrong_number": "Wrong number",
}
# A call's outcome needs a person to follow up on these (the call alone cannot settle them).
_FOLLOW_UP = {"dispute": EscalationReason.DISPUTE,
              "wrong_number": EscalationReason.WRONG_NUMBER}
CallOutcomeError = AgreementError


@dataclass
class LoggedCall:
    """The call as recorded, and a sentence saying what changed."""

    call: CallLog
    summary: str
    adjustments: list[str] = field(default_factory=list)
    resolved: int = 0  # escalations the call answered


def agreement_kind(outcome: str) -> str:
    """The agreement a call's outcome reached (bot/console/agreements.py)."""
    if outcome not in OUTCOMES:
        raise CallOutcomeError(f"outcome must be one of {', '.join(OUTCOMES)}")
    return agreements.NOTHING if outcome == "no_answer" else outcome


def log_call(session: Session, account: Account, outcome: str, agreement: Agreement,
             actor: Actor, now: datetime) -> LoggedCall:
    """Record a call and apply what it reached to the account (raises CallOutcomeError).

    `agreement` is of the outcome's kind (`agreement_kind`), with its details and note.
    """
    if agreement.kind != agreement_kind(outcome):
        raise CallOutcomeError(f"a {outcome} call cannot record a {agreement.kind}")
    applied = agreements.record_agreement(session, account, agreement, actor, now,
                                             agreements.BY_PHONE)
    summary = applied.summary or "Call recorded: no answer."
    resolved = resolve_answered(session, account.borrower_id, agreements.ANSWERS[agreement.kind],
                                actor, f"call: {OUTCOMES[outcome].lower()}")
    if outcome in _FOLLOW_UP:
        open_escalation(session, dealer_id=account.dealer_id, borrower_id=account.borrower_id,
                        account_id=account.id, reason=_FOLLOW_UP[outcome],
                        detail=f"by phone: {agreement.note}".strip())
    call = CallLog(dealer_id=account.dealer_id, account_id=account.id, user_id=actor.user_id,
                   outcome=outcome, note=agreement.note or None)
    session.add(call)
    session.flush()
    record(session, account.dealer_id, actor, "call_logged", account_id=account.id,
           details=f"{outcome}: {summary}")
    return LoggedCall(call, summary, applied.adjustments, len(resolved))
