"""/pay/<token>: someone else pays on a borrower's account (bot/payments/payers.py).

The borrower forwards the link we texted them. The person paying gives their
name and an amount here; in production they then pay on Stripe Checkout
(payment mode, no customer: their card is saved nowhere) and the webhook posts
the payment; in demo and test mode this page stands in for Checkout and charges
a test card in the emulator. Either way the borrower is texted the receipt.
"""

from __future__ import annotations

import logging
from decimal import Decimal, InvalidOperation

import stripe
from flask import Blueprint, redirect, render_template, request
from flask.typing import ResponseReturnValue
from sqlalchemy.orm import Session

from bot.db import session_scope
from bot.messaging.notices import carry_out
from bot.models import Account, Payment, SecureLink
from bot.money import format_cents
from bot.payments import links, merchant, payers, stripe_gateway
from bot.settings import get_settings
from bot.web.link_pages import protect
from bot.web.secure_pages import TEST_CARDS

log = logging.getLogger(__name__)
bp = protect(Blueprint("payer", __name__, url_prefix="/pay"))

# What the payer reads when a charge did not go through (nothing was charged).
NOT_CHARGED = {
    stripe_gateway.DECLINED: "The card was declined. Nothing was charged. You can try "
                             "another card.",
    stripe_gateway.CARD_UNAVAILABLE: "Card payments are not available for this account "
                                     "right now. Nothing was charged.",
    stripe_gateway.NOT_CONNECTED: "Card payments are not available for this account right "
                                  "now. Nothing was charged.",
}


def _gone(session: Session, token: str) -> ResponseReturnValue:
    """The friendly page for a link that no longer opens (used, expired, or not ours)."""
    state = links.link_state(session, token, links.PAYER)
    return render_template("payer/unavailable.html", state=state), 410 if state in (
        "used", "expired") else 404


def _money(account: Account, cents: int) -> str:
    return format_cents(cents, account.dealer.currency)


def _form(account: Account, token: str, status: int = 200, error: str | None = None,
          name: str = "", amount: str | None = None) -> ResponseReturnValue:
    """The payer's form: who is paying, how much, and (test mode) which test card."""
    suggested = payers.suggested_amount(account)
    return render_template(
        "payer/pay.html", token=token, dealer=account.dealer.name,
        first_name=account.borrower.first_name, reference=account.reference,
        amount_due=_money(account, suggested), balance=_money(account, account.balance_cents),
        amount=amount if amount is not None else f"{Decimal(suggested) / 100:.2f}",
        name=name, error=error, emulated=get_settings().stripe_emulated,
        test_cards=TEST_CARDS), status


@bp.get("/<token>")
def pay_form(token: str) -> ResponseReturnValue:
    """Who is paying and how much (the amount due, up to the balance)."""
    with session_scope() as session:
        link = links.find_link(session, token, links.PAYER)
        if link is None:
            return _gone(session, token)
        account = session.get(Account, link.account_id)
        if merchant.for_dealer_or_none(account.dealer) is None:
            return render_template("payer/done.html", title="Card payments unavailable",
                                   message=NOT_CHARGED[stripe_gateway.NOT_CONNECTED]), 409
        return _form(account, token)


def _cents(raw: str) -> int | None:
    """Dollars and cents as typed ("150", "$1,200.50"); None when it is not that."""
    text = (raw or "").strip().replace(",", "").replace("$", "")
    try:
        amount = Decimal(text)
    except InvalidOperation:
        return None
    if not amount.is_finite() or amount.as_tuple().exponent < -2:  # type: ignore[operator]
        return None
    return int(amount * 100)


@bp.post("/<token>")
def pay_submit(token: str) -> ResponseReturnValue:
    """Check the payer and the amount, then charge once (test mode) or go to Checkout."""
    name_raw, amount_raw = request.form.get("payer_name", ""), request.form.get("amount", "")
    with session_scope() as session:
        link = links.find_link(session, token, links.PAYER)
        if link is None:
            return _gone(session, token)
        account = session.get(Account, link.account_id)
        try:
            name = payers.clean_name(name_raw)
        except payers.PayerInputError:
            return _form(account, token, 400, "Please enter your full name.",
                         name_raw[:payers.MAX_NAME], amount_raw[:20])
        cents = _cents(amount_raw)
        card = request.form.get("card", "")
        emulated = get_settings().stripe_emulated
        if cents is None or (emulated and card not in TEST_CARDS):
            error = "Please choose a card." if cents is not None else \
                "Please enter an amount in dollars and cents."
            return _form(account, token, 400, error, name, amount_raw[:20])
        started = payers.start(session, link, name, cents)
        if started.payment is None:
            return _refused(session, account, token, started, name, amount_raw)
        # The claim is committed before Stripe is asked, so a second press finds it spent.
        session.commit()
        if emulated:
            return _charge_test_card(session, token, link, started.payment, card, name)
        return _to_checkout(session, started.payment, account)


