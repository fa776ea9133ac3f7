"""What the borrower owes, when, and what is arranged."""

from __future__ import annotations

from sqlalchemy import select

from bot.collection import active_plan, open_dispute, open_promise
from bot.dialogue.actions.base import BorrowerAction
from bot.dialogue.context import Turn
from bot.localtime import local_today
from bot.models import Installment


class ActionCheckBalance(BorrowerAction):
    """ "what's my balance": balance, amount due and date, next installment or promise."""

    NAME = "action_check_balance"

    def respond(self, turn: Turn) -> None:
        """Tell the balance, what is due when, and any plan or promise."""
        account = turn.owing_account()
        if account is None:
            return
        balance = turn.money(account.balance_cents)
        disputed = open_dispute(turn.session, account.id) is not None
        if disputed:
            turn.say("balance_in_dispute", reference=account.reference, balance=balance)
        elif account.amount_due_cents > 0 and account.due_date:
            turn.say("balance_with_due", reference=account.reference, balance=balance,
                     amount_due=turn.money(account.amount_due_cents),
                     due_date=turn.day(account.due_date))
        else:
            turn.say("balance_nothing_due", reference=account.reference, balance=balance)
        if not disputed:
            self._arrangements(turn)

    def _arrangements(self, turn: Turn) -> None:
        account = turn.account
        plan = active_plan(turn.session, account.id)
        if plan is not None:
            upcoming = turn.session.execute(
                select(Installment).where(Installment.plan_id == plan.id,
                                          Installment.status == "scheduled")
                .order_by(Installment.sequence)
            ).scalars().first()
            if upcoming is not None:
                turn.say("balance_next_installment", amount=turn.money(upcoming.amount_cents),
                         date=turn.day(upcoming.next_attempt_on or upcoming.due_date))
        today = local_today(turn.borrower, turn.dealer, turn.now)
        promise = open_promise(turn.session, account.id, today)
        if promise is not None:
            turn.say("balance_promise", amount=turn.money(promise.amount_cents or 0),
                     date=turn.day(promise.promised_date))
