"""The console and the portal in Debian's Chromium, against the app served on loopback.

A staff member sees a new escalation appear live, takes it over, the borrower
texts (signed webhook) and the bot stays silent while the text appears in the
console, the staff reply reaches the recording Twilio fake, hand back, and the
bot answers the next text. A dealer edits a template and the preview and the
segment counter follow; an unknown variable shows inline.
"""

from __future__ import annotations

import re

import pytest

from bot.audit import Actor
from tests.portal.a11y import check_page, check_phone_layout
from tests.portal.conftest import ADMIN, STAFF
from tests.portal.showcase import seed_showcase
from tests.portal.support import PASSWORD
from tests.support.browser import chromium_browser, require_chromium
from tests.support.live_server import live_server

pytestmark = [pytest.mark.browser]


@pytest.fixture(scope="module")
def base_url(app):
    require_chromium()
    with live_server(app) as url:
        yield url


@pytest.fixture(scope="module")
def browser(base_url):
    with chromium_browser() as chromium:
        yield chromium


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1200, "height": 900})
    tab = context.new_page()
    tab.set_default_timeout(15_000)
    yield tab
    context.close()


def log_in(page, base_url: str, email: str) -> None:
    page.goto(f"{base_url}/portal/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(re.compile(r"/portal/(queue|dashboard)"))


def wait_live(page) -> None:
    page.locator("body[data-live='connected']").wait_for()


def test_staff_take_over_reply_and_hand_back_live(page, base_url, portal, twilio_fake):
    phone = portal.world.phone
    log_in(page, base_url, STAFF)
    page.goto(f"{base_url}/portal/queue")
    wait_live(page)
    assert page.get_by_text("Nothing waiting").is_visible()

    phone.text("I want to talk to a real person")  # the bot escalates; the queue hears of it
    row = page.locator("#queue-rows tr", has_text="Dana Reyes")
    row.wait_for()
    assert "Asked for a person" in row.inner_text()
    assert "I want to talk to a real person" in row.inner_text()

    row.get_by_role("link", name="Dana Reyes").click()
    page.get_by_role("button", name="Take over").click()
    page.get_by_text("You hold this conversation").wait_for()
    wait_live(page)

    assert phone.text("hello? anyone there?") == []  # the bot stays silent...
    page.locator("#transcript li.inbound", has_text="hello? anyone there?").wait_for()

    reply = page.get_by_label("Reply by SMS")
    reply.fill("Hi Dana, this is Sam. I can help with that.")
    page.locator("#reply-counter", has_text="43 characters · 1 segment · GSM-7").wait_for()
    page.get_by_role("button", name="Send").click()
    page.get_by_text("Sent.").wait_for()
    assert twilio_fake.bodies_to(phone.number) == ["Hi Dana, this is Sam. I can help with that."]
    staff_line = page.locator("#transcript li.author-staff")
    assert "Staff" in staff_line.inner_text() and "I can help" in staff_line.inner_text()

    page.get_by_label("Note for the transcript").fill("Explained the late fee")
    page.get_by_role("button", name="Hand back to the bot").click()
    page.get_by_text("Handed back: the bot answers this borrower again.").wait_for()
    assert phone.text("what is my balance?")  # ...and answers again after hand back

    page.goto(f"{base_url}/portal/accounts/{portal.world.account_id}")
    assert "Explained the late fee" in page.locator("#transcript").inner_text()


def test_second_staff_member_sees_who_holds_the_conversation(browser, page, base_url, portal):
    from tests.portal.support import add_user, escalate

    add_user(portal.world.dealer_id, "kim@sunrise.example", "staff", "Kim Lee")
    escalation_id = escalate(portal.world.dealer_id, portal.world.borrower_id,
                             portal.world.account_id)
    log_in(page, base_url, STAFF)
    page.goto(f"{base_url}/portal/escalations/{escalation_id}")
    wait_live(page)
    other = browser.new_context().new_page()
    log_in(other, base_url, "kim@sunrise.example")
    other.goto(f"{base_url}/portal/escalations/{escalation_id}")
    other.get_by_role("button", name="Take over").click()
    other.get_by_text("You hold this conversation").wait_for()
    # Sam's open page learns about it live, and cannot take it any more.
    page.locator("#holder-state", has_text="Kim Lee is handling this conversation").wait_for()
    assert page.get_by_role("button", name="Take over").count() == 0
    other.context.close()


def test_template_preview_and_counter_follow_typing(page, base_url, portal):
    log_in(page, base_url, ADMIN)
    page.goto(f"{base_url}/portal/templates/reminder_due/en")
    page.get_by_label("Preview on").select_option(
        label=f"LN-{portal.world.borrower_id:04d} · Dana Reyes")
    body = page.get_by_label("Template")
    body.fill("Hi {{ first_name }}, {{ amount_due }} is due today. Reply STOP to opt out.")
    rendered = "Hi Dana, $250.00 is due today. Reply STOP to opt out."
    page.locator("#preview-text", has_text=rendered).wait_for()
    page.locator("#template-counter",
                 has_text=f"{len(rendered)} characters · 1 segment · GSM-7").wait_for()

    assert page.locator("#preview-warnings li").count() == 0
    body.fill("Hi {{ first_name }}, {{ amount_due }} is due today.")  # no opt-out instruction
    page.locator("#preview-warnings li", has_text="no opt-out instruction").wait_for()

    body.fill("Hi {{ first_name }} 🚗 " + "x" * 70)
    page.locator("#template-counter", has_text="2 segments · UCS-2").wait_for()

    wrong = "Hi {{ nickname }}, pay today.\nReply STOP to opt out."
    body.fill(wrong)
    error = page.locator("#template-error")
    error.filter(has_text="Line 1: there is no variable called nickname.").wait_for()
    assert page.locator("#template-error-line").inner_text() == "Hi {{ nickname }}, pay today."
    page.locator("#template-counter",  # counted while the error shows, not "0 characters"
                 has_text=f"{len(wrong)} characters in the template").wait_for()
    assert page.get_by_label("Template").get_attribute("aria-invalid") == "true"
    page.get_by_role("button", name="Save template").click()
    assert "no variable called nickname" in page.locator("#template-error").inner_text()

    body = page.get_by_label("Template")
    body.fill("Hi {{ first_name }}, {{ amount_due }} is due. Reply STOP to opt out.")
    page.get_by_role("button", name="Save template").click()
    page.get_by_text("Reminder: due today (English) saved.").wait_for()
    page.get_by_role("button", name="Restore the built-in text").click()
    page.get_by_text("the built-in text is back").wait_for()
    assert "is due today" in page.get_by_label("Template").input_value()


def test_csv_import_shows_progress_and_the_rows_it_refused(page, base_url, portal, tmp_path):
    csv = tmp_path / "accounts.csv"
    rows = [f"LN-{3000 + n},Person {n},+1555124{n:04d},100.00,25.00,2026-12-01"
            for n in range(40)]
    csv.write_text("reference,name,phone,balance,amount_due,due_date\n" + "\n".join(rows)
                   + "\nLN-BAD,No Phone,,10,1,2026-12-01\n")
    log_in(page, base_url, ADMIN)
    page.goto(f"{base_url}/portal/accounts/import")
    page.get_by_label("CSV file (UTF-8)").set_input_files(str(csv))
    page.get_by_role("button", name="Import").click()
    page.locator("#progress-text", has_text="Done.").wait_for()
    assert page.locator("#progress-bar").get_attribute("max") == "40"
    assert page.locator("#report-counts").inner_text() == \
        "40 created, 0 updated, 0 unchanged, 1 rows with errors."
    assert page.locator("#report-errors tbody tr").inner_text().split("\t") == \
        ["42", "phone: missing"]


def test_keyboard_only_login_with_visible_focus(page, base_url, portal):
    page.goto(f"{base_url}/portal/login")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to content"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "email"
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"  # the focused field is visibly marked
    page.keyboard.type(STAFF)
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/portal/queue"))


SCREENS = (
    ("login", "/portal/login", None),
    ("queue", "/portal/queue", STAFF),
    ("conversation", "/portal/escalations/{held}", STAFF),
    ("account", "/portal/accounts/{priya}", ADMIN),
    ("accounts", "/portal/accounts", ADMIN),
    ("call-list", "/portal/calls", STAFF),
    ("dashboard", "/portal/dashboard?days=30", ADMIN),
    ("template-editor", "/portal/templates/reminder_due/en?account_id={account}", ADMIN),
    ("settings", "/portal/settings", ADMIN),
    ("audit-log", "/portal/audit", ADMIN),
    ("experiments", "/portal/experiments", ADMIN),
    ("payment-policy", "/portal/policy", ADMIN),
)
PHONE_SCREENS = ("queue", "conversation", "call-list", "accounts", "dashboard")
LIVE_SCREENS = ("queue", "conversation")


def _shoot(tabs: dict, browser, base_url: str, viewport: dict, name: str, url: str,
           who: str | None):
    if who not in tabs:
        tabs[who] = browser.new_context(viewport=viewport).new_page()
        if who:
            log_in(tabs[who], base_url, who)
    tab = tabs[who]
    tab.goto(url)
    if name in LIVE_SCREENS:
        wait_live(tab)
    else:
        tab.wait_for_load_state("networkidle")
    return tab


def test_main_pages_are_accessible_and_fit_a_phone(browser, base_url, portal, screenshot_dir):
    """Every main page: labelled inputs, AA contrast, no sideways scrolling on a phone.
    The screenshots go to docs/screenshots/ when TEXTPAY_SCREENSHOTS=docs."""
    ids = seed_showcase(portal.world.dealer_id, portal.world.borrower_id,
                        portal.world.account_id, Actor(STAFF, "Sam Ortiz", portal.staff_id))
    for suffix, viewport in (("", {"width": 1280, "height": 860}),
                             ("-phone", {"width": 390, "height": 844})):
        tabs: dict = {}
        for name, path, who in SCREENS:
            if suffix and name not in PHONE_SCREENS:
                continue
            tab = _shoot(tabs, browser, base_url, viewport, name,
                         base_url + path.format(**ids), who)
            check_page(tab)
            if suffix:
                check_phone_layout(tab)
            tab.screenshot(path=str(screenshot_dir / f"{name}{suffix}.png"), full_page=True)
        for tab in tabs.values():
            tab.context.close()
