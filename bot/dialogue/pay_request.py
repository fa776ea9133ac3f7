"""A request to pay, wherever it comes from: the pay intent, YES to "did you want to
pay?", or a second request in the same text.

A payment with a later day in it ("pay 100 on the 15th", "le pago todo el 15") is a
promise for that day, never a charge today: the borrower would be charged before the
day they named. "pay 100 today" and "pay 100" are offered now, with YES to confirm.
"""

from __future__ import annotations

from bot.dialogue import payment_flow, promise_flow
from bot.dialogue.context import Turn


def answer_pay_request(turn: Turn) -> None:
    """Offer the payment now, or record the promise for the later day the text names."""
    if promise_flow.later_day_named(turn):
        promise_flow.record_promise(turn)
        return
    payment_flow.offer_payment(turn, turn.entity("amount"))
