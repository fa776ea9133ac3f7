"""Someone else pays: a relative or a friend pays on the account from a forwarded link.

The borrower texts "my mom is paying"; the bot texts back a single-use link
(links.PAYER, /pay/<token>, valid a day) to forward. Whoever opens it gives their
name, an amount (the amount due, up to the balance) and a card — on Stripe
Checkout in payment mode in production, on the emulator's stand-in in demo and
tests — and the payment posts to the account's ledger under their name. Their card
is charged for this payment alone: never attached to the borrower's customer,
never the account's card on file.

A dealer may let only the names it approved per account pay
(`Dealer.payers_must_be_approved`, `Account.approved_payers`); anyone else is
refused before anything is charged.

Charging is the same exactly-once path as by text (bot/payments/charging.py): the
link is spent and a *processing* payment stored (one conditional UPDATE: a second
press of the button finds the link spent), committed by the caller, then charged
with an idempotency key of the link's. A card that is declined charges nothing, so
the link opens again for another card, with the next attempt's key.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from bot.clock import utcnow
from bot.models import Account, Payment, PaymentStatus, SecureLink
from bot.payments import charging, links, stripe_gateway
from bot.payments.followups import FollowUp, receipt

SOURCE = "payer"
# Short enough that a receipt naming the payer stays within two text messages.
MAX_NAME = 60
MAX_APPROVED = 20
_SPACES = re.compile(r"\s+")
# Words of letters joined by a space (after a dot, as in "St. John"), a hyphen or an
# apostrophe: no digits, and no dot between letters (no web address).
_NAME = re.compile(r"[^\W\d_]+(?:(?:\.? |[-'\u2019])[^\W\d_]+)*\.?")


class PayerInputError(ValueError):
    """A payer's name or an approved-payers list that cannot be taken, and why."""


@dataclass(frozen=True)
class Started:
    """A payer's payment that may go ahead (`payment`), or why not (`refusal`):
    not_approved | bad_amount | nothing_owed | busy | used."""

    payment: Payment | None = None
    refusal: str | None = None
    amount_cents: int = 0


def clean_name(raw: str) -> str:
    """A person's name as typed, spaces tidied; PayerInputError when it is no name.

    Only letters, spaces, hyphens, apostrophes and dots: the name goes into the text
    the borrower receives, so it can carry no number, link or instruction.
    """
    name = _SPACES.sub(" ", raw or "").strip()
    if not any(ch.isalpha() for ch in name):
        raise PayerInputError("a name is required")
    if len(name) > MAX_NAME or not _NAME.fullmatch(name):
        raise PayerInputError(f"a name of at most {MAX_NAME} letters (and spaces, hyphens, "
                              "apostrophes, dots) is required")
    return name


def name_key(name: str) -> str:
    """How names are compared: accents, case, dots and extra spaces do not matter
    ("María  López" is "maria lopez")."""
    plain = "".join(ch for ch in unicodedata.normalize("NFKD", name)
                    if not unicodedata.combining(ch))
    return _SPACES.sub(" ", plain.replace(".", " ")).strip().casefold()


def parse_approved(raw: str | list[str] | None) -> list[str]:
    """Approved payers from a list or a ';'-separated text, tidied and without repeats
    (empty pieces of a text, as in "a;;b;", are skipped; a list holds only names)."""
    text = isinstance(raw, str)
    items = raw.split(";") if text else list(raw or [])
    names: dict[str, str] = {}
    for item in items:
        if not isinstance(item, str):
            raise PayerInputError("each approved payer must be a name")
        if item.strip() or not text:
            name = clean_name(item)
            names.setdefault(name_key(name), name)
    if len(names) > MAX_APPROVED:
        raise PayerInputError(f"at most {MAX_APPROVED} approved payers per account")
    return list(names.values())


