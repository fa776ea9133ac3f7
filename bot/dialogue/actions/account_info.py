"""What the borrower owes, when, and what is arranged."""

from __future__ import annotations

from bot.dialogue import arrangements, commitments
from bot.dialogue.actions.base import BorrowerAction
from bot.dialogue.context import Turn


class ActionCheckBalance(BorrowerAction):
    """ "what's my balance": balance, amount due and date, and everything open on it."""

    NAME = "action_check_balance"

    def respond(self, turn: Turn) -> None:
        """Tell the balance, what is due when, and every open commitment."""
        account = turn.owing_account()
        if account is None:
            return
        balance = turn.money(account.balance_cents)
        open_now = commitments.of(turn)
        if open_now.dispute is not None:
            turn.say("balance_in_dispute", reference=account.reference, balance=balance)
        elif account.amount_due_cents > 0 and account.due_date:
            arranged = arrangements.current(turn) is not None  # then no "Reply PAY"
            turn.say("balance_with_due_arranged" if arranged else "balance_with_due",
                     reference=account.reference, balance=balance,
                     amount_due=turn.money(account.amount_due_cents),
                     due_date=turn.day(account.due_date))
        else:
            turn.say("balance_nothing_due", reference=account.reference, balance=balance)
        commitments.describe(turn, open_now)
