"""The self-service page without a browser: the link opens it once, the session it starts
is short and bound to one account of one dealer, forms need CSRF, headers as on the
/secure pages; paying, a plan, the card page and the language, each in the transcript."""

from __future__ import annotations

import re
from datetime import time, timedelta

import pytest

from bot import contact_preferences, db
from bot.console.takeover import take_over
from bot.console.timeline import timeline
from bot.models import Account, Borrower, ConsentEvent, Escalation, Payment, Plan
from tests.portal.support import escalate, make_other_dealer
from tests.self_service.support import csrf, link_path, open_link, open_page
from tests.support.sms import Phone


def page_lines(borrower_id: int) -> list[str]:
    """What the console's transcript shows of the borrower's page actions."""
    with db.session_scope() as session:
        return [item.page_event.detail for item in timeline(session, borrower_id)
                if item.page_event is not None]


def test_the_link_opens_the_account_once(app, client, world):
    path = link_path(world.phone.say("LINK"))
    landing = client.get(path)  # what a phone's link preview fetches too
    assert landing.status_code == 200 and "Open my account" in landing.get_data(as_text=True)
    assert "$1,200.00" not in landing.get_data(as_text=True)
    assert client.get(path).status_code == 200  # looking spent nothing
    page = open_link(client, path)
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Hi Dana" in html and "$1,200.00" in html and "$250.00" in html
    again_here = client.get(path)  # the same browser, the link again
    assert again_here.status_code == 303 and again_here.headers["Location"] == "/me/"
    other_browser = app.test_client()
    again = open_link(other_browser, path)
    assert again.status_code == 410
    assert "This link has expired" in again.get_data(as_text=True)
    assert "$1,200.00" not in again.get_data(as_text=True)
    assert page_lines(world.borrower_id) == [
        "Opened the self-service page from the link we texted."]


def test_two_browsers_on_the_open_button_only_the_first_gets_in(app, world):
    """Both had the button on screen (looking spends nothing); one press spends the link."""
    path = link_path(world.phone.say("LINK"))
    first, second = app.test_client(), app.test_client()
    first_token = csrf(first.get(path).get_data(as_text=True))
    second_token = csrf(second.get(path).get_data(as_text=True))
    assert first.post(path, data={"csrf_token": first_token}).status_code == 303
    assert second.post(path, data={"csrf_token": second_token}).status_code == 410
    assert second.get("/me/").status_code == 410


def test_an_unopened_link_expires_after_a_day(client, world, clock):
    path = link_path(world.phone.say("LINK"))
    clock.advance(hours=24, minutes=1)
    gone = open_link(client, path)
    assert gone.status_code == 410
    assert "Text LINK to Sunrise Auto for a new one" in gone.get_data(as_text=True)


def test_a_forged_or_tampered_token_shows_the_expired_page_in_both_languages(client, world):
    path = link_path(world.phone.say("LINK"))
    for bad in ("/me/not-a-token", path[:-2] + "xx"):
        gone = open_link(client, bad)
        html = gone.get_data(as_text=True)
        assert gone.status_code == 410
        assert "This link has expired" in html and "Este enlace ya venció" in html


def test_the_session_ends_after_thirty_minutes(client, world, clock):
    assert open_page(client, world.phone).status_code == 200
    clock.advance(minutes=29)
    assert client.get("/me/").status_code == 200
    clock.advance(minutes=2)
    ended = client.get("/me/")
    assert ended.status_code == 410
    assert "Your session has ended" in ended.get_data(as_text=True)


def test_the_session_cookie_is_strict_httponly_and_only_for_the_page(client, world):
    path = link_path(world.phone.say("LINK"))
    token = csrf(client.get(path).get_data(as_text=True))
    pressed = client.post(path, data={"csrf_token": token})
    cookie = next(c for c in pressed.headers.getlist("Set-Cookie")
                  if c.startswith("textpay_me="))
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie and "Path=/me" in cookie
    assert "Max-Age=1800" in cookie


def test_a_spanish_borrower_reads_the_page_in_spanish(client, make_world):
    world = make_world(language="es")
    html = open_page(client, world.phone, "ENLACE").get_data(as_text=True)
    assert '<html lang="es">' in html
    assert "Hola, Dana" in html and "Saldo" in html and "Hacer un pago" in html


