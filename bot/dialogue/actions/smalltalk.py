"""Greetings, thanks, goodbyes, help, and the reply when we did not understand."""

from __future__ import annotations

from bot.dialogue.actions.base import BorrowerAction
from bot.dialogue.context import Turn


class ActionGreet(BorrowerAction):
    """ "hi": greet by first name and say what they can reply."""

    NAME = "action_greet"

    def respond(self, turn: Turn) -> None:
        """Greet and list the main replies."""
        turn.say("greet", first_name=turn.borrower.first_name)


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


class ActionFallback(BorrowerAction):
    """Low NLU confidence: a short menu instead of a guess."""

    NAME = "action_fallback"

    def respond(self, turn: Turn) -> None:
        """Ask the borrower to pick one of the main replies."""
        turn.say("fallback")
