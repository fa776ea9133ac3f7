"""Disputes, hardship, "already paid", a person, a wrong number, "stop texting me"."""

from __future__ import annotations

from bot.dialogue import preference_flow, support_flow
from bot.dialogue.actions.base import BorrowerAction
from bot.dialogue.context import Turn


class ActionDispute(BorrowerAction):
    """ "I don't owe this" / "you charged me twice"."""

    NAME = "action_dispute"
    INTENT = "dispute"

    def respond(self, turn: Turn) -> None:
        """Record the dispute in their words, pause collection, escalate."""
        support_flow.dispute(turn)


class ActionAlreadyPaid(BorrowerAction):
    """ "I already paid": ask when and how, then record it for verification."""

    NAME = "action_already_paid"
    INTENT = "already_paid"

    def respond(self, turn: Turn) -> None:
        """Ask for (or record) the payment details."""
        support_flow.ask_payment_details(turn)


class ActionHardship(BorrowerAction):
    """ "I lost my job" / "I'm in the hospital"."""

    NAME = "action_hardship"
    INTENT = "hardship"

    def respond(self, turn: Turn) -> None:
        """An empathetic reply without pressure; escalate with the reason."""
        support_flow.hardship(turn)


class ActionRequestHuman(BorrowerAction):
    """ "let me talk to a person"."""

    NAME = "action_request_human"
    INTENT = "request_human"

    def respond(self, turn: Turn) -> None:
        """Escalate and say when a person will be in touch."""
        support_flow.request_human(turn)


class ActionOptOut(BorrowerAction):
    """ "stop texting me" / "don't text this number": the same as STOP."""

    NAME = "action_opt_out"
    INTENT = "opt_out"

    def respond(self, turn: Turn) -> None:
        """Opt the number out with one confirmation — unless the words only limit when we
        text ("no me manden mensajes los domingos"): that is a contact preference."""
        if preference_flow.names_hours_or_days(turn):
            preference_flow.set_preferences(turn)
            return
        support_flow.opt_out(turn)


class ActionWrongNumber(BorrowerAction):
    """ "wrong number" / "I don't know who that is"."""

    NAME = "action_wrong_number"
    INTENT = "wrong_number"

    def respond(self, turn: Turn) -> None:
        """Apologise, reveal nothing, stop texting the number, escalate."""
        support_flow.wrong_number(turn)
