"""Replacing the card on file, and finishing payments the bank must approve.

Both return what the borrower should be told (bot/payments/followups.py).
"""

from __future__ import annotations

import logging

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.models import Account, Payment, PaymentStatus, SecureLink
from bot.payments import charging, links, merchant, shared_account, stripe_gateway
from bot.payments.followups import Notice, receipt
from bot.payments.merchant import Merchant

log = logging.getLogger(__name__)


def customer_for_new_card(session: Session, account: Account, dealers_stripe: Merchant) -> str:
    """The Stripe customer a borrower's new card is saved to, made the account's.

    The account's own customer, or a new one when it has none. In the shared
    account a customer that is another dealer's (an account imported before
    claims existed may hold one) is never reused: the card would become that
    dealer's to charge. The customer is claimed for the dealer there.
    """
    customer_id = account.stripe_customer_id
    if dealers_stripe.is_platform and customer_id and shared_account.claim(
            session, account.dealer_id, [customer_id]):
        customer_id = None
    if customer_id is None:
        customer_id = stripe_gateway.ensure_customer(
            dealers_stripe, None, account.borrower.name, account.reference)
        if dealers_stripe.is_platform:
            shared_account.claim(session, account.dealer_id, [customer_id])
    account.stripe_customer_id = customer_id
    return customer_id


def save_new_card(session: Session, account: Account, payment_method_id: str) -> Notice:
    """Make a PaymentMethod (in the dealer's Stripe account) the account's card on file;
    returns the confirmation to text. Raises NotConnected when the dealer has no Stripe
    account."""
    dealers_stripe = merchant.for_dealer(account.dealer)
    customer_id = customer_for_new_card(session, account, dealers_stripe)
    card = stripe_gateway.attach_card(dealers_stripe, customer_id, payment_method_id)
    account.stripe_payment_method_id = payment_method_id
    account.card_brand, account.card_last4 = card.brand, card.last4
    session.flush()
    return Notice(account.id, "card_saved",
                  {"brand": card.brand, "last4": card.last4, "reference": account.reference})


def save_card_from_checkout(session: Session, made_in: Merchant, metadata: dict,
                            payment_method_id: str) -> tuple[str, list[Notice]]:
    """A borrower finished Stripe's hosted card page: save the card, spend the link.

    Stripe reports it twice (checkout.session.completed and setup_intent.succeeded)
    and may redeliver either; the card is saved and confirmed by text once. The
    event must come from the Stripe account of the link's dealer (`made_in`).
    Returns the outcome recorded for the webhook event, and the confirmation to text.
    """
    link = session.execute(
        select(SecureLink).where(SecureLink.nonce == str(metadata.get("textpay_link", "")),
                                 SecureLink.purpose == links.UPDATE_CARD)
    ).scalar_one_or_none()
    if link is None or str(link.account_id) != str(metadata.get("textpay_account_id")):
        return "unknown_link", []
    account = session.get(Account, link.account_id)
    if merchant.for_dealer_or_none(account.dealer) != made_in:
        return "unknown_link", []  # another Stripe account's event naming this dealer's link
    if account.stripe_payment_method_id == payment_method_id:
        return "already_saved", []
    if not links.use_link(session, link):
        return "link_used", []  # single use: a second card from the same link is not taken
    return "card_saved", [save_new_card(session, account, payment_method_id)]


def finish_authenticated(session: Session, payment: Payment,
                         result: stripe_gateway.ChargeResult) -> list[Notice]:
    """Record a payment the borrower approved with their bank; its receipt, if it went."""
    charging.record_outcome(session, payment, result)
    if payment.status == PaymentStatus.SUCCEEDED:
        return [receipt(payment.account_id, payment.id)]
    return []
