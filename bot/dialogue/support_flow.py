"""Conversations a person must follow up: disputes, hardship, "already paid",
a request for a person, a wrong number, a revoked consent.

Each one records what happened, tells the borrower what happens next and
when, and (except opt-out) opens an escalation with its reason.
"""

from __future__ import annotations

from datetime import timedelta

from bot import consent
from bot.business_hours import when_a_person_replies
from bot.clock import utcnow
from bot.collection import open_dispute
from bot.dialogue import arrangements, questions
from bot.dialogue.context import Turn
from bot.escalations import open_escalation
from bot.localtime import local_today
from bot.models import Dispute, EscalationReason, PaymentClaim, PaymentStatus
from bot.models.payment import Payment
from bot.nlu.dates import find_dates


def escalate(turn: Turn, reason: str, detail: str | None = None) -> None:
    """Open (or refresh) an escalation for this borrower with a reason."""
    open_escalation(turn.session, dealer_id=turn.dealer.id, borrower_id=turn.borrower.id,
                    account_id=turn.account.id if turn.account else None, reason=reason,
                    detail=detail if detail is not None else turn.text)


def when_a_person(turn: Turn) -> str:
    """ "within the hour" / "after we open Monday at 9:00 AM"."""
    return when_a_person_replies(turn.dealer.business_hours, turn.dealer.timezone, turn.now,
                                 turn.language)


def stop_payment_prompts(turn: Turn) -> None:
    """No payment question stays open once the borrower disputes or is in hardship."""
    state = questions.open_question(turn.session, turn.borrower.id)
    if state is not None and state.awaiting == questions.PAYMENT_CONFIRMATION:
        payment = turn.session.get(Payment, state.awaiting_ref)
        if payment is not None and payment.status == PaymentStatus.PENDING:
            payment.status = PaymentStatus.CANCELED
    questions.clear(turn.session, turn.borrower.id)


def dispute(turn: Turn) -> None:
    """ "I don't owe this": record their words, pause collection, escalate."""
    account = turn.account
    if account is None:
        turn.say("no_account")
        return
    stop_payment_prompts(turn)
    existing = open_dispute(turn.session, account.id)
    if existing is None:
        turn.session.add(Dispute(dealer_id=account.dealer_id, account_id=account.id,
                                 words=turn.text))
    else:
        existing.words = f"{existing.words}\n{turn.text}".strip()
    escalate(turn, EscalationReason.DISPUTE)
    turn.say("dispute_ack", reference=account.reference, dealer=turn.dealer.name,
             when=when_a_person(turn))


def ask_payment_details(turn: Turn) -> None:
    """ "I already paid": ask when and how, unless they already said."""
    if turn.account is None:
        turn.say("no_account")
        return
    if find_dates(turn.text) and len(turn.text.split()) >= 4:
        record_payment_claim(turn)  # "paid yesterday at the lot with cash"
        return
    questions.ask(turn.session, turn.borrower.id, questions.PAYMENT_DETAILS, None, turn.now)
    turn.say("paid_ask_details")


def record_payment_claim(turn: Turn) -> None:
    """The borrower's "when and how": record it, pause reminders, ask staff to verify."""
    account = turn.account
    questions.clear(turn.session, turn.borrower.id)
    days = turn.dealer.already_paid_pause_days
    dates = find_dates(turn.text)
    turn.session.add(PaymentClaim(
        dealer_id=account.dealer_id, account_id=account.id, words=turn.text,
        paid_on=dates[0].text if dates else None, method=turn.text[:100],
        pause_until=local_today(turn.borrower, turn.dealer, turn.now) + timedelta(days=days)))
    escalate(turn, EscalationReason.ALREADY_PAID)
    turn.say("paid_recorded", days=days)


def hardship(turn: Turn) -> None:
    """ "I lost my job": kindness, no pressure, a smaller plan or a person; escalate."""
    state = questions.conversation_state(turn.session, turn.borrower.id)
    stop_payment_prompts(turn)
    escalate(turn, EscalationReason.HARDSHIP)
    if state.hardship_at is not None and state.hardship_at > utcnow() - timedelta(days=30):
        turn.say("hardship_again", dealer=turn.dealer.name)  # no repeated asks
        return
    state.hardship_at = utcnow()
    if arrangements.current(turn) is not None:  # no new plan offered over an arrangement
        turn.say("hardship_arranged", first_name=turn.borrower.first_name,
                 dealer=turn.dealer.name)
        return
    turn.say("hardship_reply", first_name=turn.borrower.first_name, dealer=turn.dealer.name)


def request_human(turn: Turn) -> None:
    """ "let me talk to a person": escalate and say when to expect contact."""
    escalate(turn, EscalationReason.HUMAN)
    turn.say("human_reply", dealer=turn.dealer.name, when=when_a_person(turn))


def wrong_number(turn: Turn) -> None:
    """ "wrong number": apologise, reveal nothing, never text this number again."""
    stop_payment_prompts(turn)
    turn.borrower.wrong_number = True
    escalate(turn, EscalationReason.WRONG_NUMBER, detail=f"said: {turn.text}")
    turn.say("wrong_number_reply")


def opt_out(turn: Turn) -> None:
    """ "stop texting me": consent revoked by any reasonable means, like STOP."""
    stop_payment_prompts(turn)
    if not turn.borrower.opted_out:
        # The confirmation goes out as it is: no notice is added for an opted-out number.
        confirmation = turn.render("opted_out", dealer=turn.dealer.name)
        consent.revoke(turn.session, turn.borrower, consent.WORDS, turn.text,
                       confirmation=confirmation)
        turn.replies.append(confirmation)
