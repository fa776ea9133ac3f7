"""The satisfaction survey: "How did we do? Reply 1-5" (a dealer toggle, off by default).

Asked after a payment or a resolved escalation, never more than once a month
per borrower. The answer (a bare 1-5) is recorded by the inbound turn
(bot/messaging/survey_answers.py).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.localtime import local_today
from bot.messaging.outbound import SendRefused, refusal, send_sms
from bot.messaging.survey_answers import ANSWER_WINDOW
from bot.models import (
    Account,
    Borrower,
    Dealer,
    Escalation,
    EscalationStatus,
    Payment,
    PaymentStatus,
    SurveyResponse,
)
from bot.sms_templates.templates import render_message

ONCE_PER = timedelta(days=30)


def _recent_triggers(session: Session, dealer: Dealer, at: datetime) -> list[tuple]:
    """(trigger, id, account id) of payments and resolved escalations in the window."""
    since = at - ANSWER_WINDOW
    payments = session.execute(
        select(Payment.id, Payment.account_id).where(
            Payment.dealer_id == dealer.id, Payment.status == PaymentStatus.SUCCEEDED,
            Payment.settled_at > since, Payment.settled_at <= at)
    ).all()
    escalations = session.execute(
        select(Escalation.id, Escalation.account_id).where(
            Escalation.dealer_id == dealer.id, Escalation.status == EscalationStatus.RESOLVED,
            Escalation.account_id.isnot(None),
            Escalation.resolved_at > since, Escalation.resolved_at <= at)
    ).all()
    return [("payment", p.id, p.account_id) for p in payments] + \
        [("escalation", e.id, e.account_id) for e in escalations]


def _asked_recently(borrower: Borrower, at: datetime) -> bool:
    return borrower.last_survey_at is not None and at - borrower.last_survey_at < ONCE_PER


def ask_due_surveys(session: Session, dealer: Dealer, at: datetime) -> int:
    """Ask each borrower with a recent payment or resolved escalation; returns how many."""
    if not dealer.survey_enabled:
        return 0
    asked = 0
    for trigger, trigger_id, account_id in _recent_triggers(session, dealer, at):
        account = session.get(Account, account_id)
        borrower = session.get(Borrower, account.borrower_id)
        if refusal(borrower) or _asked_recently(borrower, at):
            continue
        text = render_message(session, dealer, account, "survey", borrower.language,
                              local_today(borrower, dealer, at))
        try:
            message = send_sms(session, borrower, text, kind="survey", account_id=account.id,
                               at=at)
        except SendRefused:
            continue
        session.add(SurveyResponse(dealer_id=dealer.id, borrower_id=borrower.id,
                                   account_id=account.id, trigger=trigger,
                                   trigger_id=trigger_id, message_id=message.id,
                                   created_at=at))
        borrower.last_survey_at = at
        asked += 1
    session.flush()
    return asked
