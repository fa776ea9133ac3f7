"""pay, YES and NO: the actions around charging the card on file."""

from __future__ import annotations

from bot.dialogue import payment_flow, questions
from bot.dialogue.actions.base import BorrowerAction
from bot.dialogue.context import Turn


class ActionPay(BorrowerAction):
    """ "pay" / "pay 150" / "pay it all": offer the amount, ask for YES."""

    NAME = "action_pay"

    def respond(self, turn: Turn) -> None:
        """Store a pending payment and ask the borrower to confirm it."""
        payment_flow.offer_payment(turn, turn.entity("amount"))


class ActionAffirm(BorrowerAction):
    """YES: answers whatever the bot asked last, and nothing else."""

    NAME = "action_affirm"

    def respond(self, turn: Turn) -> None:
        """Confirm the open question, or explain there is none."""
        question = questions.open_question(turn.session, turn.borrower.id)
        if question is not None and question.awaiting == questions.PAYMENT_CONFIRMATION:
            payment_flow.confirm_payment(turn, question.awaiting_ref)
            return
        payment_flow.describe_settled(turn, None)


class ActionDeny(BorrowerAction):
    """NO: declines whatever the bot asked last."""

    NAME = "action_deny"

    def respond(self, turn: Turn) -> None:
        """Cancel the open question, or acknowledge politely."""
        question = questions.open_question(turn.session, turn.borrower.id)
        if question is not None and question.awaiting == questions.PAYMENT_CONFIRMATION:
            payment_flow.cancel_payment(turn, question.awaiting_ref)
            return
        turn.say("deny_nothing_open")