@pytest.mark.parametrize("name", ["link", "home", "expired", "payment"])
def test_every_page_forbids_framing_and_foreign_scripts(client, world, name):
    path = link_path(world.phone.say("LINK"))
    responses = {"link": client.get(path), "home": open_link(client, path),
                 "expired": client.get("/me/forged")}
    token = csrf(responses["home"].get_data(as_text=True))
    paid = client.post("/me/pay", data={"amount": "20", "csrf_token": token})
    responses["payment"] = client.get(paid.headers["Location"])
    response = responses[name]
    csp = response.headers.get("Content-Security-Policy", "")
    assert "frame-ancestors 'none'" in csp and "default-src 'self'" in csp
    assert "'unsafe-inline'" not in csp
    assert response.headers.get("X-Frame-Options") == "DENY"
    assert response.headers.get("Referrer-Policy") == "no-referrer"
    assert response.headers.get("Cache-Control") == "no-store"
    assert not re.search(r"<script\b", response.get_data(as_text=True))  # no script at all


def test_forms_without_the_csrf_token_change_nothing(client, world, stripe_intents):
    open_page(client, world.phone)
    assert client.post("/me/pay", data={"amount": "50"}).status_code == 400
    assert client.post("/me/preferences", data={"language": "es"}).status_code == 400
    with db.session_scope() as session:
        assert session.query(Payment).count() == 0
        assert session.get(Borrower, world.borrower_id).language == "en"
    assert stripe_intents() == []


def _pay(client, amount: str):
    token = csrf(client.get("/me/").get_data(as_text=True))
    return client.post("/me/pay", data={"amount": amount, "csrf_token": token})


def test_paying_an_amount_charges_once_and_texts_the_receipt(client, world, stripe_intents,
                                                             twilio_fake, daytime):
    open_page(client, world.phone)
    started = _pay(client, "75.50")
    assert started.status_code == 303
    confirm_path = started.headers["Location"]
    confirm_page = client.get(confirm_path).get_data(as_text=True)
    assert "Pay $75.50 now" in confirm_page and "Visa •••• 4242" in confirm_page
    token = csrf(confirm_page)
    for _ in range(3):  # pressed three times, and the result reloaded
        assert client.post(confirm_path, data={"csrf_token": token}).status_code == 303
    result = client.get(confirm_path).get_data(as_text=True)
    assert "Payment received" in result and "TP000001" in result
    intents = stripe_intents()
    assert [(i.amount, i.status) for i in intents] == [(7550, "succeeded")]
    assert world.account().balance_cents == 120000 - 7550
    receipts = [b for b in twilio_fake.bodies_to(world.phone.number) if "Payment received" in b]
    assert len(receipts) == 1 and "$75.50" in receipts[0]
    assert "Paid $75.50 with Visa 4242, confirmation TP000001." in page_lines(world.borrower_id)
    with db.session_scope() as session:
        payment = session.query(Payment).one()
        assert payment.source == "page"
    receipt = client.get(f"/me/receipts/{payment.id}").get_data(as_text=True)
    assert "TP000001" in receipt and "$75.50" in receipt and "LN-" in receipt


@pytest.mark.parametrize("typed, words", [
    ("0", "Please enter an amount"), ("-5", "Please enter an amount"),
    ("abc", "Please enter an amount"), ("", "Please enter an amount"),
    ("1200.01", "You can pay up to $1,200.00"), ("5", "The smallest payment we can take is $10.00"),
])
def test_amounts_outside_the_bounds_are_refused(client, world, typed, words, stripe_intents):
    open_page(client, world.phone)
    refused = _pay(client, typed)
    assert refused.status_code == 400
    assert words in refused.get_data(as_text=True)
    with db.session_scope() as session:
        assert session.query(Payment).count() == 0


def test_a_decimal_comma_is_read_as_cents(client, make_world):
    world = make_world(language="es")
    open_page(client, world.phone, "ENLACE")
    started = _pay(client, "50,5")
    assert "$50.50" in client.get(started.headers["Location"]).get_data(as_text=True)


def test_a_declined_card_charges_nothing_and_offers_the_card_page(client, make_world):
    world = make_world(card="4000000000000341")
    open_page(client, world.phone)
    path = _pay(client, "40").headers["Location"]
    client.post(path, data={"csrf_token": csrf(client.get(path).get_data(as_text=True))})
    result = client.get(path).get_data(as_text=True)
    assert "Your card was declined. Nothing was charged." in result
    assert world.account().balance_cents == 120000
    assert any("Tried to pay $40.00" in line for line in page_lines(world.borrower_id))


