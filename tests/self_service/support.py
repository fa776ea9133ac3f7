"""Helpers for the self-service page tests: the link out of a text, CSRF tokens."""

from __future__ import annotations

import re

from tests.support.sms import PUBLIC_URL

_LINK = re.compile(re.escape(PUBLIC_URL) + r"(/me/[A-Za-z0-9_.\-]+)")
_TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


def link_path(reply: str) -> str:
    """The /me/<token> path of the link in a reply (asserting there is one)."""
    match = _LINK.search(reply)
    assert match, f"no self-service link in {reply!r}"
    return match.group(1)


def csrf(html: str) -> str:
    """The CSRF token of a form on the page."""
    match = _TOKEN.search(html)
    assert match, "no CSRF token on the page"
    return match.group(1)


def open_link(client, path: str):
    """Open a link as a borrower does: the link's page, then its "Open my account" button;
    returns the response the button leads to (the account, or the expired page)."""
    landing = client.get(path)
    if landing.status_code != 200:
        return landing
    pressed = client.post(path, data={"csrf_token": csrf(landing.get_data(as_text=True))})
    return client.get(pressed.headers["Location"]) if pressed.status_code == 303 else pressed


def open_page(client, phone, word: str = "LINK"):
    """Text `word`, open the link in `client`; returns the page's response."""
    return open_link(client, link_path(phone.say(word)))
