"""/pay/<token>: someone else pays on a borrower's account (bot/payments/payers.py).

The borrower forwards the link we texted them. The person paying gives their
name and an amount here; in production they then pay on Stripe Checkout
(payment mode, no customer: their card is saved nowhere) and the webhook posts
the payment; in demo and test mode this page stands in for Checkout and charges
a test card in the emulator. Either way the borrower is texted the receipt.
The page speaks the borrower's language (bot/wording/pages/, the `payer_` entries).
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
from bot.models import Account, Payment, PaymentStatus, SecureLink
from bot.money import format_cents
from bot.payments import links, merchant, payers, stripe_gateway
from bot.settings import get_settings
from bot.web import page_security
from bot.web.secure_pages import TEST_CARDS, labelled_test_cards
from bot.wording.catalog import SUPPORTED_LANGUAGES
from bot.wording.page_words import Words, page_language, words

log = logging.getLogger(__name__)
bp = Blueprint("payer", __name__, url_prefix="/pay")
page_security.protect(bp)  # CSP, no framing, no referrer, no caching; CSRF on forms

# Outcomes that charged nothing, and what the payer reads about them.
NOT_CHARGED = {stripe_gateway.DECLINED: "declined",
               stripe_gateway.CARD_UNAVAILABLE: "unavailable",
               stripe_gateway.NOT_CONNECTED: "unavailable"}


def _language(borrowers: str | None = None) -> str:
    """The language asked for (?lang=), else the borrower's, else English."""
    asked = request.values.get("lang")
    return page_language(asked if asked in SUPPORTED_LANGUAGES else borrowers)


def _say(t: Words, key: str, **values: object) -> str:
    return t(f"payer_{key}", **values)


class Page:
    """One payer page being answered: its link's account and the page's language."""

    def __init__(self, token: str, account: Account) -> None:
        self.token, self.account = token, account
        self.language = _language(account.borrower.language)
        self.t = words(self.language)

    def money(self, cents: int) -> str:
        """Cents in the dealer's currency, as the page's language writes money."""
        return format_cents(cents, self.account.dealer.currency, self.language)

    def names(self) -> dict[str, str]:
        """Who is who on the page (the dealer, the borrower's first name, the account)."""
        return {"dealer": self.account.dealer.name, "reference": self.account.reference,
                "first_name": self.account.borrower.first_name}

    def say(self, key: str, **values: object) -> str:
        """Text `key` of the page's language, filled in."""
        return _say(self.t, key, **self.names(), **values)

    def form(self, status: int = 200, error: str | None = None, name: str = "",
             amount: str | None = None) -> ResponseReturnValue:
        """The payer's form: who is paying, how much, and (test mode) which test card."""
        suggested = payers.suggested_amount(self.account)
        other = "es" if self.language == "en" else "en"
        return render_template(
            "payer/pay.html", token=self.token, t=self.t, lang=self.language, other=other,
            title=self.say("title"),
            intro=self.say("intro", amount_due=self.money(suggested),
                           balance=self.money(self.account.balance_cents)),
            card_note=self.say("card_note"), error=error, name=name,
            amount=amount if amount is not None else f"{Decimal(suggested) / 100:.2f}",
            emulated=get_settings().stripe_emulated,
            test_cards=labelled_test_cards(self.t)), status

    def done(self, title_key: str, message: str, status: int = 200) -> ResponseReturnValue:
        """A page that ends the visit with one message."""
        return render_template("payer/done.html", lang=self.language,
                               title=_say(self.t, title_key), message=message), status


def _gone(session: Session, token: str) -> ResponseReturnValue:
    """The friendly page for a link that no longer opens (used, expired, or not ours).

    A link used by a payment that went through (or is going through) says so: a second
    press of *Pay* lands here and must not look like a failure.
    """
    state = links.link_state(session, token, links.PAYER)
    if state == "open":
        # A second press while the first is charging: that press's use of the link is
        # not committed yet, so the link still reads as open. Say it is being charged.
        link = links.read_link(session, token, links.PAYER)
        page = Page(token, session.get(Account, link.account_id))
        return page.done("pending_title", page.say("pending"), 409)
    link = links.read_link(session, token, links.PAYER) if state == "used" else None
    payment = session.get(Payment, link.payment_id) if link and link.payment_id else None
    if payment is not None and payment.status in (PaymentStatus.SUCCEEDED,
                                                  PaymentStatus.PROCESSING):
        page = Page(token, session.get(Account, link.account_id))
        if payment.status == PaymentStatus.SUCCEEDED:
            return page.done("used_title", page.say(
                "used_paid", amount=page.money(payment.amount_cents),
                confirmation=payment.confirmation_code), 410)
        return page.done("pending_title", page.say("pending"), 410)
    return _plain_page(state, 410 if state in ("used", "expired") else 404)


def _plain_page(key: str, status: int, title_key: str | None = None) -> ResponseReturnValue:
    """A page with one message and no account behind it, in the language asked for."""
    t = words(_language())
    return render_template("payer/done.html", lang=t.language,
                           title=_say(t, title_key or f"{key}_title"),
                           message=_say(t, key)), status