def _refused(session: Session, account: Account, token: str, started: payers.Started,
             name: str, amount_raw: str) -> ResponseReturnValue:
    """Nothing was charged: say why, in plain words."""
    if started.refusal == "not_approved":
        return render_template("payer/refused.html", dealer=account.dealer.name,
                               first_name=account.borrower.first_name), 403
    if started.refusal == "bad_amount":
        low = min(account.dealer.minimum_payment_cents, account.balance_cents)
        return _form(account, token, 400, f"Please enter an amount from {_money(account, low)} "
                     f"to {_money(account, account.balance_cents)}.", name, amount_raw[:20])
    if started.refusal == "used":
        return _gone(session, token)
    message = ("Nothing is owed on this account now. Nothing was charged."
               if started.refusal == "nothing_owed" else
               "A payment on this account is being processed. Nothing was charged; please "
               "try again in a few minutes.")
    return render_template("payer/done.html", title="Nothing was charged",
                           message=message), 409


def _charge_test_card(session: Session, token: str, link: SecureLink, payment: Payment,
                      card: str, name: str) -> ResponseReturnValue:
    """Emulator stand-in for Checkout: make the payer's test card and charge it, saving it
    on nobody."""
    account = session.get(Account, payment.account_id)
    try:
        method = stripe_gateway.emulator_card(merchant.for_payment(payment), card, 12, 2034,
                                              "123")
    except stripe.StripeError as error:
        log.warning("payer's test card not made: %s", type(error).__name__)
        payers.give_up(session, payment)
        return _form(account, token, 502,
                     "The card could not be used. Nothing was charged.", name)
    outcome, followups = payers.charge(session, link, payment, method)
    carry_out(session, followups)
    if outcome == stripe_gateway.SUCCEEDED:
        return render_template(
            "payer/done.html", title="Thank you",
            message=f"Thank you, {name}. You paid {_money(account, payment.amount_cents)} to "
                    f"{account.dealer.name} for {account.borrower.first_name}'s account "
                    f"{account.reference}. Confirmation {payment.confirmation_code}. We've "
                    f"texted {account.borrower.first_name} a receipt.")
    if outcome == stripe_gateway.AUTHENTICATION_REQUIRED:
        url = links.create_link(session, links.AUTHENTICATE, account.id, payment.id)
        return redirect(url, code=303)  # the bank's approval step (secure_pages)
    if outcome in NOT_CHARGED:
        return _form(account, token, 402, NOT_CHARGED[outcome], name)
    return render_template(
        "payer/done.html", title="Payment being confirmed",
        message=f"We couldn't confirm the payment yet. Please don't pay again: "
                f"{account.borrower.first_name} gets a receipt by text once it goes through.")


def _to_checkout(session: Session, payment: Payment, account: Account) -> ResponseReturnValue:
    """Production: Stripe Checkout in payment mode takes the payer's card."""
    done = f"{links.base_url()}/pay/done"
    try:
        url = stripe_gateway.checkout_payment_url(
            merchant.for_payment(payment), payment.amount_cents, account.dealer.currency,
            description=f"{account.dealer.name}: payment on {account.reference}",
            success_url=done, cancel_url=done, idempotency_key=payment.idempotency_key,
            metadata={"textpay_key": payment.idempotency_key,
                      "textpay_payment_id": str(payment.id),
                      "account_reference": account.reference})
    except stripe.StripeError as error:
        log.warning("payer checkout not opened: %s", type(error).__name__)
        payers.give_up(session, payment)
        return render_template("payer/done.html", title="Please try again later",
                               message="The payment page could not be opened. Nothing was "
                                       "charged; please try again in a few minutes."), 503
    return redirect(url, code=303)


@bp.get("/done")
def done() -> ResponseReturnValue:
    """Where Stripe Checkout sends the payer back."""
    return render_template("payer/done.html", title="Thank you",
                           message="Thank you. If the payment went through, the account "
                                   "holder gets a receipt by text. You can close this page.")
