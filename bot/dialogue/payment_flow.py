"""The pay conversation: offer an amount, confirm with YES, charge once, receipt.

    borrower: pay 150
    bot:      You're paying $150.00 with Visa ending 4242 toward LN-1001.
              Reply YES to confirm or NO to cancel.
    borrower: yes
    bot:      Payment received: $150.00 ... Confirmation TP000123 ...
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from bot.dialogue import arrangements, commitments, questions
from bot.dialogue.context import Turn
from bot.models import Account, ConversationState, Installment, Payment, PaymentStatus
from bot.nlu.requests import BALANCE, requests_in
from bot.nlu.symbolic import HALF, INVALID
from bot.payments import charging, links, merchant, stripe_gateway
from bot.payments.reconcile import settle_unknown
from bot.sms_templates.receipts import receipt_text

# How long an in-flight payment may stay unexplained before we ask Stripe.
RECHECK_AFTER = timedelta(seconds=30)


def offer_payment(turn: Turn, requested: int | str | None) -> None:
    """Answer "pay" / "pay 150": store a pending payment and ask for YES."""
    account = turn.account
    if account is None:
        turn.say("no_account")
        return
    if merchant.for_dealer_or_none(turn.dealer) is None:
        turn.say("card_payments_unavailable")  # the dealer has no Stripe account to pay into
        return
    if not (account.stripe_customer_id and account.stripe_payment_method_id):
        url = links.create_link(turn.session, links.UPDATE_CARD, account.id)
        turn.say("no_card", reference=account.reference, link=url)
        return
    if requested == INVALID:
        # "pay 0", "pay -50", "pay 50.999": ask, and leave any pending prompt as it is.
        turn.say("ask_amount")
        return
    if _blocked_by_in_flight(turn):
        return
    decision = charging.decide_amount(charging.resolve_requested(requested, account),
                                      account, turn.dealer)
    if decision.kind == "nothing_owed":
        questions.clear(turn.session, turn.borrower.id)
        turn.say("nothing_owed", reference=account.reference)
        return
    if decision.kind == "below_minimum":
        turn.say("below_minimum", minimum=turn.money(decision.amount_cents))
        return
    commitments.mention_open_dispute(turn)
    payment = charging.create_pending(turn.session, account, decision.amount_cents)
    questions.ask(turn.session, turn.borrower.id, questions.PAYMENT_CONFIRMATION,
                  payment.id, turn.now)
    key = _confirmation_key(requested, decision.kind, account)
    if key == "confirm_payment" and BALANCE in requests_in(turn.text, turn.entities):
        key = "confirm_payment_leaving"  # "pay 100 and what do i owe after"
    turn.say(key, amount=turn.money(payment.amount_cents),
             balance=turn.money(account.balance_cents),
             amount_due=turn.money(account.amount_due_cents), card=turn.card(),
             reference=account.reference,
             left=turn.money(account.balance_cents - payment.amount_cents))


def _confirmation_key(requested: int | str | None, kind: str, account: Account) -> str:
    """Which "Reply YES" prompt: "half" says half of what (the amount due, else the balance)."""
    if kind == "over_balance":
        return "confirm_over_balance"
    if requested == HALF and kind == "ok":
        due = charging.default_amount(account) == account.amount_due_cents
        return "confirm_half_due" if due else "confirm_half_balance"
    return "confirm_payment"


def _blocked_by_in_flight(turn: Turn) -> bool:
    """Refuse a new charge while an earlier one's outcome is unknown."""
    payment = charging.in_flight_payment(turn.session, turn.account)
    if payment is None:
        return False
    if payment.status == PaymentStatus.UNKNOWN and turn.now - payment.updated_at > RECHECK_AFTER:
        settle_unknown(turn.session, payment)
        if payment.status == PaymentStatus.SUCCEEDED:
            _say_receipt(turn, payment)
            return True
        if payment.status not in PaymentStatus.IN_FLIGHT:
            return False
    if payment.status == PaymentStatus.REQUIRES_ACTION:
        # The borrower never finished the bank's approval; a new attempt replaces it.
        payment.status = PaymentStatus.CANCELED
        return False
    turn.say("payment_in_flight", amount=turn.money(payment.amount_cents))
    return True


def ask_again(turn: Turn, question: ConversationState) -> None:
    """Not an unconditional yes: the same question again (nothing is charged)."""
    payment = (turn.session.get(Payment, question.awaiting_ref)
               if question.awaiting == questions.PAYMENT_CONFIRMATION else None)
    if payment is None or payment.status != PaymentStatus.PENDING or turn.account is None:
        turn.say("confirm_unclear")
        return
    turn.say("confirm_payment", amount=turn.money(payment.amount_cents),
             card=turn.card(payment.card_brand, payment.card_last4),
             reference=turn.account.reference)


