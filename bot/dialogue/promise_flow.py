"""The promise conversation: "I get paid Friday" becomes a dated promise.

Dates are read in the borrower's time zone and always land on or after
today. A date beyond what the dealer holds an account for gets a plan offer
instead.
"""

from __future__ import annotations

from datetime import date

from bot.dialogue import commitments, plan_flow, questions
from bot.dialogue.context import Turn
from bot.localtime import local_today
from bot.nlu.dates import find_dates, resolve_date
from bot.payments import charging, plans, promises


def _promised_date(turn: Turn) -> tuple[date | None, date]:
    today = local_today(turn.borrower, turn.dealer, turn.now)
    phrase = turn.entity("date")
    phrases = [phrase] if phrase else [span.text for span in find_dates(turn.text)]
    for candidate in phrases:
        day = resolve_date(str(candidate), today, turn.language)
        if day is not None and day >= today:
            return day, today
    return None, today


def later_day_named(turn: Turn) -> bool:
    """Whether the text names a day after today ("on the 15th", "friday", "el 15")."""
    day, today = _promised_date(turn)
    return day is not None and day > today


def record_promise(turn: Turn) -> None:
    """Answer "I get paid Friday": store the promise, or ask for the date."""
    account = turn.account
    if account is None:
        turn.say("no_account")
        return
    day, today = _promised_date(turn)
    if day is None:
        questions.ask(turn.session, turn.borrower.id, questions.PROMISE_DATE, None, turn.now)
        turn.say("promise_ask_date")
        return
    questions.clear(turn.session, turn.borrower.id)
    if (day - today).days > turn.dealer.promise_max_days:
        turn.say("promise_too_far", days=turn.dealer.promise_max_days)
        request = plans.PlanRequest(total_cents=charging.default_amount(account))
        plan_flow.propose_plan(turn, request)
        return
    requested = turn.entity("amount")
    open_now = commitments.of(turn)
    commitments.mention_open_dispute(turn, open_now)
    explicit = charging.resolve_requested(requested, account) if requested else None
    if commitments.promise_within_plan(turn, open_now, day, explicit):
        return
    amount = explicit or charging.default_amount(account)
    promises.record_promise(turn.session, account, day, amount, turn.text)
    turn.say("promise_recorded", first_name=turn.borrower.first_name, amount=turn.money(amount),
             date=turn.day(day))
