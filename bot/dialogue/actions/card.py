"""A new card, always through a secure page, never by text."""

from __future__ import annotations

from bot.dialogue.actions.base import BorrowerAction
from bot.dialogue.context import Turn
from bot.payments import links


class ActionUpdateCard(BorrowerAction):
    """ "I have a new card": send a single-use secure link."""

    NAME = "action_update_card"

    def respond(self, turn: Turn) -> None:
        """Send the link to the card page for the borrower's account."""
        if turn.account is None:
            turn.say("no_account")
            return
        url = links.create_link(turn.session, links.UPDATE_CARD, turn.account.id)
        turn.say("update_card_link", link=url)
