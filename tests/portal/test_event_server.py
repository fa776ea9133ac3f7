"""The asyncio event server (bot/web/event_server.py) in process, on the real Redis: who may
listen (the portal's own login), each dealer hears only its own events, CORS for the
portal's pages only. Its load test against `textpay serve` is in
tests/production/test_console_streams.py."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator

import pytest
from aiohttp import web

from bot.settings import set_settings
from bot.web.event_server import build_app
from bot.web.portal.events import console_dealer
from bot.web.portal.helpers import session_id
from tests.portal.support import escalate
from tests.support.servers import redis_or_skip

pytestmark = pytest.mark.redis


def session_cookie(app, user_id: int) -> str:
    """The Cookie header of a browser logged in as this user."""
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = session_id(user_id, 0)  # a new user's first session
        session["_fresh"] = True
    name = app.config["SESSION_COOKIE_NAME"]
    return f"{name}={client.get_cookie(name).value}"


@pytest.fixture
def event_server(app, client, settings) -> Iterator[str]:
    """The event server on a free loopback port (its own loop, on a thread)."""
    redis_url = redis_or_skip()
    set_settings(settings.with_overrides(redis_url=redis_url))
    loop = asyncio.new_event_loop()
    runner = web.AppRunner(build_app(app, redis_url))
    loop.run_until_complete(runner.setup())
    site = web.TCPSite(runner, "127.0.0.1", 0)
    loop.run_until_complete(site.start())
    port = site._server.sockets[0].getsockname()[1]
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    try:
        yield f"127.0.0.1:{port}"
    finally:
        asyncio.run_coroutine_threadsafe(_stop(runner), loop).result(10)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(5)
        loop.close()
        set_settings(settings)


async def _stop(runner: web.AppRunner) -> None:
    """Stop serving, then end what is still streaming (as a server shutting down does)."""
    await runner.cleanup()
    others = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
    for task in others:
        task.cancel()
    await asyncio.gather(*others, return_exceptions=True)


def open_stream(address: str, cookie: str | None, origin: str | None = None):
    """GET /portal/events on the event server; the response (headers read)."""
    import http.client

    host, port = address.split(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=10)
    headers = {"Cookie": cookie} if cookie else {}
    if origin:
        headers["Origin"] = origin
    conn.request("GET", "/portal/events", headers=headers)
    return conn.getresponse()


def next_event(response) -> str:
    """The next `event:` frame of a stream (comments skipped)."""
    frame = []
    for line in response:
        if line == b"\n" and frame:
            return "".join(frame)
        if not line.startswith(b":") and line != b"\n":
            frame.append(line.decode())
    raise AssertionError("the stream ended")


def test_the_portal_decides_who_may_listen(app, portal):
    assert console_dealer(app, session_cookie(app, portal.staff_id)) == portal.world.dealer_id
    assert console_dealer(app, None) is None
    assert console_dealer(app, "session=forged.value.here") is None


def test_each_dealer_hears_its_own_events_and_only_with_a_session(app, portal, event_server):
    assert open_stream(event_server, None).status == 401
    stream = open_stream(event_server, session_cookie(app, portal.staff_id))
    assert stream.status == 200 and stream.getheader("Content-Type") == "text/event-stream"
    assert stream.readline().startswith(b"retry: 3000")  # subscribed
    other = portal.other
    escalate(other.dealer_id, other.borrower_id, other.account_id, "hardship")  # not ours
    world = portal.world
    escalation_id = escalate(world.dealer_id, world.borrower_id, world.account_id)
    frame = next_event(stream)
    assert frame.startswith("event: escalation\n")
    assert f'"id": {escalation_id}' in frame and '"action": "opened"' in frame


def test_cors_answers_the_portals_own_pages_only(app, portal, event_server):
    cookie = session_cookie(app, portal.staff_id)
    port_of_the_portal = "http://127.0.0.1:8000"
    allowed = open_stream(event_server, cookie, origin=port_of_the_portal)
    assert allowed.getheader("Access-Control-Allow-Origin") == port_of_the_portal
    assert allowed.getheader("Access-Control-Allow-Credentials") == "true"
    foreign = open_stream(event_server, cookie, origin="https://evil.example")
    assert foreign.getheader("Access-Control-Allow-Origin") is None
