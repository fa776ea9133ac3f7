"""Signed, expiring, single-use links sent by text.

A card number must never travel by SMS, so a new card (or a bank's approval
of a payment, or a payment by someone else) is collected on a page we link to.
The URL carries a token signed with SECRET_KEY that names a `SecureLink` row;
the row makes the link single-use and lets it expire.

A new self-service link supersedes the account's older ones: those not opened yet
expire at once, and a page session one of them started ends (`create_link`).
"""

from __future__ import annotations

import secrets
from datetime import timedelta

from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import update
from sqlalchemy.orm import Session

from bot.clock import utcnow
from bot.models import SecureLink, end_page_sessions
from bot.settings import get_settings

UPDATE_CARD = "update_card"
AUTHENTICATE = "authenticate"
SELF_SERVICE = "self_service"  # the borrower's own page (bot/web/self_service.py)
# Someone else pays: the borrower forwards the link to the person paying (/pay/<token>).
PAYER = "payer"
# Where each purpose's page lives (under base_url()).
PATHS = {UPDATE_CARD: "secure/card", AUTHENTICATE: "secure/approve", SELF_SERVICE: "me",
         PAYER: "pay"}
LIFETIME = timedelta(hours=24)


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(get_settings().secret_key, salt="textpay-secure-link")


def base_url() -> str:
    """Where borrowers' browsers reach us (PUBLIC_URL, or the local demo)."""
    return get_settings().public_url or "http://127.0.0.1:5000"


def create_link(session: Session, purpose: str, account_id: int,
                payment_id: int | None = None) -> str:
    """Store a new single-use link and return its full URL.

    A self-service link is the key to the borrower's whole page, so only the newest
    one opens it: the account's older unopened links expire now and its page sessions
    end (one key in circulation; a link that went astray stops with the next one).
    """
    if purpose == SELF_SERVICE:
        _supersede_self_service(session, account_id)
    nonce = secrets.token_hex(16)
    session.add(SecureLink(nonce=nonce, purpose=purpose, account_id=account_id,
                           payment_id=payment_id, expires_at=utcnow() + LIFETIME))
    session.flush()
    token = _serializer().dumps({"n": nonce})
    return f"{base_url()}/{PATHS[purpose]}/{token}"


def _supersede_self_service(session: Session, account_id: int) -> None:
    now = utcnow()
    session.execute(
        update(SecureLink)
        .where(SecureLink.account_id == account_id, SecureLink.purpose == SELF_SERVICE,
               SecureLink.used_at.is_(None), SecureLink.expires_at > now)
        .values(expires_at=now).execution_options(synchronize_session=False)
    )
    end_page_sessions(session, account_id=account_id)


def read_link(session: Session, token: str, purpose: str) -> SecureLink | None:
    """The link behind a genuine token, used or expired or not; None if forged."""
    try:
        nonce = _serializer().loads(token)["n"]
    except (BadSignature, KeyError, TypeError):
        return None
    return session.query(SecureLink).filter_by(nonce=nonce, purpose=purpose).one_or_none()


def find_link(session: Session, token: str, purpose: str) -> SecureLink | None:
    """The unused, unexpired link behind a token, or None (forged, used, expired).
    A link is expired from its `expires_at` on (a superseded one: from that moment)."""
    link = read_link(session, token, purpose)
    if link is None or link.used_at is not None or link.expires_at <= utcnow():
        return None
    return link


def link_state(session: Session, token: str, purpose: str) -> str:
    """Why a token opens no page: "used", "expired" or "unknown" (forged, another purpose);
    "open" when it still does."""
    link = read_link(session, token, purpose)
    if link is None:
        return "unknown"
    if link.used_at is not None:
        return "used"
    return "expired" if link.expires_at <= utcnow() else "open"


def release_link(session: Session, link: SecureLink) -> None:
    """Make a used link usable again (the payment it started charged nothing)."""
    session.execute(
        update(SecureLink).where(SecureLink.id == link.id)
        .values(used_at=None).execution_options(synchronize_session=False)
    )


def use_link(session: Session, link: SecureLink) -> bool:
    """Mark a link used; False if another request used it first."""
    result = session.execute(
        update(SecureLink)
        .where(SecureLink.id == link.id, SecureLink.used_at.is_(None))
        .values(used_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1