def test_a_plan_within_the_dealers_rules(client, world):
    open_page(client, world.phone)
    token = csrf(client.get("/me/").get_data(as_text=True))
    offered = client.post("/me/plan", data={"count": "3", "frequency": "biweekly",
                                            "total": "due", "csrf_token": token})
    assert offered.status_code == 303
    offer = client.get(offered.headers["Location"]).get_data(as_text=True)
    assert "3 payments with Visa •••• 4242" in offer
    client.post(offered.headers["Location"], data={"csrf_token": csrf(offer)})
    with db.session_scope() as session:
        plan = session.query(Plan).one()
        assert plan.status == "active" and plan.total_cents == 25000
        assert [i.amount_cents for i in plan.installments] == [8334, 8333, 8333]
    home = client.get("/me/").get_data(as_text=True)
    assert "Your payment plan" in home and "$83.34" in home
    assert any(line.startswith("Set up a plan: 3 biweekly payments")
               for line in page_lines(world.borrower_id))


def test_a_plan_longer_than_the_rules_allow_is_fitted_to_them(client, world):
    """The form offers only what the rules allow; a forged count is fitted all the same."""
    open_page(client, world.phone)
    token = csrf(client.get("/me/").get_data(as_text=True))
    offered = client.post("/me/plan", data={"count": "40", "frequency": "biweekly",
                                            "total": "balance", "csrf_token": token})
    offer = client.get(offered.headers["Location"]).get_data(as_text=True)
    assert "Sunrise Auto allows at most 4 payments, so this plan has fewer." in offer
    with db.session_scope() as session:
        plan = session.query(Plan).one()
        assert (plan.status, plan.installment_count, plan.total_cents) == ("proposed", 4, 120000)


def test_changing_the_card_goes_to_the_secure_card_page(client, world):
    open_page(client, world.phone)
    token = csrf(client.get("/me/").get_data(as_text=True))
    moved = client.post("/me/card", data={"csrf_token": token})
    assert moved.status_code == 303
    assert moved.headers["Location"].startswith("/secure/card/")
    assert client.get(moved.headers["Location"]).status_code == 200
    assert "Opened the secure page to change the card on file." in page_lines(world.borrower_id)


def test_changing_the_language(client, world):
    open_page(client, world.phone)
    token = csrf(client.get("/me/").get_data(as_text=True))
    saved = client.post("/me/preferences", data={"language": "es", "csrf_token": token})
    assert saved.status_code == 303
    html = client.get(saved.headers["Location"]).get_data(as_text=True)
    assert "Guardado. Gracias." in html and '<html lang="es">' in html
    with db.session_scope() as session:
        assert session.get(Borrower, world.borrower_id).language == "es"
    assert "Changed contact preferences: language es." in page_lines(world.borrower_id)


def _save_preferences(client, **fields):
    token = csrf(client.get("/me/").get_data(as_text=True))
    data = {"language": "en", "window_start": "08:00", "window_end": "21:00",
            "paused_until": "", "csrf_token": token, **fields}
    return client.post("/me/preferences", data=data)


def test_hours_days_and_a_pause_go_to_the_store_and_the_consent_ledger(client, world, clock):
    open_page(client, world.phone)
    until = (clock.today() + timedelta(days=10)).isoformat()
    saved = _save_preferences(client, window_start="18:00", avoid=["5", "6"],
                              paused_until=until)
    assert saved.status_code == 303
    with db.session_scope() as session:
        borrower = session.get(Borrower, world.borrower_id)
        wanted = contact_preferences.of(borrower)
        assert (wanted.window_start, wanted.window_end) == (time(18), time(21))
        assert wanted.avoid_days == {5, 6} and wanted.paused_until.isoformat() == until
        entry = session.query(ConsentEvent).filter_by(change="preference").one()
        assert entry.source == "page" and "avoid sat,sun" in entry.detail
    home = client.get("/me/").get_data(as_text=True)
    assert 'value="18:00" selected' in home and f'value="{until}"' in home
    assert any("window 18:00-21:00; avoid sat,sun" in line
               for line in page_lines(world.borrower_id))


@pytest.mark.parametrize("fields, words", [
    ({"avoid": [str(d) for d in range(7)]}, "To stop all texts, text STOP."),
    ({"window_start": "21:00", "window_end": "08:00"}, "an end time after the start time"),
    ({"window_start": "05:00", "window_end": "07:00"}, "inside the hours shown"),
    ({"paused_until": "2001-01-01"}, "a date after today"),
])
def test_preferences_that_cannot_be_honoured_change_nothing(client, world, fields, words):
    open_page(client, world.phone)
    refused = _save_preferences(client, **fields)
    assert refused.status_code == 400 and words in refused.get_data(as_text=True)
    with db.session_scope() as session:
        assert session.query(ConsentEvent).filter_by(change="preference").count() == 0


