"""Creating dealers and their API keys (keys are shown once, stored hashed)."""

from __future__ import annotations

import hashlib
import hmac
import logging
import secrets
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from bot.clock import utcnow
from bot.db import session_scope
from bot.models import ApiKey, Dealer, DealerNumber
from bot.phones import LONG_CODE, NUMBER_TYPE_LABELS, number_type, sender_number, to_e164

log = logging.getLogger(__name__)

KEY_PREFIX = "tpk_"


def hash_api_key(plain: str) -> str:
    """SHA-256 of a key: keys are 256-bit random, so a fast hash is the right one."""
    return hashlib.sha256(plain.encode()).hexdigest()


def issue_api_key(session: Session, dealer: Dealer, label: str = "default") -> str:
    """Create a key for a dealer; returns the plain key (the only time it exists)."""
    plain = KEY_PREFIX + secrets.token_urlsafe(32)
    session.add(ApiKey(dealer_id=dealer.id, key_hash=hash_api_key(plain),
                       prefix=plain[:12], label=label))
    session.flush()
    return plain


def dealer_for_key(session: Session, plain: str) -> Dealer | None:
    """The dealer owning an unrevoked key, or None (the same for every wrong key)."""
    if not plain or not plain.startswith(KEY_PREFIX):
        return None
    digest = hash_api_key(plain)
    key = session.execute(
        select(ApiKey).where(ApiKey.key_hash == digest, ApiKey.revoked.is_(False))
    ).scalar_one_or_none()
    if key is None or not hmac.compare_digest(key.key_hash, digest):
        return None
    key.last_used_at = utcnow()
    return key.dealer


class DealerError(ValueError):
    """Invalid dealer details; the message says which and why."""


def create_dealer(session: Session, *, name: str, number: str,
                  timezone: str = "America/New_York",
                  contact_phone: str | None = None,
                  platform_stripe: bool = True) -> tuple[Dealer, str]:
    """Create a dealer owning Twilio number `number`; returns it and its first API key.

    `platform_stripe`: whether, until it connects its own Stripe account, the
    dealer takes cards in the deployment's own account, shared with the other
    dealers that have none (shared platform mode, the default); False: it takes
    no card until it connects (bot/payments/merchant.py).
    """
    phone = sender_number(number)
    if not name.strip():
        raise DealerError("name must not be empty")
    if phone is None:
        raise DealerError(f"not a phone number: {number!r} (use E.164, e.g. +15551234567, "
                          "or a 5-6 digit short code)")
    try:
        ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise DealerError(f"unknown time zone: {timezone!r} (e.g. America/Chicago)") from None
    if session.execute(select(DealerNumber).where(DealerNumber.phone == phone)).first():
        raise DealerError(f"{phone} already belongs to a dealer")
    dealer = Dealer(name=name.strip(), timezone=timezone,
                    contact_phone=to_e164(contact_phone) if contact_phone else phone,
                    uses_platform_stripe=platform_stripe)
    dealer.numbers.append(DealerNumber(phone=phone))
    session.add(dealer)
    session.flush()
    return dealer, issue_api_key(session, dealer)


# Twilio refuses third-party debt collection traffic on these senders (A2P 10DLC
# campaigns: error 30943; toll-free verification: error 30863). A short code
# registered for collections is what a collection agency can use.
_REFUSED_FOR_THIRD_PARTY = {LONG_CODE: "30943", "toll_free": "30863"}


def sender_warnings(dealer: Dealer) -> list[str]:
    """Why carriers will refuse this dealer's texts because of the numbers it sends from
    (a collection agency on a long code or toll-free number); empty when none."""
    if dealer.collector_mode != "third_party":
        return []
    warnings = []
    for number in dealer.numbers:
        kind = number_type(number.phone)
        if kind in _REFUSED_FOR_THIRD_PARTY:
            warnings.append(
                f"{number.phone} is a {NUMBER_TYPE_LABELS[kind].lower()}: Twilio refuses "
                f"third-party debt collection on it (error {_REFUSED_FOR_THIRD_PARTY[kind]}). "
                "Send from a short code approved for collections (README: Sender "
                "registration).")
    return warnings


def warn_about_senders() -> None:
    """Log a warning for each collection agency sending from a number carriers refuse it.

    Called once when the web app starts. A database without the schema yet
    (before `textpay migrate`) or not answering is not this check's business.
    """
    try:
        with session_scope() as session:
            agencies = session.execute(
                select(Dealer).where(Dealer.collector_mode == "third_party")).scalars().all()
            found = [(dealer.id, warning) for dealer in agencies
                     for warning in sender_warnings(dealer)]
    except SQLAlchemyError:
        return
    for dealer_id, warning in found:
        log.warning("dealer %s: %s", dealer_id, warning)
