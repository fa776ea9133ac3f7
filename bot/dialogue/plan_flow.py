"""The plan conversation: propose a schedule within the dealer's rules, YES sets it up.

    borrower: can I split it in 3
    bot:      We can do 3 payments of $100.00 on Dec 1, Dec 15 and Dec 29 with
              Visa ending 4242. Reply YES to set it up or NO to cancel.
"""

from __future__ import annotations

import re

from babel.lists import format_list

from bot.dialogue import commitments, payment_flow, questions
from bot.dialogue.context import Turn
from bot.escalations import escalate_account
from bot.localtime import local_today
from bot.models import Plan
from bot.money import locale_for
from bot.nlu.frequency import INSTALLMENT, parse_frequency
from bot.payments import installments, plans
from bot.payments.charging import default_amount
from bot.payments.followups import StaffAlert

_NOW_WORDS = re.compile(r"\b(now|today|right away|ahora|hoy|ya mismo)\b", re.IGNORECASE)


def describe_schedule(turn: Turn, amounts: list[int], dates: list) -> str:
    """ "3 payments of $100.00 on Dec 1, Dec 15 and Dec 29" (or each amount with its date)."""
    locale = locale_for(turn.language)
    days = [turn.day(d) for d in dates]
    if len(set(amounts)) == 1:
        return turn.render("schedule_equal", count=len(amounts), amount=turn.money(amounts[0]),
                           dates=format_list(days, locale=locale))
    parts = [turn.render("schedule_part", amount=turn.money(a), date=d)
             for a, d in zip(amounts, days, strict=True)]
    return format_list(parts, locale=locale)


def bare_count(text: str) -> int | None:
    """ "4" or "4?" or "maybe 3" while a plan is on the table: a number of payments."""
    numbers = re.findall(r"\d+", text)
    if len(numbers) == 1 and len(text) <= 15 and 2 <= int(numbers[0]) <= 24:
        return int(numbers[0])
    return None


def installment_requested(turn: Turn) -> int | None:
    """The size of each payment the text asks for ("pay 25 every week" -> 2500), if any.

    bot/nlu gives such an amount the role ``installment``.
    """
    for entity in turn.entities:
        if (entity.get("entity") == "amount" and entity.get("role") == INSTALLMENT
                and isinstance(entity.get("value"), int)):
            return entity["value"]
    return None


def _request_from(turn: Turn) -> plans.PlanRequest:
    account = turn.account
    amount = turn.entity("amount")
    frequency = parse_frequency(turn.text)
    count = turn.entity("count") or (bare_count(turn.text) if amount is None else None)
    total = account.balance_cents if amount == "balance" else default_amount(account)
    installment = installment_requested(turn)
    if installment is None and isinstance(amount, int) and (frequency or count):
        installment = amount  # "3 payments: 100 now", a count beside the amount
    elif amount == "half":
        count = count or 2
    return plans.PlanRequest(total_cents=total, count=int(count) if count else None,
                             installment_cents=installment, frequency=frequency,
                             first_today=bool(_NOW_WORDS.search(turn.text)))


def propose_plan(turn: Turn, request: plans.PlanRequest | None = None) -> None:
    """Answer "can I split it": the closest allowed plan, waiting for YES."""
    account = turn.owing_account()
    if account is None:
        return
    request = request or _request_from(turn)
    today = local_today(turn.borrower, turn.dealer, turn.now)
    rules = plans.PlanRules.of(turn.dealer)
    offer = plans.offer_plan(request, rules, plans.plan_start(account, today, request.first_today))
    if offer is None:
        turn.say("plan_not_possible", total=turn.money(request.total_cents))
        return
    for reason in offer.adjustments[:1]:
        turn.say(f"plan_adjusted_{reason}", max=rules.max_installments,
                 minimum=turn.money(rules.min_installment_cents), days=rules.max_days,
                 frequencies=_frequencies(turn, rules))
    open_now = commitments.of(turn)
    commitments.mention_open_dispute(turn, open_now)
    commitments.mention_replaced_promise(turn, open_now)
    plan = plans.store_proposal(turn.session, account, offer)
    questions.ask(turn.session, turn.borrower.id, questions.PLAN_CONFIRMATION, plan.id, turn.now)
    turn.say("plan_offer", schedule=describe_schedule(turn, offer.amounts, offer.dates),
             card=turn.card())


def _frequencies(turn: Turn, rules: plans.PlanRules) -> str:
    words = [turn.render(f"frequency_{f}") for f in rules.frequencies]
    return format_list(words, style="or", locale=locale_for(turn.language))


def accept_plan(turn: Turn, plan_id: int, fresh: bool) -> None:
    """YES to a proposed plan: activate it; charge today's installment at once."""
    session = turn.session
    questions.clear(session, turn.borrower.id)
    plan = session.get(Plan, plan_id)
    if not fresh:
        plans.decline(session, plan_id)
        turn.say("plan_expired")
        propose_plan(turn, plans.PlanRequest(total_cents=plan.total_cents,
                                             count=plan.installment_count,
                                             frequency=plan.frequency))
        return
    today = local_today(turn.borrower, turn.dealer, turn.now)
    started, charged, followups = installments.start_plan(session, plan_id, today, turn.now)
    if not started:
        payment_flow.describe_settled(turn, None)
        return
    items = list(plan.installments)
    turn.say("plan_accepted", schedule=describe_schedule(
        turn, [i.amount_cents for i in items], [i.due_date for i in items]))
    if charged is not None:
        # The reply tells the borrower; only what staff must see goes on.
        for alert in followups:
            if isinstance(alert, StaffAlert):
                escalate_account(session, alert.account_id, alert.reason, alert.detail)
        payment_flow.say_installment_result(turn, charged)


def decline_plan(turn: Turn, plan_id: int) -> None:
    """NO to a proposed plan."""
    questions.clear(turn.session, turn.borrower.id)
    plans.decline(turn.session, plan_id)
    turn.say("plan_declined")