@bp.errorhandler(400)
def _form_refused(_error: Exception) -> ResponseReturnValue:
    """A form sent without this browser's CSRF token (cookies off, another browser): the
    payer reads it in the form's language (its hidden `lang`) instead of werkzeug's
    English "Bad Request"."""
    return _plain_page("form_refused", 400)


@bp.get("/<token>")
def pay_form(token: str) -> ResponseReturnValue:
    """Who is paying and how much (the amount due, up to the balance)."""
    with session_scope() as session:
        link = links.find_link(session, token, links.PAYER)
        if link is None:
            return _gone(session, token)
        page = Page(token, session.get(Account, link.account_id))
        if merchant.for_dealer_or_none(page.account.dealer) is None:
            return page.done("unavailable_title", page.say("unavailable"), 409)
        return page.form()


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
        page = Page(token, session.get(Account, link.account_id))
        try:
            name = payers.clean_name(name_raw)
        except payers.PayerInputError:
            return page.form(400, page.say("error_name"), name_raw[:payers.MAX_NAME],
                             amount_raw[:20])
        cents = _cents(amount_raw)
        card = request.form.get("card", "")
        emulated = get_settings().stripe_emulated
        if cents is None or (emulated and card not in TEST_CARDS):
            error = page.say("error_card" if cents is not None else "error_amount")
            return page.form(400, error, name, amount_raw[:20])
        started = payers.start(session, link, name, cents)
        if started.payment is None:
            return _refused(session, page, started, name, amount_raw)
        # The claim is committed before Stripe is asked, so a second press finds it spent.
        session.commit()
        if emulated:
            return _charge_test_card(session, page, link, started.payment, card, name)
        return _to_checkout(session, page, started.payment)


def _refused(session: Session, page: Page, started: payers.Started, name: str,
             amount_raw: str) -> ResponseReturnValue:
    """Nothing was charged: say why, in plain words."""
    account = page.account
    if started.refusal == "not_approved":
        return render_template("payer/refused.html", lang=page.language,
                               title=page.say("refused_title"), message=page.say("refused"),
                               next=page.say("refused_next")), 403
    if started.refusal == "bad_amount":
        low = min(account.dealer.minimum_payment_cents, account.balance_cents)
        return page.form(400, page.say("error_range", low=page.money(low),
                                       high=page.money(account.balance_cents)),
                         name, amount_raw[:20])
    if started.refusal == "used":
        return _gone(session, page.token)
    key = "nothing_owed" if started.refusal == "nothing_owed" else "busy"
    return page.done("not_charged_title", page.say(key), 409)


def _charge_test_card(session: Session, page: Page, link: SecureLink, payment: Payment,
                      card: str, name: str) -> ResponseReturnValue:
    """Emulator stand-in for Checkout: make the payer's test card and charge it, saving it
    on nobody."""
    try:
        method = stripe_gateway.emulator_card(merchant.for_payment(payment), card, 12, 2034,
                                              "123")
    except stripe.StripeError as error:
        log.warning("payer's test card not made: %s", type(error).__name__)
        payers.give_up(session, payment)
        return page.form(502, page.say("card_failed"), name)
    outcome, followups = payers.charge(session, link, payment, method)
    carry_out(session, followups)
    if outcome == stripe_gateway.SUCCEEDED:
        return page.done("thanks_title", page.say(
            "paid", name=name, amount=page.money(payment.amount_cents),
            confirmation=payment.confirmation_code))
    if outcome == stripe_gateway.AUTHENTICATION_REQUIRED:
        url = links.create_link(session, links.AUTHENTICATE, page.account.id, payment.id)
        return redirect(url, code=303)  # the bank's approval step (secure_pages)
    if outcome in NOT_CHARGED:
        return page.form(402, page.say(NOT_CHARGED[outcome]), name)
    return page.done("pending_title", page.say("pending"))


def _to_checkout(session: Session, page: Page, payment: Payment) -> ResponseReturnValue:
    """Production: Stripe Checkout in payment mode takes the payer's card."""
    account = page.account
    back = f"{links.base_url()}/pay/done?lang={page.language}"
    try:
        url = stripe_gateway.checkout_payment_url(
            merchant.for_payment(payment), payment.amount_cents, account.dealer.currency,
            description=f"{account.dealer.name}: {account.reference}",
            success_url=back, cancel_url=back, idempotency_key=payment.idempotency_key,
            metadata={"textpay_key": payment.idempotency_key,
                      "textpay_payment_id": str(payment.id),
                      "account_reference": account.reference},
            locale=page.language)
    except stripe.StripeError as error:
        log.warning("payer checkout not opened: %s", type(error).__name__)
        payers.give_up(session, payment)
        return page.done("retry_title", page.say("checkout_failed"), 503)
    return redirect(url, code=303)


@bp.get("/done")
def done() -> ResponseReturnValue:
    """Where Stripe Checkout sends the payer back."""
    return _plain_page("back", 200, "thanks_title")
