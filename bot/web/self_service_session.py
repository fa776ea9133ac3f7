"""The short browser session a self-service link starts.

The link texted to the borrower works once; opening it starts this session, so
the borrower can look around and act (pay, set up a plan, ...) for a while
without a password. It is a cookie of its own, signed with SECRET_KEY, bound to
the one account (and dealer) the link was for and to the link itself, ending
at a fixed moment read from bot/clock.py: HttpOnly, SameSite=Strict (no other
site can make the browser use it), Secure over https, only sent to /me.

The server can end it early: the cookie carries the account's
`page_session_version` it started under, and the page refuses it once the
version moved on (signing out, a newer link, opting out: `end_page_sessions`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import Request, Response
from itsdangerous import BadSignature, URLSafeSerializer

from bot.clock import iso_utc, parse_instant, utcnow
from bot.models import Account, SecureLink
from bot.settings import get_settings

COOKIE = "textpay_me"
PATH = "/me"
LIFETIME = timedelta(minutes=30)


@dataclass(frozen=True)
class PageSession:
    """Who the browser acts for: one account of one dealer, since one link."""

    account_id: int
    dealer_id: int
    link_nonce: str
    ends_at: datetime
    version: int  # the account's page_session_version when it started


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(get_settings().secret_key, salt="textpay-self-service-session")


def start(response: Response, link: SecureLink, account: Account) -> PageSession:
    """Set the cookie for the account of a link that was just used."""
    page = PageSession(account.id, account.dealer_id, link.nonce, utcnow() + LIFETIME,
                       account.page_session_version)
    value = _serializer().dumps({"a": page.account_id, "d": page.dealer_id,
                                 "n": page.link_nonce, "e": iso_utc(page.ends_at),
                                 "v": page.version})
    settings = get_settings()
    response.set_cookie(COOKIE, value, max_age=int(LIFETIME.total_seconds()), path=PATH,
                        httponly=True, samesite="Strict",
                        secure=bool(settings.public_url
                                    and settings.public_url.startswith("https")))
    return page


def current(request: Request) -> PageSession | None:
    """The browser's unexpired session, or None (none, forged, or over). Whether the
    server has ended it since is for the caller to ask (`is_current`)."""
    raw = request.cookies.get(COOKIE)
    if not raw:
        return None
    try:
        data = _serializer().loads(raw)
        page = PageSession(int(data["a"]), int(data["d"]), str(data["n"]),
                           parse_instant(data["e"]).replace(tzinfo=None), int(data["v"]))
    except (BadSignature, KeyError, TypeError, ValueError):
        return None
    return page if utcnow() < page.ends_at else None


def is_current(page: PageSession, account: Account) -> bool:
    """Whether the session is still the account's: same dealer, and not ended on the
    server since it started (the version moved on)."""
    return account.dealer_id == page.dealer_id and \
        account.page_session_version == page.version


def end(response: Response) -> None:
    """Forget the session in this browser."""
    response.delete_cookie(COOKIE, path=PATH)