def test_a_pause_longer_than_the_dealer_allows_is_capped(client, world, clock):
    open_page(client, world.phone)
    saved = _save_preferences(client,
                              paused_until=(clock.today() + timedelta(days=90)).isoformat())
    note = client.get(saved.headers["Location"]).get_data(as_text=True)
    assert "paused for the longest time allowed, 30 days" in note


def test_a_token_for_one_dealers_account_shows_nothing_of_another(app, client, world,
                                                                  stripe_intents):
    open_page(client, world.phone)
    _pay(client, "30")
    with db.session_scope() as session:
        danas_payment = session.query(Payment).one().id
    other = make_other_dealer()
    olga = Phone(client, "+15551239999", to="+15550199999")
    browser = app.test_client()
    page = open_link(browser, link_path(olga.say("LINK"))).get_data(as_text=True)
    assert "Olga" in page and "OT-1" in page and "Other Motors" in page
    assert "Dana" not in page and "Sunrise" not in page and "LN-" not in page
    token = csrf(page)
    assert browser.get(f"/me/pay/{danas_payment}").status_code == 404
    assert browser.post(f"/me/pay/{danas_payment}",
                        data={"csrf_token": token}).status_code == 404
    assert browser.get(f"/me/receipts/{danas_payment}").status_code == 404
    assert stripe_intents() == []
    with db.session_scope() as session:
        assert session.get(Account, other.account_id).balance_cents == 50000


def test_a_session_cookie_cannot_be_forged_for_another_account(app, client, world):
    open_page(client, world.phone)
    cookie = client.get_cookie("textpay_me", path="/me")
    assert cookie is not None
    stranger = app.test_client()
    stranger.set_cookie("textpay_me", cookie.value[:-3] + "abc", path="/me")
    assert stranger.get("/me/").status_code == 410


def test_staff_see_the_page_actions_in_the_transcript(app, portal, as_staff):
    browser = app.test_client()
    page = open_page(browser, portal.world.phone)
    token = csrf(page.get_data(as_text=True))
    browser.post("/me/card", data={"csrf_token": token})
    html = as_staff.get(f"/portal/accounts/{portal.world.account_id}").get_data(as_text=True)
    transcript = html[html.index('class="transcript"'):]
    assert "Self-service page:</strong> Opened the self-service page" in transcript
    assert "Self-service page:</strong> Opened the secure page to change the card" in transcript
    assert transcript.index("Here&#39;s your account page") < transcript.index(
        "Opened the self-service page")  # in order, between the texts


def test_a_conversation_staff_hold_gets_no_link(world):
    escalation_id = escalate(world.dealer_id, world.borrower_id, world.account_id)
    with db.session_scope() as session:
        take_over(session, session.get(Escalation, escalation_id), holder_name="Kim Lee")
    assert world.phone.text("LINK") == []


LINK_ROUTES = {"self_service.open_link", "self_service.start"}


def test_every_page_but_the_link_needs_the_page_session(app, client, world, stripe_intents):
    """Without the session a browser gets the "session ended" page from every route, and
    nothing happens (the forms carry a valid CSRF token: it is the session that refuses)."""
    open_page(client, world.phone)
    token = csrf(client.get("/me/").get_data(as_text=True))
    paid = client.post("/me/pay", data={"amount": "20", "csrf_token": token})
    payment_id = int(paid.headers["Location"].rsplit("/", 1)[1])
    client.delete_cookie("textpay_me", path="/me")
    rules = [r for r in app.url_map.iter_rules()
             if r.endpoint.startswith("self_service.") and r.endpoint not in LINK_ROUTES]
    assert len(rules) >= 10
    for rule in rules:
        url = rule.rule.replace("<int:payment_id>", str(payment_id)).replace("<int:plan_id>", "1")
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            response = client.open(url, method=method, data={"csrf_token": token, "amount": "20",
                                                             "language": "es"})
            ended = response.status_code == 410 and "Your session has ended" in \
                response.get_data(as_text=True)
            assert ended or rule.endpoint == "self_service.end", (method, url)
    assert stripe_intents() == []
    with db.session_scope() as session:
        assert session.query(Payment).one().status == "pending"
        assert session.get(Borrower, world.borrower_id).language == "en"


def test_a_card_link_does_not_open_the_page_nor_a_page_link_the_card_page(client, world):
    card_reply = world.phone.say("I have a new card")
    card_token = re.search(r"/secure/card/(\S+)", card_reply).group(1)
    assert open_link(client, f"/me/{card_token}").status_code == 410
    page_token = link_path(world.phone.say("LINK")).rsplit("/", 1)[1]
    assert client.get(f"/secure/card/{page_token}").status_code == 404
