"""What the borrower owes and when."""

from __future__ import annotations

from bot.dialogue.actions.base import BorrowerAction
from bot.dialogue.context import Turn


class ActionCheckBalance(BorrowerAction):
    """ "what's my balance": balance, amount due and due date."""

    NAME = "action_check_balance"

    def respond(self, turn: Turn) -> None:
        """Tell the balance, and what is due when."""
        account = turn.account
        if account is None:
            turn.say("no_account")
            return
        if account.balance_cents <= 0:
            turn.say("nothing_owed", reference=account.reference)
            return
        if account.amount_due_cents > 0 and account.due_date:
            turn.say("balance_with_due", reference=account.reference,
                     balance=turn.money(account.balance_cents),
                     amount_due=turn.money(account.amount_due_cents),
                     due_date=turn.day(account.due_date))
        else:
            turn.say("balance_nothing_due", reference=account.reference,
                     balance=turn.money(account.balance_cents))