def confirm_payment(turn: Turn, payment_id: int) -> None:
    """YES to "Reply YES to pay": charge exactly once, or explain why not."""
    session = turn.session
    if charging.claim(session, payment_id, turn.now):
        questions.clear(session, turn.borrower.id)
        # Commit the claim before calling Stripe so racing replies see it.
        session.commit()
        payment = session.get(Payment, payment_id)
        outcome = charging.charge_claimed(session, payment)
        _say_outcome(turn, payment, outcome)
        return
    payment = session.get(Payment, payment_id)
    if charging.expire_if_stale(session, payment_id, turn.now):
        questions.clear(session, turn.borrower.id)
        turn.say("confirmation_expired")
        offer_payment(turn, payment.amount_cents)
        return
    describe_settled(turn, payment)


def _latest_recent_payment(turn: Turn) -> Payment | None:
    if turn.account is None:
        return None
    latest = turn.session.execute(
        select(Payment).where(Payment.account_id == turn.account.id)
        .order_by(Payment.id.desc()).limit(1)
    ).scalar_one_or_none()
    if latest is None or latest.created_at < charging.confirmation_deadline(turn.now):
        return None
    return latest


def describe_settled(turn: Turn, payment: Payment | None) -> None:
    """A YES that found nothing to confirm: say what became of the last payment."""
    payment = payment or _latest_recent_payment(turn)
    if payment is not None:
        turn.session.refresh(payment)
    if payment is not None and payment.status == PaymentStatus.SUCCEEDED:
        turn.say("already_paid_recently", amount=turn.money(payment.amount_cents),
                 confirmation=payment.confirmation_code)
    elif payment is not None and payment.status in PaymentStatus.IN_FLIGHT:
        turn.say("payment_in_flight", amount=turn.money(payment.amount_cents))
    else:
        arranged = arrangements.current(turn) is not None  # then no "To make a payment..."
        turn.say("nothing_to_confirm_arranged" if arranged else "nothing_to_confirm")


def cancel_payment(turn: Turn, payment_id: int) -> None:
    """NO to "Reply YES to pay": nothing is charged."""
    questions.clear(turn.session, turn.borrower.id)
    if charging.cancel_pending(turn.session, payment_id):
        turn.say("payment_canceled")
    else:
        describe_settled(turn, turn.session.get(Payment, payment_id))


def _say_receipt(turn: Turn, payment: Payment) -> None:
    # The dealer's receipt template, the same one texted after a bank approval
    # or a plan installment (it thanks the borrower for paying on time).
    turn.replies.append(receipt_text(turn.session, payment, turn.account, turn.now))


def say_installment_result(turn: Turn, installment: Installment) -> None:
    """The reply about a plan installment charged during the conversation."""
    payment = turn.session.get(Payment, installment.payment_id)
    outcome = {
        PaymentStatus.SUCCEEDED: stripe_gateway.SUCCEEDED,
        PaymentStatus.FAILED: stripe_gateway.DECLINED,
        PaymentStatus.REQUIRES_ACTION: stripe_gateway.AUTHENTICATION_REQUIRED,
    }.get(payment.status, stripe_gateway.UNAVAILABLE)
    _say_outcome(turn, payment, outcome)


def _say_outcome(turn: Turn, payment: Payment, outcome: str) -> None:
    account = turn.account
    if outcome == stripe_gateway.SUCCEEDED:
        _say_receipt(turn, payment)
    elif outcome == stripe_gateway.DECLINED:
        url = links.create_link(turn.session, links.UPDATE_CARD, account.id)
        turn.say("declined", last4=payment.card_last4 or "", link=url)
    elif outcome == stripe_gateway.CARD_UNAVAILABLE:
        # The card on file is not in the dealer's Stripe account: nothing was charged.
        url = links.create_link(turn.session, links.UPDATE_CARD, account.id)
        turn.say("no_card", reference=account.reference, link=url)
    elif outcome == stripe_gateway.NOT_CONNECTED:
        turn.say("card_payments_unavailable")
    elif outcome == stripe_gateway.AUTHENTICATION_REQUIRED:
        url = links.create_link(turn.session, links.AUTHENTICATE, account.id, payment.id)
        turn.say("authentication_required", amount=turn.money(payment.amount_cents), link=url)
    else:
        turn.say("stripe_unavailable", amount=turn.money(payment.amount_cents))
