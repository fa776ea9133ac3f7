"""The self-service page in Debian's Chromium at a phone's width (390 x 844), against the
app served on loopback: the borrower texts LINK (signed webhook), opens the link, reads
the balance, what is due and the receipts of past payments, pays an amount (pressing the
button over and over, reloading, going back: one PaymentIntent in localstripe), changes
their language; an expired link and a reused one get the friendly page. Every page is
checked for labels, contrast and width (tests/portal/a11y.py); with
TEXTPAY_SCREENSHOTS=docs the English and Spanish pages go to docs/screenshots/."""

from __future__ import annotations

import re
from datetime import time

import pytest

from bot import contact_preferences, db
from bot.models import Borrower
from tests.portal.a11y import check_page, document_width
from tests.self_service.support import link_path
from tests.support.browser import PHONE, chromium_browser

pytestmark = [pytest.mark.browser]

@pytest.fixture(scope="module")
def browser(base_url):
    with chromium_browser() as chromium:
        yield chromium


@pytest.fixture
def phone_tab(browser):
    """A new browser (its own cookies) at a phone's size: call it for each one needed."""
    contexts = []

    def open_tab():
        context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
        contexts.append(context)
        tab = context.new_page()
        tab.set_default_timeout(15_000)
        return tab

    yield open_tab
    for context in contexts:
        context.close()


def open_account(tab, url: str) -> None:
    """Follow the texted link and press its one button, as the borrower does."""
    tab.goto(url)
    tab.get_by_role("button", name=re.compile("Open my account|Abrir mi cuenta")).click()
    tab.wait_for_url(re.compile(r"/me/$"))


def fits_and_reads_well(tab) -> None:
    check_page(tab)
    assert document_width(tab) <= PHONE["width"], tab.url


def test_view_the_account_with_receipts(phone_tab, base_url, world, screenshot_dir):
    world.phone.text("pay 50")
    assert "Payment received" in world.phone.say("yes")  # a payment with a receipt
    tab = phone_tab()
    open_account(tab, base_url + link_path(world.phone.say("LINK")))
    assert tab.get_by_role("heading", name="Hi Dana").is_visible()
    assert tab.locator("#balance").inner_text() == "$1,150.00"
    assert "$200.00" in tab.locator("#amount-due").inner_text()
    assert "Due " in tab.locator("#amount-due").inner_text()
    payments = tab.locator("#payments")
    assert "$50.00" in payments.inner_text() and "TP000001" in payments.inner_text()
    fits_and_reads_well(tab)
    tab.screenshot(path=str(screenshot_dir / "self-service-en.png"), full_page=True)
    payments.get_by_role("link", name=re.compile("Receipt")).click()
    assert tab.get_by_role("heading", name="Receipt").is_visible()
    assert "TP000001" in tab.locator("#receipt").inner_text()
    fits_and_reads_well(tab)


def test_pay_an_amount_once_however_often_the_button_is_pressed(phone_tab, base_url, world,
                                                               stripe_intents, screenshot_dir):
    tab = phone_tab()
    open_account(tab, base_url + link_path(world.phone.say("LINK")))
    tab.get_by_label("Amount to pay (US dollars)").fill("60")
    tab.get_by_role("button", name="Continue").click()
    pay = tab.get_by_role("button", name="Pay $60.00 now")
    pay.wait_for()
    fits_and_reads_well(tab)
    tab.screenshot(path=str(screenshot_dir / "self-service-confirm-en.png"), full_page=True)
    confirm_url = tab.url
    token = tab.locator("input[name=csrf_token]").first.get_attribute("value")
    pay.dblclick()  # an impatient double tap
    tab.get_by_role("heading", name="Payment received").wait_for()
    tab.reload()  # the result reloaded
    tab.go_back()  # back to the confirm screen: it shows the outcome, not the button
    tab.goto(confirm_url)
    assert tab.get_by_role("heading", name="Payment received").is_visible()
    assert tab.get_by_role("button", name="Pay $60.00 now").count() == 0
    for _ in range(3):  # the form sent again and again (a resubmitting browser)
        tab.context.request.post(confirm_url, form={"csrf_token": token})
    intents = stripe_intents()
    assert [(i.amount, i.status) for i in intents] == [(6000, "succeeded")]
    assert world.account().balance_cents == 120000 - 6000
    tab.get_by_role("link", name="Back to my account").click()
    assert tab.locator("#balance").inner_text() == "$1,140.00"


def test_change_a_preference(phone_tab, base_url, world):
    tab = phone_tab()
    open_account(tab, base_url + link_path(world.phone.say("LINK")))
    tab.get_by_label("From").select_option("18:00")
    tab.get_by_label("Saturday").check()
    tab.get_by_label("Sunday").check()
    tab.get_by_label("Español").check()
    tab.get_by_role("button", name="Save").click()
    tab.get_by_text("Guardado. Gracias.").wait_for()
    with db.session_scope() as session:
        wanted = contact_preferences.of(session.get(Borrower, world.borrower_id))
        assert (wanted.window_start, wanted.avoid_days, wanted.language) == (
            time(18), {5, 6}, "es")
    assert tab.get_by_label("sábado").is_checked()
    assert tab.get_by_role("heading", name="Hola, Dana").is_visible()
    assert tab.locator("html").get_attribute("lang") == "es"
    fits_and_reads_well(tab)
    assert "/me/" in link_path(world.phone.say("LINK"))
    assert "Esta es la pagina de su cuenta" in world.phone.say("LINK")


def test_a_spanish_borrower_reads_it_in_spanish(phone_tab, base_url, make_world,
                                                screenshot_dir):
    world = make_world(language="es")
    world.phone.text("quiero pagar 100")
    world.phone.text("sí")
    tab = phone_tab()
    open_account(tab, base_url + link_path(world.phone.say("ENLACE")))
    assert tab.get_by_role("heading", name="Hola, Dana").is_visible()
    assert tab.get_by_role("heading", name="Hacer un pago").is_visible()
    assert "TP000001" in tab.locator("#payments").inner_text()
    fits_and_reads_well(tab)
    tab.screenshot(path=str(screenshot_dir / "self-service-es.png"), full_page=True)


def test_an_expired_link(phone_tab, base_url, world, clock):
    path = link_path(world.phone.say("LINK"))
    clock.advance(hours=24, minutes=5)
    tab = phone_tab()
    tab.goto(base_url + path)
    assert tab.get_by_role("heading", name="This link has expired").is_visible()
    assert tab.get_by_text("Text LINK to Sunrise Auto for a new one.").is_visible()
    assert tab.locator("#balance").count() == 0
    fits_and_reads_well(tab)


def test_a_reused_link(phone_tab, base_url, world):
    path = link_path(world.phone.say("LINK"))
    first = phone_tab()
    first.goto(base_url + path)
    assert first.get_by_role("heading", name="Your account").is_visible()
    fits_and_reads_well(first)
    first.get_by_role("button", name="Open my account").click()
    assert first.locator("#balance").is_visible()
    second = phone_tab()  # someone else's browser, with the same link
    second.goto(base_url + path)
    assert second.get_by_role("heading", name="This link has expired").is_visible()
    assert second.locator("#balance").count() == 0
    first.get_by_role("button", name="I'm done (sign out)").click()
    first.get_by_role("heading", name="You're signed out").wait_for()
    first.goto(base_url + path)  # the same browser, after signing out
    assert first.get_by_role("heading", name="This link has expired").is_visible()
    fits_and_reads_well(first)
