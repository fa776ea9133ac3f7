"""Intents understood but not yet handled by their own flow (see issue 4).

Until each gets its conversation, the borrower is told plainly how to reach
a person; nothing about money changes.
"""

from __future__ import annotations

from bot.dialogue.actions.base import BorrowerAction
from bot.dialogue.context import Turn


class _PersonWillHelp(BorrowerAction):
    NAME = ""

    def respond(self, turn: Turn) -> None:
        """Point the borrower to a person at the dealer."""
        turn.say("person_will_help", dealer=turn.dealer.name,
                 contact=turn.dealer.contact_phone or "")


class ActionArrangePlan(_PersonWillHelp):
    """ "can I split it in 3"."""

    NAME = "action_arrange_plan"


class ActionPromiseToPay(_PersonWillHelp):
    """ "I get paid Friday"."""

    NAME = "action_promise_to_pay"


class ActionDispute(_PersonWillHelp):
    """ "I don't owe this"."""

    NAME = "action_dispute"


class ActionAlreadyPaid(_PersonWillHelp):
    """ "I already paid"."""

    NAME = "action_already_paid"


class ActionHardship(_PersonWillHelp):
    """ "I lost my job"."""

    NAME = "action_hardship"


class ActionRequestHuman(_PersonWillHelp):
    """ "let me talk to a person"."""

    NAME = "action_request_human"


class ActionOptOut(_PersonWillHelp):
    """ "stop texting me"."""

    NAME = "action_opt_out"


class ActionWrongNumber(_PersonWillHelp):
    """ "wrong number"."""

    NAME = "action_wrong_number"
