"""Greetings, thanks, goodbyes, help, unrelated texts, and the reply when we did not understand."""

from __future__ import annotations

from bot.dialogue import arrangements, plan_flow, questions, support_flow
from bot.dialogue.actions.base import BorrowerAction
from bot.dialogue.context import Turn
from bot.dialogue.routing import remind_open_confirmation
from bot.models import EscalationReason


class ActionGreet(BorrowerAction):
    """ "hi": greet by first name and say what they can reply."""

    NAME = "action_greet"

    def respond(self, turn: Turn) -> None:
        """Greet and list the main replies (no payment prompt while something is arranged)."""
        arrangements.greet(turn)


class ActionThank(BorrowerAction):
    """ "thanks"."""

    NAME = "action_thank"

    def respond(self, turn: Turn) -> None:
        """You're welcome."""
        turn.say("thank", first_name=turn.borrower.first_name)


class ActionGoodbye(BorrowerAction):
    """ "bye"."""

    NAME = "action_goodbye"

    def respond(self, turn: Turn) -> None:
        """A short goodbye."""
        turn.say("goodbye", first_name=turn.borrower.first_name)


class ActionHelp(BorrowerAction):
    """ "how does this work": what can be done here, who to call, how to opt out."""

    NAME = "action_help"

    def respond(self, turn: Turn) -> None:
        """The menu, the dealer's contact number and the opt-out instruction."""
        turn.say("help", dealer=turn.dealer.name, contact=turn.dealer.contact_phone or "")


class ActionOutOfScope(BorrowerAction):
    """Something the bot cannot act on ("text my wife", trivia, code): say what it can do.

    Nothing changes, and it is not a misunderstanding: the model recognised
    the text as unrelated, so it does not count toward handing over to a person.
    """

    NAME = "action_out_of_scope"
    ANSWERS_CONFIRMATIONS = True

    def respond(self, turn: Turn) -> None:
        """A counter-offer to an open plan, or a line about what the bot can do."""
        if _counter_offer(turn):
            plan_flow.propose_plan(turn)  # "4?" while a plan is offered
            return
        # While a promise, plan, dispute or pause stands, no reply invites a payment.
        key = "out_of_scope" if arrangements.current(turn) is None else "out_of_scope_arranged"
        turn.say(key, dealer=turn.dealer.name)
        remind_open_confirmation(turn)

    def count_misunderstanding(self, turn: Turn) -> None:
        """Leave the count of misunderstood messages as it is."""


class ActionFallback(BorrowerAction):
    """Low NLU confidence: a short menu instead of a guess; twice in a row, a person."""

    NAME = "action_fallback"
    ANSWERS_CONFIRMATIONS = True

    def respond(self, turn: Turn) -> None:
        """A counter-offer to an open plan, the menu, or (second time) a person."""
        if _counter_offer(turn):
            plan_flow.propose_plan(turn)  # "4?" or "100 a month" while a plan is offered
            return
        state = questions.conversation_state(turn.session, turn.borrower.id)
        if state.fallback_count >= 1:
            support_flow.escalate(turn, EscalationReason.FALLBACK)
            turn.say("fallback_escalated", dealer=turn.dealer.name,
                     when=support_flow.when_a_person(turn))
        else:
            turn.say("fallback" if arrangements.current(turn) is None else "fallback_arranged")

    def count_misunderstanding(self, turn: Turn) -> None:
        """One more misunderstood message in a row (reset once escalated)."""
        state = questions.conversation_state(turn.session, turn.borrower.id)
        state.fallback_count = 0 if state.fallback_count >= 1 else 1


def _counter_offer(turn: Turn) -> bool:
    """A count or an amount while a plan offer waits for YES: a counter-offer."""
    question = questions.open_question(turn.session, turn.borrower.id)
    return (question is not None and question.awaiting == questions.PLAN_CONFIRMATION
            and bool(turn.entity("count") or turn.entity("amount")
                     or plan_flow.bare_count(turn.text)))