def may_pay(account: Account, payer_name: str) -> bool:
    """Whether this person may pay on the account (anyone, unless the dealer approves
    payers by name)."""
    if not account.dealer.payers_must_be_approved:
        return True
    approved = {name_key(name) for name in account.approved_payers or []}
    return name_key(payer_name) in approved


def suggested_amount(account: Account) -> int:
    """What the payer page offers: the amount due (else the balance)."""
    return charging.default_amount(account)


def _attempt_key(session: Session, link: SecureLink) -> str:
    """The idempotency key of the link's next attempt: the same link, the same key,
    until a card is declined and another is tried."""
    prefix = f"textpay-payer-{link.nonce}-"
    tried = session.execute(select(func.count(Payment.id))
                            .where(Payment.idempotency_key.startswith(prefix))).scalar_one()
    return f"{prefix}{tried + 1}"


def start(session: Session, link: SecureLink, payer_name: str, amount_cents: int) -> Started:
    """Check the payer and the amount, spend the link and store the processing payment.

    Nothing is charged here; the caller commits, then charges (`charge`) or sends the
    payer to Stripe Checkout. A refusal leaves the link as it was.
    """
    account = session.get(Account, link.account_id)
    if not may_pay(account, payer_name):
        return Started(refusal="not_approved")
    decision = charging.decide_amount(amount_cents, account, account.dealer)
    if decision.kind != "ok":
        return Started(refusal="nothing_owed" if decision.kind == "nothing_owed"
                       else "bad_amount", amount_cents=decision.amount_cents)
    if charging.in_flight_payment(session, account) is not None:
        return Started(refusal="busy")
    if not links.use_link(session, link):
        return Started(refusal="used")
    # The borrower's own "Reply YES to pay" was priced on the old balance: after someone
    # else pays, that YES must not charge as well.
    charging.cancel_open_offers(session, account)
    payment = charging.create_claimed(session, account, amount_cents, source=SOURCE)
    # The payer's card is not the account's: nothing of it is kept on the payment.
    payment.card_brand = payment.card_last4 = None
    payment.payer_name = payer_name
    payment.idempotency_key = _attempt_key(session, link)
    link.payment_id = payment.id
    session.flush()
    return Started(payment=payment, amount_cents=amount_cents)


def charge(session: Session, link: SecureLink, payment: Payment,
           payment_method_id: str) -> tuple[str, list[FollowUp]]:
    """Charge the payer's card for a started (and committed) payment, once.

    Returns the outcome and what follows: the borrower's receipt when it succeeded.
    A decline (or a charge refused before Stripe) reopens the link for another card.
    """
    outcome = charging.charge_claimed(session, payment, payers_card=payment_method_id)
    if outcome == stripe_gateway.SUCCEEDED:
        return outcome, [receipt(payment.account_id, payment.id)]
    if payment.status == PaymentStatus.FAILED:
        links.release_link(session, link)
    return outcome, []


def _end(session: Session, payment: Payment, status: str, reason: str | None) -> bool:
    """A processing payment that charged nothing ends (its link opens again, while the
    link lasts). True if this call ended it."""
    moved = session.execute(
        update(Payment)
        .where(Payment.id == payment.id, Payment.status == PaymentStatus.PROCESSING)
        .values(status=status, failure_reason=reason, updated_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    if moved.rowcount != 1:
        return False
    link = session.execute(select(SecureLink).where(SecureLink.payment_id == payment.id,
                                                    SecureLink.purpose == links.PAYER)
                           ).scalar_one_or_none()
    if link is not None:
        links.release_link(session, link)
    session.refresh(payment)
    return True


def checkout_ended(session: Session, payment: Payment) -> bool:
    """Stripe Checkout's page expired unpaid (checkout.session.expired): nothing was
    charged. True if this call ended the payment."""
    return _end(session, payment, PaymentStatus.EXPIRED, None)


def give_up(session: Session, payment: Payment) -> None:
    """Stripe could not open its page: nothing was charged."""
    _end(session, payment, PaymentStatus.FAILED, "stripe_unavailable")
