"""Only the newest link opens the page, and the server can end a page session: a new
link, signing out, STOP or a wrong number stop an open page at its next request (a copy
of the cookie in another browser too); another account's payment or plan stays a 404."""

from __future__ import annotations

import pytest

from bot import db
from bot.models import Borrower, Payment, Plan
from tests.self_service.support import csrf, link_path, open_link, open_page

EXPIRED = "This link has expired"
ENDED = "Your session has ended"


def shows(response, words: str, status: int) -> bool:
    """Whether the borrower sees `words` on a page with that status (and no account)."""
    html = response.get_data(as_text=True)
    return response.status_code == status and words in html and "$1,200.00" not in html


def copy_of_cookie(app, client):
    """Another browser holding the same page cookie (a copy, kept or stolen)."""
    cookie = client.get_cookie("textpay_me", path="/me")
    assert cookie is not None
    other = app.test_client()
    other.set_cookie("textpay_me", cookie.value, path="/me")
    return other


def test_a_new_link_expires_the_older_ones_not_opened_yet(app, client, world):
    first = link_path(world.phone.say("LINK"))
    second = link_path(world.phone.say("LINK"))
    third = link_path(world.phone.say("LINK"))
    assert shows(client.get(first), EXPIRED, 410)  # the landing page already says so
    assert shows(open_link(client, second), EXPIRED, 410)
    assert "Text LINK to Sunrise Auto for a new one" in client.get(first).get_data(
        as_text=True)
    assert "Hi Dana" in open_link(app.test_client(), third).get_data(as_text=True)


def test_a_new_link_ends_the_page_an_older_link_opened(app, client, world):
    first = link_path(world.phone.say("LINK"))
    assert open_link(client, first).status_code == 200
    elsewhere = copy_of_cookie(app, client)
    second = link_path(world.phone.say("LINK"))
    assert shows(client.get("/me/"), ENDED, 410)
    assert shows(elsewhere.get("/me/"), ENDED, 410)
    assert shows(client.get(first), EXPIRED, 410)  # not back into the ended session
    assert "Hi Dana" in open_link(client, second).get_data(as_text=True)
    assert client.get("/me/").status_code == 200


def test_a_new_link_for_one_account_leaves_another_accounts_page_open(client, make_world):
    dana = make_world()
    sam = make_world(phone="+15551230002")
    assert open_page(client, dana.phone).status_code == 200
    assert link_path(sam.phone.say("LINK"))
    assert client.get("/me/").status_code == 200


def test_signing_out_ends_the_session_on_the_server(app, client, world):
    home = open_page(client, world.phone)
    elsewhere = copy_of_cookie(app, client)
    signed_out = client.post("/me/end", data={"csrf_token": csrf(home.get_data(as_text=True))})
    assert signed_out.status_code == 410
    assert shows(client.get("/me/"), ENDED, 410)
    assert shows(elsewhere.get("/me/"), ENDED, 410)  # the copy is no key any more


def test_stop_ends_an_open_page_and_start_does_not_bring_it_back(client, world):
    assert open_page(client, world.phone).status_code == 200
    world.phone.text("STOP")
    assert shows(client.get("/me/"), ENDED, 410)
    world.phone.text("START")
    assert shows(client.get("/me/"), ENDED, 410)
    assert open_page(client, world.phone).status_code == 200  # a new link works again


def test_a_link_sent_before_stop_no_longer_opens(client, world):
    path = link_path(world.phone.say("LINK"))
    world.phone.text("STOP")
    assert shows(client.get(path), EXPIRED, 410)
    assert shows(open_link(client, path), EXPIRED, 410)


def test_a_number_marked_wrong_ends_an_open_page(client, world):
    assert open_page(client, world.phone).status_code == 200
    with db.session_scope() as session:
        session.get(Borrower, world.borrower_id).wrong_number = True  # as staff mark it
    assert shows(client.get("/me/"), ENDED, 410)


def _start_payment_and_plan(client) -> tuple[int, int]:
    token = csrf(client.get("/me/").get_data(as_text=True))
    client.post("/me/pay", data={"amount": "30", "csrf_token": token})
    client.post("/me/plan", data={"count": "2", "frequency": "biweekly", "total": "due",
                                  "csrf_token": token})
    with db.session_scope() as session:
        return session.query(Payment).one().id, session.query(Plan).one().id


@pytest.mark.parametrize("method, route", [
    ("GET", "/me/pay/{payment}"), ("POST", "/me/pay/{payment}"),
    ("GET", "/me/receipts/{payment}"), ("GET", "/me/plan/{plan}"),
    ("POST", "/me/plan/{plan}"), ("GET", "/me/pay/999999"), ("GET", "/me/plan/999999"),
])
def test_another_accounts_payment_or_plan_at_the_same_dealer_is_not_found(
        app, client, make_world, stripe_intents, method, route):
    dana = make_world()
    sam = make_world(phone="+15551230002")
    open_page(client, dana.phone)
    payment_id, plan_id = _start_payment_and_plan(client)
    browser = app.test_client()
    token = csrf(open_page(browser, sam.phone).get_data(as_text=True))
    url = route.format(payment=payment_id, plan=plan_id)
    response = browser.open(url, method=method, data={"csrf_token": token})
    assert response.status_code == 404
    assert dana.account().reference not in response.get_data(as_text=True)
    assert stripe_intents() == []
    with db.session_scope() as session:
        assert session.get(Payment, payment_id).status == "pending"
        assert session.get(Plan, plan_id).status == "proposed"


def test_a_receipt_of_ones_own_payment_not_yet_made_is_not_found(client, world):
    open_page(client, world.phone)
    payment_id, _ = _start_payment_and_plan(client)
    assert client.get(f"/me/receipts/{payment_id}").status_code == 404
    assert client.get(f"/me/pay/{payment_id}").status_code == 200
