"""The dealer API is a real API: every route described, and schemathesis finds no 5xx
and no answer that breaks the description, on the running app."""

from __future__ import annotations

import re

import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from bot.web.api.openapi import openapi_spec


def _flask_routes(app) -> set[tuple[str, str]]:
    routes = set()
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/api/v1"):
            path = re.sub(r"<(?:[^:>]+:)?(\w+)>", r"{\1}", rule.rule[len("/api/v1"):])
            routes |= {(method.lower(), path) for method in rule.methods - {"HEAD", "OPTIONS"}}
    return routes


def test_every_api_route_is_described_and_nothing_more(app):
    described = {(method, path) for path, item in openapi_spec()["paths"].items()
                 for method in item if method in ("get", "post", "put", "delete", "patch")}
    assert described == _flask_routes(app)


def test_the_description_and_the_reference_page_are_served(client, live_server):
    spec = requests.get(f"{live_server}/api/v1/openapi.json", timeout=10)
    assert spec.status_code == 200 and spec.json()["openapi"].startswith("3.")
    page = requests.get(f"{live_server}/api/v1/docs", timeout=10)
    assert page.status_code == 200 and "text/html" in page.headers["Content-Type"]
    assert "PUT</span>/api/v1/templates/{kind}" in page.text
    assert "invalid_template" in page.text and "offset_days" in page.text


def test_the_reference_page_reads_as_prose(client):
    """Code shows as code (no raw backticks) and every parameter and field says what it is."""
    from html.parser import HTMLParser

    class Cells(HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.rows: list[list[str]] = []
            self.text: list[str] = []
            self._cell: list[str] | None = None

        def handle_starttag(self, tag: str, attrs: list) -> None:
            if tag == "tr":
                self.rows.append([])
            elif tag == "td":
                self._cell = []

        def handle_endtag(self, tag: str) -> None:
            if tag == "td" and self._cell is not None:
                self.rows[-1].append("".join(self._cell).strip())
                self._cell = None

        def handle_data(self, data: str) -> None:
            self.text.append(data)
            if self._cell is not None:
                self._cell.append(data)

    page = client.get("/api/v1/docs")
    html = page.get_data(as_text=True)
    cells = Cells()
    cells.feed(html)
    assert "`" not in "".join(cells.text)
    assert "<code>next_cursor</code>" in html and "<code>invalid_experiment</code>" in html
    field_rows = [row for row in cells.rows if len(row) >= 4]  # parameters and fields
    assert len(field_rows) > 100
    assert [row[0] for row in field_rows if not row[-1]] == []


@pytest.fixture
def api_schema(live_server, seeded_shop):
    from schemathesis.config._auth import OpenAPIAuthConfig

    schema = schemathesis.openapi.from_url(f"{live_server}/api/v1/openapi.json")
    # Unknown query parameters are ignored, as HTTP APIs customarily do.
    schema.config.generation.update(allow_extra_parameters=False)
    # The dealer's key through the description's own `bearer` scheme: schemathesis then
    # knows the header is the credential (and tries requests without it on its own),
    # instead of taking a generated case that left it out as one the API should refuse.
    schema.config.auth.openapi = OpenAPIAuthConfig(
        schemes={"bearer": {"bearer": seeded_shop.api_key}})
    return schema


schema = schemathesis.pytest.from_fixture("api_schema")


@pytest.fixture
def seeded_shop(shop):
    """A dealer with an account and an open escalation, so generated ids sometimes exist."""
    from bot import db
    from bot.models import Account, Escalation

    account_id = shop.add_account("LN-1", "+12125550160")
    with db.session_scope() as session:
        session.add(Escalation(dealer_id=shop.dealer_id, account_id=account_id,
                               borrower_id=session.get(Account, account_id).borrower_id,
                               reason="human"))
    return shop


@schema.parametrize()
@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                 HealthCheck.filter_too_much])
def test_no_generated_request_breaks_the_api(case):
    # Every check but "any schema-valid request succeeds": a template or CSV that fits the
    # schema (a string) may still be refused, with a 400 that names the problem.
    case.call_and_validate(excluded_checks=[positive_data_acceptance])
