"""The /secure/* card and approval pages cannot be framed or leak their link (issue 13,
low item: they sent no CSP or frame-ancestors header)."""

from __future__ import annotations

import re

import pytest

from bot.settings import ROOT


def secure_paths(make_world) -> dict[str, str]:
    """A card page, an approval page, the done page and a spent link, through real texts."""
    world = make_world(card="4000002760003184")  # the bank asks to approve
    world.phone.text("pay 80")
    approve = world.phone.say("yes")
    card_reply = make_world(card=None, phone="+15551230002").phone.say("pay 50")
    return {
        "approve": re.search(r"https://textpay\.test(/secure/approve/\S+)", approve).group(1),
        "card": re.search(r"https://textpay\.test(/secure/card/\S+)", card_reply).group(1),
        "done": "/secure/done",
        "expired": "/secure/card/not-a-real-token",
    }


@pytest.fixture
def pages(client, make_world):
    return {name: client.get(path) for name, path in secure_paths(make_world).items()}


@pytest.mark.parametrize("page", ["approve", "card", "done", "expired"])
def test_every_secure_page_forbids_framing_and_foreign_scripts(pages, page):
    response = pages[page]
    csp = response.headers.get("Content-Security-Policy", "")
    assert "frame-ancestors 'none'" in csp
    assert "default-src 'self'" in csp and "'unsafe-inline'" not in csp
    assert response.headers.get("X-Frame-Options") == "DENY"
    assert response.headers.get("Referrer-Policy") == "no-referrer"  # the token is in the URL
    assert response.headers.get("Cache-Control") == "no-store"


def test_no_secure_page_has_an_inline_script_the_policy_would_have_to_allow():
    """The policy allows only our own script files and Stripe's: no template may need more
    (the approval page's script lives in static/secure-approve.js)."""
    folder = ROOT / "bot" / "web" / "templates" / "secure"
    scripts = [tag for page in folder.glob("*.html")
               for tag in re.findall(r"<script\b[^>]*>", page.read_text())]
    assert scripts  # the approval page loads Stripe.js and its own file
    assert all("src=" in tag for tag in scripts), scripts
