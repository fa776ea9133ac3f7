"""Connecting a dealer's own Stripe account (Stripe Connect: Standard accounts, by OAuth).

Why OAuth with Standard accounts rather than Account Links with Express ones:
a dealer already has a Stripe account holding its borrowers' cards (the
accounts API and CSV imports take existing `cus_` / `pm_` ids), and OAuth is
the Connect flow that connects an *existing* account. An Account Link onboards
a new, empty account, out of which those cards could not be charged. With a
Standard account the dealer stays the merchant of record in its own Stripe
Dashboard (refunds, disputes, payouts), and our charges there are direct
charges carrying its `Stripe-Account`.

1. An admin presses "Connect Stripe" in the portal's settings: `authorize_url`
   sends them to Stripe with a signed `state` naming the dealer and the login.
2. Stripe sends them back with a code; `exchange_code` trades it for the
   account id and `connect_dealer` stores it (audited).
3. "Disconnect" (`disconnect_dealer`) revokes our access at Stripe, then
   forgets the id (audited). An account holder may also disconnect from
   Stripe's side; the Connect webhook's `account.application.deauthorized`
   then forgets it the same way (`forget_deauthorized`).

In demo and test mode (the emulator) there is no Stripe to send anyone to: a
stand-in page of ours creates a connected account in the emulator instead
(`emulator_account`), as the secure card page stands in for Checkout.
"""

from __future__ import annotations

import logging
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

import stripe
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import select
from sqlalchemy.orm import Session
from stripe.oauth_error import OAuthError

from bot.audit import Actor, record
from bot.clock import utcnow
from bot.models import Dealer
from bot.payments import shared_account
from bot.payments.merchant import PLATFORM, for_dealer_or_none
from bot.settings import get_settings

log = logging.getLogger(__name__)

STATE_LIFETIME = timedelta(minutes=15)
ACCOUNT_ID = re.compile(r"acct_[A-Za-z0-9]{1,60}")
STRIPE_ITSELF = Actor("stripe", "Stripe (the account holder disconnected)")


class ConnectError(ValueError):
    """Connecting or disconnecting failed; the message can be shown to the admin."""


@dataclass(frozen=True)
class ConnectState:
    """What the signed `state` of an OAuth round trip says."""

    dealer_id: int
    user_id: int
    nonce: str


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(get_settings().secret_key, salt="textpay-stripe-connect")


def new_state(dealer_id: int, user_id: int) -> tuple[str, str]:
    """A signed state for one OAuth round trip, and its nonce (kept in the login session)."""
    nonce = secrets.token_urlsafe(16)
    token = _serializer().dumps({"d": dealer_id, "u": user_id, "n": nonce,
                                 "t": utcnow().isoformat()})
    return token, nonce


def read_state(token: str) -> ConnectState | None:
    """The state behind a token, or None when forged or older than STATE_LIFETIME."""
    try:
        data = _serializer().loads(token)
        issued = datetime.fromisoformat(data["t"])
        state = ConnectState(int(data["d"]), int(data["u"]), str(data["n"]))
    except (BadSignature, KeyError, TypeError, ValueError):
        return None
    if not utcnow() - STATE_LIFETIME <= issued <= utcnow():
        return None
    return state


def oauth_available() -> bool:
    """Whether this deployment can send dealers to Stripe (a Connect client id is set)."""
    return bool(get_settings().stripe_connect_client_id)


def authorize_url(state: str, redirect_uri: str) -> str:
    """Stripe's page where the dealer signs in and connects its account to ours."""
    return PLATFORM.client().oauth.authorize_url(params={
        "response_type": "code", "scope": "read_write", "state": state,
        "redirect_uri": redirect_uri,
    })


def exchange_code(code: str) -> str:
    """Trade the code Stripe sent back for the connected account's id (acct_...)."""
    try:
        token = PLATFORM.client().oauth.token(
            params={"grant_type": "authorization_code", "code": code})
    except OAuthError as error:
        log.warning("stripe connect: code refused (%s)", error.code)
        raise ConnectError("Stripe did not accept the connection; please try again.") from None
    except stripe.StripeError as error:
        log.warning("stripe connect: %s", type(error).__name__)
        raise ConnectError("Could not reach Stripe; please try again.") from None
    return str(token.stripe_user_id)


def emulator_account() -> str:
    """Create a connected account in the emulator (stand-in for Stripe's OAuth page)."""
    return PLATFORM.client().v1.accounts.create(params={"type": "standard"}).id


