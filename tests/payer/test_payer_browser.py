"""The payer page in Debian's Chromium at a phone's width (390 x 844), against the app
served on loopback: the borrower texts "my mom is paying" (signed webhook), the person
paying opens the forwarded link, enters a name and pays, pressing the button twice (one
PaymentIntent in localstripe); a payer the dealer has not approved is refused. Every page
is checked for labels, contrast and width (tests/portal/a11y.py); with
TEXTPAY_SCREENSHOTS=docs the page goes to docs/screenshots/payer-page.png."""

from __future__ import annotations

import re
import time

import pytest

from tests.payer.conftest import payer_path
from tests.portal.a11y import check_page, document_width
from tests.portal.conftest import screenshot_dir  # noqa: F401 - the fixture
from tests.support.browser import PHONE, chromium_browser

pytestmark = [pytest.mark.browser]

@pytest.fixture
def phone_tab(base_url):
    with chromium_browser() as browser:
        context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
        tab = context.new_page()
        tab.set_default_timeout(15_000)
        yield tab
        context.close()


def fits_and_reads_well(tab) -> None:
    check_page(tab)
    assert document_width(tab) <= PHONE["width"], tab.url


def test_a_payer_pays_on_a_phone_once_however_often_they_press(world, phone_tab, base_url,
                                                               stripe_intents,
                                                               screenshot_dir):  # noqa: F811
    tab = phone_tab
    tab.goto(base_url + payer_path(world.phone.say("my mom is paying")))
    fits_and_reads_well(tab)
    tab.get_by_label("Your full name").fill("Maria Lopez")
    tab.get_by_label("Amount (dollars)").fill("150.00")
    tab.screenshot(path=str(screenshot_dir / "payer-page.png"), full_page=True)
    tab.get_by_role("button", name="Pay").dblclick()
    # The last press's answer: the payment, that this link's payment is made, or (the
    # second press arriving while the first is charging) that it is being confirmed.
    tab.get_by_role("heading", name=re.compile(
        "Thank you|already used|being confirmed")).wait_for()
    fits_and_reads_well(tab)
    for _ in range(100):  # the first press may still be finishing
        if world.account().balance_cents != 120000:
            break
        time.sleep(0.1)
    assert [pi.amount for pi in stripe_intents()] == [15000]
    assert world.account().balance_cents == 105000


def test_a_payer_not_approved_is_told_so_on_the_phone(world, phone_tab, base_url,
                                                      approve_payers, stripe_intents):
    approve_payers(world.account_id, ["Maria Lopez"])
    tab = phone_tab
    tab.goto(base_url + payer_path(world.phone.say("my brother will pay this month")))
    tab.get_by_label("Your full name").fill("John Smith")
    tab.get_by_role("button", name="Pay").click()
    tab.get_by_role("heading", name="We can't take this payment").wait_for()
    assert "Nothing was charged" in tab.get_by_role("alert").inner_text()
    fits_and_reads_well(tab)
    assert stripe_intents() == []
