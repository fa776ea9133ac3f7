"""Someone else pays: a link for the borrower to forward to the person paying."""

from __future__ import annotations

from bot.dialogue.actions.base import BorrowerAction
from bot.dialogue.context import Turn
from bot.payments import links, merchant


class ActionSomeoneElsePays(BorrowerAction):
    """ "my mom is paying" / "mi hermano va a pagar": a single-use payment link.

    It changes nothing on the account, and goes only where every reply goes: to
    the borrower's own phone, which texted us (a wrong number or an opted-out
    phone gets no bot reply at all). The payer's page (bot/web/payer_pages.py)
    takes their name and card; the borrower gets the receipt.
    """

    NAME = "action_someone_else_pays"

    def respond(self, turn: Turn) -> None:
        """Send the link for the account, or say why there is nothing to pay."""
        account = turn.owing_account()
        if account is None:
            return
        if merchant.for_dealer_or_none(turn.dealer) is None:
            turn.say("card_payments_unavailable")  # no Stripe account to pay into
            return
        url = links.create_link(turn.session, links.PAYER, account.id)
        turn.say("payer_link", reference=account.reference, link=url)
