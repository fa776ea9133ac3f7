"""Asking for the self-service page in words ("my account", "ver mi cuenta")."""

from __future__ import annotations

from bot.dialogue.account_link import link_reply
from bot.dialogue.actions.base import BorrowerAction
from bot.dialogue.context import Turn


class ActionAskLink(BorrowerAction):
    """ "send me the link" / "ver mi cuenta": a new single-use link to the page."""

    NAME = "action_ask_link"

    def respond(self, turn: Turn) -> None:
        """Reply with the link (nothing to a number said to be the wrong one)."""
        turn.replies.extend(link_reply(turn.session, turn.borrower, turn.language))
