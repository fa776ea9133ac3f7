"""What the borrower has already agreed to, said before anything new is agreed.

One account used to collect an open dispute, an active plan and a separate
promise, each accepted without a word about the others. The conversation
now reads every open commitment from one place (bot/collection.py
`commitments`) and keeps them coherent:

- while a dispute is open, a payment prompt, a plan or a promise says so;
- a promise while a plan is active moves (or splits) the plan's next
  payment instead of running beside it;
- a plan that is set up replaces an open promise, and says so;
- the balance reply states every open commitment;
- plan payments wait while a dispute is open (bot/payments/installments.py).
"""

from __future__ import annotations

from datetime import date

from bot.collection import Commitments, commitments
from bot.dialogue.context import Turn
from bot.localtime import local_today
from bot.payments import installments


def of(turn: Turn) -> Commitments | None:
    """The open commitments of the turn's account (None without an account)."""
    if turn.account is None:
        return None
    return commitments(turn.session, turn.account, local_today(turn.borrower, turn.dealer,
                                                                turn.now))


def mention_open_dispute(turn: Turn, open_now: Commitments | None = None) -> bool:
    """Before asking for money or agreeing a date: say the dispute is still open."""
    open_now = open_now or of(turn)
    if open_now is None or open_now.dispute is None:
        return False
    turn.say("dispute_still_open", reference=turn.account.reference)
    return True


def mention_replaced_promise(turn: Turn, open_now: Commitments | None = None) -> None:
    """A plan offered while a promise is open: the plan would replace it."""
    open_now = open_now or of(turn)
    if open_now is not None and open_now.promise is not None:
        promise = open_now.promise
        turn.say("plan_replaces_promise", amount=turn.money(promise.amount_cents or 0),
                 date=turn.day(promise.promised_date))


def promise_within_plan(turn: Turn, open_now: Commitments, day: date,
                        amount_cents: int | None) -> bool:
    """A promised date while a plan is active moves the plan's next payment to that day
    (or, for less than the payment, splits it: the rest goes at the end of the plan).
    Returns False when there is no plan payment to move."""
    upcoming = open_now.next_installment
    if open_now.plan is None or upcoming is None:
        return False
    was = upcoming.next_attempt_on or upcoming.due_date
    if amount_cents and amount_cents < upcoming.amount_cents:
        rest = installments.split(turn.session, upcoming, amount_cents, day)
        turn.say("promise_splits_installment", amount=turn.money(amount_cents),
                 date=turn.day(day), rest=turn.money(rest.amount_cents),
                 rest_date=turn.day(rest.due_date))
    else:
        installments.move(upcoming, day)
        turn.say("promise_moves_installment", amount=turn.money(upcoming.amount_cents),
                 was=turn.day(was), date=turn.day(day))
    return True


def describe(turn: Turn, open_now: Commitments) -> None:
    """The balance reply's account of everything open: dispute, plan, promise, claim."""
    if open_now.next_installment is not None and open_now.dispute is not None:
        turn.say("balance_plan_on_hold")  # no plan payment is charged during a dispute
    elif open_now.next_installment is not None:
        upcoming = open_now.next_installment
        turn.say("balance_next_installment", amount=turn.money(upcoming.amount_cents),
                 date=turn.day(upcoming.next_attempt_on or upcoming.due_date))
    if open_now.promise is not None:
        promise = open_now.promise
        turn.say("balance_promise", amount=turn.money(promise.amount_cents or 0),
                 date=turn.day(promise.promised_date))
    if open_now.claim is not None:
        turn.say("balance_claim", date=turn.day(open_now.claim.pause_until))
