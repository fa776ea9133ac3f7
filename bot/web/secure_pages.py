"""The pages behind the secure links we text: add a card, approve a payment.

In production the card page hands over to Stripe Checkout (setup mode) and the
approval page uses Stripe.js; neither card number nor bank login ever touches
our servers. The Stripe emulator has neither, so in demo and test mode these
pages stand in for them and talk to the emulator directly.

Every page speaks the borrower's language (the `secure_` entries of
bot/wording/pages/), Stripe Checkout included; the expired page, which cannot
tell whose link it was, says it in English and Spanish.
"""

from __future__ import annotations

import logging

import stripe
from flask import Blueprint, abort, redirect, render_template, request
from flask.typing import ResponseReturnValue
from sqlalchemy.orm import Session

from bot.db import session_scope
from bot.messaging.notices import carry_out, tell
from bot.models import Account, Payment, SecureLink
from bot.money import format_cents
from bot.payments import cards, links, merchant, stripe_gateway
from bot.settings import get_settings
from bot.web import page_security
from bot.wording.page_words import Words, page_language, words

log = logging.getLogger(__name__)
bp = Blueprint("secure", __name__, url_prefix="/secure")
page_security.protect(bp)  # CSP, no framing, no referrer, no caching; CSRF on forms

# The emulator's test cards and their page words (`test_card_<name>`, in the page's language).
TEST_CARDS = {
    "4242424242424242": "visa",
    "4000056655665556": "visa_debit",
    "4000000000000341": "declined",
    "4000002760003184": "approval",
}


def labelled_test_cards(t: Words) -> dict[str, str]:
    """Each test card's number and its label in the language of `t`."""
    return {number: t(f"test_card_{name}") for number, name in TEST_CARDS.items()}


def _words_for(account: Account) -> Words:
    """The page words in the borrower's language."""
    return words(account.borrower.language)


def _card_page(token: str, account: Account, error: str | None = None,
               status: int = 200) -> ResponseReturnValue:
    """The emulator's stand-in card form; `error`: a page-words key."""
    t = _words_for(account)
    return render_template("secure/card.html", token=token, reference=account.reference,
                           t=t, lang=t.language, test_cards=labelled_test_cards(t),
                           error=t(error) if error else None), status


def _done_page(t: Words, message: str) -> ResponseReturnValue:
    return render_template("secure/done.html", t=t, lang=t.language, message=message)


def _link_or_404(session: Session, token: str, purpose: str) -> SecureLink:
    link = links.find_link(session, token, purpose)
    if link is None:
        abort(404)
    return link


@bp.errorhandler(404)
def _expired(_error: Exception) -> ResponseReturnValue:
    return render_template("secure/expired.html", english=words("en"),
                           spanish=words("es")), 404


@bp.get("/card/<token>")
def card_form(token: str) -> ResponseReturnValue:
    """Start adding a card: Stripe Checkout, or the emulator's stand-in form."""
    with session_scope() as session:
        link = _link_or_404(session, token, links.UPDATE_CARD)
        account = session.get(Account, link.account_id)
        dealers_stripe = merchant.for_dealer_or_none(account.dealer)
        if dealers_stripe is None:
            abort(404)  # the dealer takes no cards until it connects a Stripe account
        if not get_settings().stripe_emulated:
            customer = cards.customer_for_new_card(session, account, dealers_stripe)
            language = _words_for(account).language
            done = f"{links.base_url()}/secure/done?lang={language}"
            url = stripe_gateway.checkout_setup_url(
                dealers_stripe, customer, success_url=done, cancel_url=done,
                metadata={"textpay_link": link.nonce, "textpay_account_id": str(account.id)},
                locale=language)
            return redirect(url, code=303)
        return _card_page(token, account)


@bp.post("/card/<token>")
def card_submit(token: str) -> ResponseReturnValue:
    """Emulator stand-in: save the chosen test card as the card on file."""
    if not get_settings().stripe_emulated:
        abort(404)
    number = request.form.get("card", "")
    with session_scope() as session:
        link = _link_or_404(session, token, links.UPDATE_CARD)
        account = session.get(Account, link.account_id)
        if number not in TEST_CARDS:
            return _card_page(token, account, "secure_card_choose", 400)
        if not links.use_link(session, link):
            abort(404)
        try:
            method = stripe_gateway.emulator_card(merchant.for_dealer(account.dealer), number,
                                                  12, 2034, "123")
            tell(session, cards.save_new_card(session, account, method))
        except (stripe.StripeError, merchant.NotConnected) as error:
            log.warning("card not saved: %s", type(error).__name__)
            session.rollback()
            return _card_page(token, account, "secure_card_not_saved", 400)
        t = _words_for(account)
        saved = t("secure_card_saved", brand=account.card_brand, last4=account.card_last4)
    return _done_page(t, saved)


@bp.get("/done")
def done() -> ResponseReturnValue:
    """Where Stripe Checkout sends the borrower back (?lang=: the card page's language)."""
    t = words(page_language(request.args.get("lang")))
    return _done_page(t, t("secure_done_thanks"))


@bp.get("/approve/<token>")
def approve_form(token: str) -> ResponseReturnValue:
    """Ask the borrower to approve a payment their bank flagged."""
    settings = get_settings()
    with session_scope() as session:
        link = _link_or_404(session, token, links.AUTHENTICATE)
        payment = session.get(Payment, link.payment_id)
        account = session.get(Account, link.account_id)
        t = _words_for(account)
        amount = format_cents(payment.amount_cents, account.dealer.currency, t.language)
        secret = None
        made_in = merchant.for_payment(payment)
        if not settings.stripe_emulated and payment.stripe_payment_intent_id:
            secret = stripe_gateway.client_secret(made_in, payment.stripe_payment_intent_id)
        return render_template("secure/approve.html", t=t, lang=t.language, amount=amount,
                               reference=account.reference, client_secret=secret,
                               stripe_account=made_in.stripe_account,
                               emulated=settings.stripe_emulated)


@bp.post("/approve/<token>")
def approve_submit(token: str) -> ResponseReturnValue:
    """Emulator stand-in for the bank's approval page."""
    if not get_settings().stripe_emulated:
        abort(404)
    with session_scope() as session:
        link = _link_or_404(session, token, links.AUTHENTICATE)
        if not links.use_link(session, link):
            abort(404)
        payment = session.get(Payment, link.payment_id)
        t = _words_for(session.get(Account, link.account_id))
        result = stripe_gateway.emulator_authenticate(merchant.for_payment(payment),
                                                      payment.stripe_payment_intent_id)
        carry_out(session, cards.finish_authenticated(session, payment, result))
        ok = result.outcome == stripe_gateway.SUCCEEDED
    return _done_page(t, t("secure_approved" if ok else "secure_not_approved"))
