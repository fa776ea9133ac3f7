"""What is already arranged on the borrower's account, so the bot's replies agree with it.

A promise not yet due, an active plan, an open dispute, or a pause staff agreed
("no texts until the 15th"): while one stands, the bot's own replies neither ask
for a payment nor offer a plan. The borrower can still ask for either ("pay",
"PLAN") and is answered as always. The records are the same ones the bot makes
from a text and staff make on a call or at hand-back (bot/console/agreements.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from bot.dialogue import commitments
from bot.dialogue.context import Turn
from bot.localtime import local_today

PROMISE, PLAN, DISPUTE, PAUSE = "promise", "plan", "dispute", "pause"


@dataclass(frozen=True)
class Arrangement:
    """The arrangement in force; for a promise or plan, the next amount and date."""

    kind: str
    amount_cents: int | None = None
    day: date | None = None


def current(turn: Turn) -> Arrangement | None:
    """The arrangement on the turn's account that the bot's replies must respect (read
    from the one view of what is open, bot/collection.py `commitments`)."""
    open_now = commitments.of(turn)
    if open_now is None:
        return None
    if open_now.dispute is not None:
        return Arrangement(DISPUTE)
    if open_now.promise is not None:
        promise = open_now.promise
        return Arrangement(PROMISE, promise.amount_cents or turn.account.amount_due_cents,
                           promise.promised_date)
    if open_now.plan is not None:
        upcoming = open_now.next_installment
        return Arrangement(PLAN, upcoming.amount_cents if upcoming else None,
                           (upcoming.next_attempt_on or upcoming.due_date) if upcoming else None)
    today = local_today(turn.borrower, turn.dealer, turn.now)
    paused = turn.borrower.texts_paused_until
    if paused is not None and paused >= today:
        return Arrangement(PAUSE, day=paused)
    return None


def greet(turn: Turn) -> None:
    """ "hi": what is arranged, or the menu (no payment prompt while something is)."""
    arranged = current(turn)
    first_name = turn.borrower.first_name
    if arranged is None:
        turn.say("greet", first_name=first_name)
    elif arranged.kind in (PROMISE, PLAN) and arranged.day is not None:
        turn.say(f"greet_{arranged.kind}", first_name=first_name,
                 amount=turn.money(arranged.amount_cents or 0), date=turn.day(arranged.day))
    else:
        turn.say("greet_plain", first_name=first_name)
