"""Creating accounts for a dealer (API and imports share this)."""

from __future__ import annotations

from datetime import date
from typing import Any

from pydantic import BaseModel, Field, StrictStr, ValidationError, constr, validator
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot import consent, contact_preferences
from bot.campaigns.planner import queue_welcomes
from bot.clock import iso_utc, utcnow
from bot.models import Account, Borrower, Dealer
from bot.payments.card_checks import CardRefused, check_card
from bot.payments.payers import MAX_APPROVED, PayerInputError, parse_approved
from bot.phones import to_e164


class AccountInputError(ValueError):
    """Invalid account data; `code` and `message` go to the API caller as they are."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


class BorrowerIn(BaseModel):
    """The borrower part of a new account."""

    name: constr(strict=True, strip_whitespace=True, min_length=1, max_length=200)
    phone: constr(strict=True, strip_whitespace=True, min_length=3, max_length=40)
    language: StrictStr = "en"
    # How the borrower agreed to be texted; kept in the consent ledger (bot/consent.py).
    consent_source: constr(strict=True, strip_whitespace=True, max_length=500) | None = None

    @validator("language")
    def _known_language(cls, value: str) -> str:
        if value not in ("en", "es"):
            raise ValueError("must be 'en' or 'es'")
        return value


# A Stripe object id; strict, so `false` or `12` is refused rather than stored as text.
StripeId = constr(strict=True, strip_whitespace=True, max_length=255)


class AccountIn(BaseModel):
    """A new account as the dealer API accepts it (amounts in integer cents)."""

    reference: constr(strict=True, strip_whitespace=True, min_length=1, max_length=64)
    borrower: BorrowerIn
    balance_cents: int = Field(..., ge=0, le=100_000_000)
    amount_due_cents: int = Field(0, ge=0, le=100_000_000)
    due_date: date | None = None
    stripe_customer_id: StripeId | None = None
    stripe_payment_method_id: StripeId | None = None
    # Who may pay on the account for the borrower, when the dealer approves payers.
    approved_payers: list[StrictStr] = Field(default_factory=list, max_items=MAX_APPROVED)

    class Config:
        extra = "forbid"
        # Money is integer cents: "150.00" or 150.5 must not be quietly rounded.
        smart_union = True

    @validator("due_date", pre=True)
    def _iso_date(cls, value: Any) -> Any:
        if value is not None and not isinstance(value, str):
            raise ValueError("must be a date like 2026-12-01")
        return value

    @validator("approved_payers")
    def _payer_names(cls, value: list[str]) -> list[str]:
        try:
            return parse_approved(value)
        except PayerInputError as error:
            raise ValueError(str(error)) from None

    @validator("balance_cents", "amount_due_cents", pre=True)
    def _integer_cents(cls, value: Any) -> Any:
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValueError("must be an integer number of cents")
        return value


def parse_account(payload: Any) -> AccountIn:
    """Validate a JSON payload; raises AccountInputError naming the bad field."""
    if not isinstance(payload, dict):
        raise AccountInputError("invalid_request", "the body must be a JSON object")
    try:
        return AccountIn.parse_obj(payload)
    except ValidationError as error:
        first = error.errors()[0]
        field = ".".join(str(part) for part in first["loc"])
        raise AccountInputError("invalid_request", f"{field}: {first['msg']}") from None


def _borrower_for(session: Session, dealer: Dealer, data: BorrowerIn) -> Borrower:
    phone = to_e164(data.phone, dealer.country)
    if phone is None:
        raise AccountInputError("invalid_request", f"borrower.phone: not a phone number: "
                                f"{data.phone!r}")
    borrower = session.execute(
        select(Borrower).where(Borrower.dealer_id == dealer.id, Borrower.phone == phone)
    ).scalar_one_or_none()
    if borrower is None:
        borrower = Borrower(dealer_id=dealer.id, phone=phone, name=data.name,
                            language=data.language)
        session.add(borrower)
        session.flush()
        consent.given(session, borrower, consent.API, data.consent_source)
    else:
        borrower.name = data.name
        if not borrower.language_chosen:  # the borrower's own choice outlasts the dealer's
            borrower.language = data.language
    return borrower


def _card_details(session: Session, dealer: Dealer,
                  data: AccountIn) -> tuple[str | None, str | None]:
    """Brand and last4 of the account's card, once its ids are found in the dealer's
    own Stripe account (bot/payments/card_checks.py)."""
    if data.stripe_payment_method_id and not data.stripe_customer_id:
        raise AccountInputError("invalid_request",
                                "stripe_customer_id is required with stripe_payment_method_id")
    if not data.stripe_customer_id:
        return None, None
    try:
        card = check_card(session, dealer, data.stripe_customer_id, data.stripe_payment_method_id)
    except CardRefused as refused:
        raise AccountInputError(refused.code, refused.message) from None
    return (card.brand, card.last4) if card else (None, None)


def create_account(session: Session, dealer: Dealer, data: AccountIn) -> Account:
    """Create an account (and its borrower, matched by phone within the dealer)."""
    exists = session.execute(
        select(Account).where(Account.dealer_id == dealer.id, Account.reference == data.reference)
    ).first()
    if exists:
        raise AccountInputError("duplicate_reference",
                                f"an account with reference {data.reference!r} already exists")
    brand, last4 = _card_details(session, dealer, data)
    borrower = _borrower_for(session, dealer, data.borrower)
    session.flush()
    account = Account(
        dealer_id=dealer.id, borrower_id=borrower.id, reference=data.reference,
        balance_cents=data.balance_cents, amount_due_cents=data.amount_due_cents,
        due_date=data.due_date, stripe_customer_id=data.stripe_customer_id,
        stripe_payment_method_id=data.stripe_payment_method_id,
        card_brand=brand, card_last4=last4, approved_payers=data.approved_payers,
    )
    session.add(account)
    session.flush()
    queue_welcomes(session, dealer, [account.id], utcnow())  # sent within quiet hours
    return account


def preferences_json(borrower: Borrower) -> dict[str, Any]:
    """The API's view of a borrower's contact preferences."""
    wished = contact_preferences.of(borrower)
    return {
        "window_start": f"{wished.window_start:%H:%M}" if wished.has_window else None,
        "window_end": f"{wished.window_end:%H:%M}" if wished.has_window else None,
        "avoid_days": [contact_preferences.DAYS[d] for d in sorted(wished.avoid_days)],
        "language_chosen": wished.language_chosen,
        "paused_until": wished.paused_until.isoformat() if wished.paused_until else None,
    }


def account_json(account: Account) -> dict[str, Any]:
    """The API's view of an account."""
    borrower = account.borrower
    return {
        "id": account.id,
        "reference": account.reference,
        "borrower": {"name": borrower.name, "phone": borrower.phone,
                     "language": borrower.language, "opted_out": borrower.opted_out,
                     "contact_preferences": preferences_json(borrower)},
        "balance_cents": account.balance_cents,
        "amount_due_cents": account.amount_due_cents,
        "due_date": account.due_date.isoformat() if account.due_date else None,
        "stripe_customer_id": account.stripe_customer_id,
        "stripe_payment_method_id": account.stripe_payment_method_id,
        "card_brand": account.card_brand,
        "card_last4": account.card_last4,
        "approved_payers": list(account.approved_payers or []),
        "created_at": iso_utc(account.created_at),
        "updated_at": iso_utc(max(account.updated_at, borrower.updated_at)),
    }


def set_approved_payers(account: Account, payload: Any) -> None:
    """Replace the account's approved payers with `{"approved_payers": [names]}`;
    AccountInputError when that is not a list of at most MAX_APPROVED names."""
    names = payload.get("approved_payers") if isinstance(payload, dict) else None
    if not isinstance(names, list) or set(payload) != {"approved_payers"}:
        raise AccountInputError("invalid_request",
                                "the body must be {\"approved_payers\": [names]}")
    try:
        account.approved_payers = parse_approved(names)
    except PayerInputError as error:
        raise AccountInputError("invalid_request", f"approved_payers: {error}") from None
