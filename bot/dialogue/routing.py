"""Answers in the borrower's own words to the bot's open question.

"When and how did you pay?" and "What date can you pay?" are answered in
free text that NLU may read as almost any intent ("last friday at the lot"
looks like a promise). While such a question is fresh, any message that is
not clearly about something else is taken as the answer.
"""

from __future__ import annotations

from bot.dialogue import promise_flow, questions, support_flow
from bot.dialogue.context import Turn
from bot.models import Payment, PaymentStatus
from bot.nlu.dates import find_dates

# Intents that always mean "something else", even while a question is open.
CHANGE_OF_SUBJECT = {
    "check_balance", "request_human", "opt_out", "wrong_number", "dispute", "hardship",
    "help", "update_card", "greet", "goodbye", "arrange_plan", "ask_policy", "ask_link",
}


def answer_open_question(turn: Turn) -> bool:
    """Handle the message as the answer to a free-text question; True if it was one."""
    state = questions.open_question(turn.session, turn.borrower.id)
    if state is None or state.awaiting in questions.CONFIRMATIONS:
        return False
    if not questions.is_fresh(state, turn.now) or turn.intent in CHANGE_OF_SUBJECT:
        return False
    if state.awaiting == questions.PAYMENT_DETAILS and turn.account is not None:
        support_flow.record_payment_claim(turn)
        return True
    if state.awaiting == questions.PROMISE_DATE and (turn.entity("date") or find_dates(turn.text)):
        promise_flow.record_promise(turn)
        return True
    return False


def remind_open_confirmation(turn: Turn) -> None:
    """After answering something else, remind the borrower of a YES/NO still waiting."""
    state = questions.open_question(turn.session, turn.borrower.id)
    if state is None or not questions.is_fresh(state, turn.now):
        return
    if state.awaiting == questions.PAYMENT_CONFIRMATION:
        payment = turn.session.get(Payment, state.awaiting_ref) if state.awaiting_ref else None
        if payment is not None and payment.status == PaymentStatus.PENDING:
            turn.say("pending_payment_reminder", amount=turn.money(payment.amount_cents))
    elif state.awaiting == questions.PLAN_CONFIRMATION:
        turn.say("pending_plan_reminder")
