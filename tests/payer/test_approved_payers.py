"""Who may pay for a borrower: the CSV column `approved_payers`, the accounts API field,
and the dealer's setting in the portal."""

from __future__ import annotations

from bot import db
from bot.models import Account


def _headers(world) -> dict[str, str]:
    return {"Authorization": f"Bearer {world.api_key}"}


def _import(client, world, text: str):
    return client.post("/api/v1/accounts/import", data=text.encode(),
                       headers={**_headers(world), "Content-Type": "text/csv"})


def _payers(reference: str) -> list[str]:
    with db.session_scope() as session:
        return session.query(Account).filter_by(reference=reference).one().approved_payers


def test_the_import_column_sets_clears_and_leaves_approved_payers(client, world):
    with_payers = ("reference,name,phone,balance,approved_payers\n"
                   "LN-1,Dana Reyes,(212) 555-0101,100,Maria Lopez; Juan Lopez ;maria lopez\n"
                   "LN-2,Luis Ortega,(212) 555-0102,100,\n"
                   "LN-3,Ana Ruiz,(212) 555-0103,100,1234\n")
    report = _import(client, world, with_payers).json
    assert (report["created"], report["errors"]) == (
        2, [{"line": 4, "reason": "approved_payers: a name is required"}])
    assert _payers("LN-1") == ["Maria Lopez", "Juan Lopez"]  # repeats dropped
    assert _payers("LN-2") == []
    assert _import(client, world, with_payers).json["unchanged"] == 2  # re-import: no change

    without_column = "reference,name,phone,balance\nLN-1,Dana Reyes,(212) 555-0101,100\n"
    assert _import(client, world, without_column).json["unchanged"] == 1
    assert _payers("LN-1") == ["Maria Lopez", "Juan Lopez"]  # no column: left as they were
    cleared = "reference,name,phone,balance,approved_payers\nLN-1,Dana Reyes,(212) 555-0101,100,\n"
    assert _import(client, world, cleared).json["updated"] == 1
    assert _payers("LN-1") == []


def test_the_accounts_api_takes_shows_and_replaces_approved_payers(client, world):
    created = client.post("/api/v1/accounts", headers=_headers(world), json={
        "reference": "LN-9", "balance_cents": 5000,
        "borrower": {"name": "Ana Ruiz", "phone": "+12125550199"},
        "approved_payers": ["Maria Lopez", "  Juan   Lopez "]})
    assert created.status_code == 201, created.json
    assert created.json["approved_payers"] == ["Maria Lopez", "Juan Lopez"]
    account_id = created.json["id"]
    assert client.get(f"/api/v1/accounts/{account_id}",
                      headers=_headers(world)).json["approved_payers"] == ["Maria Lopez",
                                                                           "Juan Lopez"]
    replaced = client.put(f"/api/v1/accounts/{account_id}/approved_payers",
                          headers=_headers(world), json={"approved_payers": ["Rosa Diaz"]})
    assert replaced.status_code == 200
    assert replaced.json["approved_payers"] == ["Rosa Diaz"]
    assert _payers("LN-9") == ["Rosa Diaz"]

    for bad in ({"approved_payers": "Rosa Diaz"}, {"approved_payers": ["   "]},
                {"approved_payers": [7]}, {"names": []}):
        answer = client.put(f"/api/v1/accounts/{account_id}/approved_payers",
                            headers=_headers(world), json=bad)
        assert answer.status_code == 400, bad
        assert answer.json["error"]["code"] == "invalid_request"
    assert _payers("LN-9") == ["Rosa Diaz"]
    bad_create = client.post("/api/v1/accounts", headers=_headers(world), json={
        "reference": "LN-10", "balance_cents": 5000,
        "borrower": {"name": "Ana Ruiz", "phone": "+12125550198"}, "approved_payers": ["!!"]})
    assert bad_create.status_code == 400


def test_another_dealers_account_is_not_found(client, world):
    from bot.dealers import create_dealer

    with db.session_scope() as session:
        _other, other_key = create_dealer(session, name="Other Motors", number="+15550109999")
    answer = client.put(f"/api/v1/accounts/{world.account_id}/approved_payers",
                        headers={"Authorization": f"Bearer {other_key}"},
                        json={"approved_payers": ["Rosa Diaz"]})
    assert answer.status_code == 404
    assert world.account().approved_payers == []