@dataclass(frozen=True)
class StripeMode:
    """Where a dealer's money lands: `mode` is connected, shared or not_connected."""

    mode: str
    stripe_account: str | None = None
    others_sharing: int = 0  # in shared mode: how many other dealers share the account

    def __str__(self) -> str:
        if self.mode == "connected":
            return f"the connected Stripe account {self.stripe_account}"
        if self.mode == "not_connected":
            return "no Stripe account yet: connect one before importing cards or taking payments"
        if not self.others_sharing:
            return ("the deployment's shared Stripe account (shared platform mode; no other "
                    "dealer uses it now)")
        others = "1 other dealer" if self.others_sharing == 1 \
            else f"{self.others_sharing} other dealers"
        return f"the deployment's shared Stripe account (shared platform mode), together " \
               f"with {others}"


def describe(session: Session, dealer: Dealer) -> StripeMode:
    """Where the dealer's money lands, for the portal and the CLI (str() gives the words)."""
    merchant = for_dealer_or_none(dealer)
    if merchant is None:
        return StripeMode("not_connected")
    if not merchant.is_platform:
        return StripeMode("connected", merchant.stripe_account)
    return StripeMode("shared", others_sharing=shared_account.sharing_count(session) - 1)


def connect_dealer(session: Session, dealer: Dealer, stripe_account: str, actor: Actor) -> None:
    """Store the dealer's connected account (audited); one dealer per Stripe account."""
    if not ACCOUNT_ID.fullmatch(stripe_account or ""):
        raise ConnectError(f"not a Stripe account id: {stripe_account!r} (acct_...)")
    taken = session.execute(select(Dealer.id).where(
        Dealer.stripe_account_id == stripe_account, Dealer.id != dealer.id)).first()
    if taken:
        raise ConnectError("That Stripe account is already connected to another dealer.")
    previous = dealer.stripe_account_id
    dealer.stripe_account_id = stripe_account
    session.flush()
    record(session, dealer.id, actor, "stripe_connected",
           details=stripe_account + (f" (replacing {previous})" if previous else ""))


def disconnect_dealer(session: Session, dealer: Dealer, actor: Actor) -> str | None:
    """Revoke our access to the dealer's account at Stripe and forget it (audited).

    Returns the account that was disconnected (None if there was none). When
    Stripe cannot be reached nothing changes and ConnectError says so.
    """
    account = dealer.stripe_account_id
    if not account:
        return None
    if oauth_available() and not get_settings().stripe_emulated:
        _deauthorize(account)
    dealer.stripe_account_id = None
    record(session, dealer.id, actor, "stripe_disconnected", details=account)
    return account


def _deauthorize(account: str) -> None:
    try:
        PLATFORM.client().oauth.deauthorize(params={"stripe_user_id": account})
    except OAuthError as error:
        # Already disconnected from Stripe's side: there is nothing left to revoke.
        log.info("stripe connect: deauthorize of %s answered %s", account, error.code)
    except stripe.StripeError as error:
        log.warning("stripe connect: deauthorize failed (%s)", type(error).__name__)
        raise ConnectError("Could not reach Stripe to disconnect; nothing changed. "
                           "Please try again.") from None


def forget_deauthorized(session: Session, stripe_account: str) -> bool:
    """The account holder disconnected us at Stripe: forget the account (audited)."""
    dealer = session.execute(
        select(Dealer).where(Dealer.stripe_account_id == stripe_account)).scalar_one_or_none()
    if dealer is None:
        return False
    dealer.stripe_account_id = None
    record(session, dealer.id, STRIPE_ITSELF, "stripe_disconnected",
           details=f"{stripe_account} (disconnected at Stripe)")
    return True


def share_platform_account(session: Session, dealer: Dealer, actor: Actor) -> None:
    """Until it connects its own, the dealer takes cards in the deployment's shared Stripe
    account (shared platform mode, the default for a new dealer); audited."""
    if not dealer.uses_platform_stripe:
        dealer.uses_platform_stripe = True
        record(session, dealer.id, actor, "stripe_platform_shared")


def require_connected_account(session: Session, dealer: Dealer, actor: Actor) -> None:
    """The dealer takes no card until it connects its own Stripe account; audited."""
    if dealer.uses_platform_stripe:
        dealer.uses_platform_stripe = False
        record(session, dealer.id, actor, "stripe_connect_required")
