"""GET /api/v1/accounts: a dealer's accounts a page at a time, filtered the way a sync
client or a report needs (segment, status, changed since), never another dealer's."""

from __future__ import annotations

from datetime import timedelta

from bot import db
from bot.models import Account
from tests.portal.support import auth, make_other_dealer


def page(client, shop, **params) -> dict:
    response = client.get("/api/v1/accounts", headers=shop.headers(),
                          query_string={k: v for k, v in params.items() if v is not None})
    assert response.status_code == 200, response.json
    return response.json


def all_pages(client, shop, **params) -> list[str]:
    references, cursor, pages = [], None, 0
    while True:
        answer = page(client, shop, cursor=cursor, **params)
        references += [a["reference"] for a in answer["accounts"]]
        pages += 1
        cursor = answer["next_cursor"]
        if cursor is None:
            return references
        assert pages < 50


def test_cursor_pages_through_every_account_once_even_while_accounts_are_added(client, shop):
    for n in range(7):
        shop.add_account(f"LN-{n}", f"+1212555{n:04d}")
    first = page(client, shop, limit=3)
    assert [a["reference"] for a in first["accounts"]] == ["LN-0", "LN-1", "LN-2"]
    shop.add_account("LN-7", "+12125550007")  # arrives while the client is paging
    second = page(client, shop, limit=3, cursor=first["next_cursor"])
    assert [a["reference"] for a in second["accounts"]] == ["LN-3", "LN-4", "LN-5"]
    third = page(client, shop, limit=3, cursor=second["next_cursor"])
    assert [a["reference"] for a in third["accounts"]] == ["LN-6", "LN-7"]
    assert third["next_cursor"] is None
    assert set(third["accounts"][0]) >= {"id", "borrower", "balance_cents", "updated_at"}


def test_filters_by_segment_status_and_change_time(client, shop, clock):
    today = clock.today()
    late = shop.add_account("LN-LATE", "+12125550101", due=today - timedelta(days=10))
    shop.add_account("LN-DUE", "+12125550102", due=today + timedelta(days=1))
    shop.add_account("LN-PAID", "+12125550103", balance_cents=0, amount_due_cents=0)
    shop.add_account("LN-STOP", "+12125550104", opted_out=True)
    assert all_pages(client, shop, segment="late_1_30") == ["LN-LATE"]
    assert all_pages(client, shop, segment="due") == ["LN-DUE"]
    assert all_pages(client, shop, segment="opted_out") == ["LN-STOP"]
    assert all_pages(client, shop, status="paid_off") == ["LN-PAID"]
    assert set(all_pages(client, shop, status="open")) == {"LN-LATE", "LN-DUE", "LN-STOP"}

    since = clock.advance(minutes=10)
    with db.session_scope() as session:  # a payment lands on the late account
        session.get(Account, late).balance_cents -= 5000
    stamp = since.isoformat() + "Z"
    assert all_pages(client, shop, updated_since=stamp) == ["LN-LATE"]
    assert all_pages(client, shop, updated_since=stamp, status="paid_off") == []


def test_bad_parameters_are_explained(client, shop):
    for params, words in (({"segment": "vip"}, "segment must be one of"),
                          ({"status": "closed"}, "status must be one of"),
                          ({"limit": "0"}, "limit must be from 1 to 200"),
                          ({"cursor": "abc"}, "cursor is not one this API gave out"),
                          ({"updated_since": "yesterday"}, "ISO 8601")):
        response = client.get("/api/v1/accounts", headers=shop.headers(), query_string=params)
        assert response.status_code == 400
        assert words in response.json["error"]["message"]


def test_another_dealers_accounts_are_never_listed(client, shop):
    shop.add_account("LN-MINE", "+12125550201")
    other = make_other_dealer()
    assert all_pages(client, shop) == ["LN-MINE"]
    theirs = client.get("/api/v1/accounts", headers=auth(other.api_key)).json
    assert [a["reference"] for a in theirs["accounts"]] == ["OT-1"]
