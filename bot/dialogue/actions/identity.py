"""Who is texting: "who is this" (ask_identity), and "this is his girlfriend"
(not_the_borrower)."""

from __future__ import annotations

from sqlalchemy import func, select

from bot.dialogue import not_borrower
from bot.dialogue.actions.base import BorrowerAction
from bot.dialogue.context import Turn
from bot.models import Message
from bot.wording.compliance import THIRD_PARTY, disclosure


def texted_before(turn: Turn) -> bool:
    """Whether this number sent us anything before the text being answered.

    The inbound text is stored before the agent runs, so one stored inbound
    message means this question is the first thing the number ever sent.
    """
    inbound = turn.session.execute(
        select(func.count(Message.id)).where(Message.borrower_id == turn.borrower.id,
                                             Message.direction == "inbound")
    ).scalar_one()
    return inbound > 1


class ActionAskIdentity(BorrowerAction):
    """Name the dealer and what the texts are about; never an amount.

    The first text from a number may come from someone who is not the
    borrower (a changed number, a family phone): then no account details at
    all, only the dealer's name and how to confirm who they are. A collection
    agency always says it is one (Reg F), on the first text with what the
    information will be used for.
    """

    NAME = "action_ask_identity"

    def respond(self, turn: Turn) -> None:
        """Who is texting, and why."""
        dealer, contact = turn.dealer.name, turn.dealer.contact_phone or ""
        known = texted_before(turn)
        if known and turn.account is not None:
            text = turn.render("identity", dealer=dealer, reference=turn.account.reference,
                               contact=contact)
        else:
            text = turn.render("identity_unconfirmed", dealer=dealer, contact=contact)
        if turn.dealer.collector_mode == THIRD_PARTY:
            text = f"{text} {disclosure(turn.language, initial=not known)}"
        turn.replies.append(text)


class ActionNotTheBorrower(BorrowerAction):
    """ "this is his girlfriend", "no soy Jordan, soy su mamá": not the account holder.

    Nothing of the account is said, now or for the next texts from this phone
    (bot/dialogue/not_borrower.py); they may pay for the holder through a
    single-use link ("i'll pay for him" gets it at once).
    """

    NAME = not_borrower.ACTION

    def respond(self, turn: Turn) -> None:
        """Say we can only discuss the account with its holder; offer the payer link."""
        not_borrower.start(turn)
