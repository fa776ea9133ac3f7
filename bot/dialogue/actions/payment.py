"""pay, YES and NO: the actions around charging the card and confirming plans."""

from __future__ import annotations

from bot.dialogue import (
    pay_request,
    payment_flow,
    plan_flow,
    promise_flow,
    questions,
    safety,
    second_request,
)
from bot.dialogue.actions.base import BorrowerAction
from bot.dialogue.context import Turn
from bot.nlu.consent import is_unconditional_yes, mentions_yes
from bot.nlu.evidence import carries


class ActionPay(BorrowerAction):
    """ "pay" / "pay 150" / "pay it all": offer the amount, ask for YES."""

    NAME = "action_pay"
    INTENT = "pay"
    ANSWERS_CONFIRMATIONS = True

    def respond(self, turn: Turn) -> None:
        """Store a pending payment and ask the borrower to confirm it.

        An amount per week or month ("pay 25 every week") asks for a plan; a later
        day ("pay 100 on the 15th") records a promise instead (bot/dialogue/pay_request.py).
        """
        if plan_flow.installment_requested(turn) is not None:
            plan_flow.propose_plan(turn)
            return
        if second_request.new_card_first(turn):
            return
        pay_request.answer_pay_request(turn)


class ActionAffirm(BorrowerAction):
    """YES: answers whatever the bot asked last, and nothing else."""

    NAME = "action_affirm"
    ANSWERS_CONFIRMATIONS = True
    ANSWERS_CLARIFYING = True

    def respond(self, turn: Turn) -> None:
        """Confirm the open question, or explain there is none."""
        question = questions.open_question(turn.session, turn.borrower.id)
        awaiting = question.awaiting if question is not None else None
        brand = (turn.account.card_brand if turn.account else None) or ""
        if awaiting in questions.CONFIRMATIONS and not is_unconditional_yes(turn.text, brand):
            # A YES moves money: a question, a hedge or a condition is asked again.
            payment_flow.ask_again(turn, question)
        elif awaiting == questions.PAYMENT_CONFIRMATION:
            payment_flow.confirm_payment(turn, question.awaiting_ref)
        elif awaiting == questions.PLAN_CONFIRMATION:
            plan_flow.accept_plan(turn, question.awaiting_ref,
                                  fresh=questions.is_fresh(question, turn.now))
        elif safety.asked_about(question):
            safety.act_on_answer(turn, question)
        else:
            _yes_with_nothing_waiting(turn)


def _yes_with_nothing_waiting(turn: Turn) -> None:
    """A yes may still ask for a plan ("fine. PLAN", our own menu's word): offer one, as a
    YES/NO question of its own. Not a payment: a second "yes pay" sent just after a
    payment must still hear that it went through, not get a new prompt."""
    if carries("arrange_plan", turn.text, turn.entities):
        plan_flow.propose_plan(turn)
    else:
        payment_flow.describe_settled(turn, None)


class ActionDeny(BorrowerAction):
    """NO: declines whatever the bot asked last."""

    NAME = "action_deny"
    ANSWERS_CONFIRMATIONS = True
    ANSWERS_CLARIFYING = True

    def respond(self, turn: Turn) -> None:
        """Cancel the open question, or acknowledge politely."""
        question = questions.open_question(turn.session, turn.borrower.id)
        awaiting = question.awaiting if question is not None else None
        if awaiting in questions.CONFIRMATIONS and mentions_yes(turn.text):
            payment_flow.ask_again(turn, question)  # "not yes", "yeah no": neither answer
        elif awaiting == questions.PAYMENT_CONFIRMATION:
            payment_flow.cancel_payment(turn, question.awaiting_ref)
        elif awaiting == questions.PLAN_CONFIRMATION:
            plan_flow.decline_plan(turn, question.awaiting_ref)
        elif safety.asked_about(question):
            safety.drop_question(turn, question)
        else:
            questions.clear(turn.session, turn.borrower.id)
            turn.say("deny_nothing_open")


class ActionArrangePlan(BorrowerAction):
    """ "can I split it in 3" / "50 a week": propose a plan within the dealer's rules."""

    NAME = "action_arrange_plan"
    INTENT = "arrange_plan"
    ANSWERS_CONFIRMATIONS = True

    def respond(self, turn: Turn) -> None:
        """Offer the closest allowed plan and wait for YES."""
        plan_flow.propose_plan(turn)


class ActionPromiseToPay(BorrowerAction):
    """ "I get paid Friday": record a dated promise."""

    NAME = "action_promise_to_pay"
    INTENT = "promise_to_pay"

    def respond(self, turn: Turn) -> None:
        """Store the promise (or ask for the date)."""
        promise_flow.record_promise(turn)
