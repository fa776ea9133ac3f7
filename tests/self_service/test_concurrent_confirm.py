"""The confirm button pressed in eight requests at the same instant (several tabs, a
double tap on a slow phone, a retrying proxy), against the app served on loopback with a
thread per request, on SQLite and on the real PostgreSQL: one claim wins, one
PaymentIntent in localstripe, one receipt."""

from __future__ import annotations

import threading
from contextlib import contextmanager

import pytest
import requests

from bot import db
from bot.migrate import upgrade
from bot.models import Payment
from bot.settings import set_settings
from tests.self_service.support import csrf, open_page
from tests.support.live_server import live_server
from tests.support.servers import scratch_database

PRESSES = 8


@contextmanager
def database(backend: str, settings):
    """The test's own database: the session's SQLite, or a scratch PostgreSQL one."""
    if backend == "sqlite":
        yield
        return
    with scratch_database("textpay_selfservice") as url:
        set_settings(settings.with_overrides(database_url=url))
        db.configure(url)
        try:
            upgrade(url)
            yield
        finally:
            set_settings(settings)
            db.configure(settings.database_url)


@pytest.mark.parametrize("backend", ["sqlite", pytest.param("postgresql",
                                                            marks=pytest.mark.postgres)])
def test_eight_simultaneous_presses_charge_once(app, client, make_world, settings, backend,
                                                stripe_intents, twilio_fake, daytime):
    with database(backend, settings):
        world = make_world()
        open_page(client, world.phone)
        token = csrf(client.get("/me/").get_data(as_text=True))
        confirm_path = client.post("/me/pay", data={"amount": "42", "csrf_token": token}
                                   ).headers["Location"]
        cookies = {name: client.get_cookie(name, path=path).value
                   for name, path in (("textpay_me", "/me"), ("session", "/"))}
        start, answers = threading.Barrier(PRESSES), []

        def press(url: str) -> None:
            start.wait()
            answers.append(requests.post(url, data={"csrf_token": token}, cookies=cookies,
                                         allow_redirects=False, timeout=60).status_code)

        with live_server(app) as base:
            threads = [threading.Thread(target=press, args=(base + confirm_path,))
                       for _ in range(PRESSES)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(timeout=90)
        assert answers == [303] * PRESSES  # every press lands on the payment's outcome
        assert [(i.amount, i.status) for i in stripe_intents()] == [(4200, "succeeded")]
        with db.session_scope() as session:
            assert [p.status for p in session.query(Payment)] == ["succeeded"]
        assert world.account().balance_cents == 120000 - 4200
        receipts = [b for b in twilio_fake.bodies_to(world.phone.number)
                    if "Payment received" in b]
        assert len(receipts) == 1
