"""Open consoles cost the webhook nothing (issue 15, item 4).

Each console tab keeps a live event stream open. Served by gunicorn's threaded
workers (2 x 4 threads) those streams held a thread each, so 8 open consoles
left no thread for Twilio's webhooks. `textpay serve` now runs the streams in
an asyncio event server of their own (bot/web/event_server.py). Against
`textpay serve` as a child process with the production sizing, with 50
logged-in consoles of one dealer streaming: the p50 of that dealer's signed
webhooks (each text and its reply reach all 50 consoles) stays within 20 % of
the p50 of another dealer's, which no console hears. The two are interleaved
text by text, so whatever else loads this shared machine falls on both alike;
every text must be answered within Twilio's 15 s (a design that held a thread
per console fails there). A real browser's console also goes live through the
event server (another port: CORS, CSP, the session cookie).
"""

from __future__ import annotations

import http.client
import re
import statistics
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import urlsplit

import pytest
from twilio.request_validator import RequestValidator

from bot.payments.emulator import free_port
from bot.settings import Settings
from tests.portal.support import PASSWORD, add_user
from tests.support.console_streams import (
    cpu_seconds,
    event_server_pid,
    log_in,
    open_consoles,
    page_events_url,
)
from tests.support.processes import (
    ChildServer,
    child_database,
    dealer_with_a_borrower,
    rss_mb,
    textpay_serve,
)
from tests.support.servers import SCALE_OUT_REDIS_URL, flush_redis_keys, redis_or_skip
from tests.support.sms import AUTH_TOKEN, sms_form, twiml_messages

pytestmark = [pytest.mark.redis, pytest.mark.slow]

PHONE = "+15551230001"  # Dana, of the dealer whose consoles are open
UNWATCHED = "+15551230009"  # Olga, of another dealer: no console hears her texts
# Plain http, so the portal's session cookie is not Secure-only on this loopback test.
PUBLIC_URL = "http://textpay.test"
STAFF = "sam@sunrise.example"
CONSOLES = 50


@dataclass
class Served:
    url: str
    events_port: int
    server: ChildServer


@pytest.fixture(scope="module")
def served(tmp_path_factory, settings: Settings) -> Iterator[Served]:
    redis_url = redis_or_skip(SCALE_OUT_REDIS_URL)
    flush_redis_keys(redis_url)
    folder = tmp_path_factory.mktemp("console_streams")
    with child_database(settings, folder) as served_settings:
        dealer_id = dealer_with_a_borrower("Sunrise Auto", "+15550100000", "Dana Reyes", PHONE)
        dealer_with_a_borrower("Other Motors", "+15550199999", "Olga Other", UNWATCHED)
        add_user(dealer_id, STAFF, "staff", "Sam Ortiz")
    events_port = free_port()
    try:
        with textpay_serve(served_settings, folder / "server.log", "--events-port",
                           str(events_port), REDIS_URL=redis_url,
                           PUBLIC_URL=PUBLIC_URL) as child:
            yield Served(child.url, events_port, child)
    finally:
        flush_redis_keys(redis_url)


def timed_text(url: str, body: str = "what's my balance", phone: str = PHONE,
               to: str = "+15550100000") -> float:
    """Seconds until a signed webhook is answered (an error after Twilio's 15 s)."""
    form = sms_form(phone, body, to=to)
    signature = RequestValidator(AUTH_TOKEN).compute_signature(PUBLIC_URL + "/twilio/sms", form)
    request = urllib.request.Request(url + "/twilio/sms", data=urllib.parse.urlencode(form)
                                     .encode(), headers={"X-Twilio-Signature": signature})
    started = time.perf_counter()
    with urllib.request.urlopen(request, timeout=15) as response:
        assert response.status == 200 and twiml_messages(response.read())
    return time.perf_counter() - started


def test_fifty_open_consoles_leave_the_webhook_as_fast(served):
    cookie = log_in(served.url, STAFF, PASSWORD)
    events_url = page_events_url(served.url, cookie)
    assert urlsplit(events_url).port == served.events_port  # not a gunicorn thread

    def unwatched() -> float:
        return timed_text(served.url, phone=UNWATCHED, to="+15550199999")

    for _ in range(10):
        timed_text(served.url), unwatched()  # warm both workers for both dealers
    before = [unwatched() for _ in range(20)]  # no console open at all, for the record
    events_pid = event_server_pid(served.server)
    watched, quiet = [], []
    with open_consoles(events_url, cookie, CONSOLES) as consoles:
        cpu_before = cpu_seconds(events_pid)
        for _ in range(60):
            watched.append(timed_text(served.url))
            time.sleep(0.05)  # the text's events reach every console before the next text
            quiet.append(unwatched())
            time.sleep(0.05)
        fan_out_cpu = cpu_seconds(events_pid) - cpu_before
        heard = consoles.events()
        streaming_rss = rss_mb(events_pid)
    p50_watched, p50_quiet = statistics.median(watched), statistics.median(quiet)
    print(f"webhook p50 {p50_quiet * 1000:.1f} ms for a dealer no console hears "
          f"({statistics.median(before) * 1000:.1f} ms before any console opened), "
          f"{p50_watched * 1000:.1f} ms for the dealer whose {CONSOLES} consoles hear every "
          f"text (p95 {sorted(watched)[int(len(watched) * 0.95)] * 1000:.1f} ms); each "
          f"console heard {min(heard)}-{max(heard)} events; event server: "
          f"{streaming_rss:.0f} MB resident, {fan_out_cpu / len(watched) * 1000:.1f} ms CPU "
          "per watched text")
    assert p50_watched <= p50_quiet * 1.2, (p50_quiet, p50_watched)
    # Every console heard each of its dealer's texts and replies, and nothing of the other's.
    assert min(heard) == max(heard) == 2 * len(watched)


def test_a_stream_without_a_portal_session_is_refused(served):
    events_url = urlsplit(f"http://127.0.0.1:{served.events_port}/portal/events")
    conn = http.client.HTTPConnection(events_url.hostname, events_url.port, timeout=10)
    conn.request("GET", events_url.path, headers={"Cookie": "session=forged"})
    assert conn.getresponse().status == 401


@pytest.mark.browser
def test_a_browser_console_goes_live_through_the_event_server(served):
    from tests.support.browser import chromium_page

    with chromium_page() as page:
        page.goto(served.url + "/portal/login")
        page.get_by_label("Email").fill(STAFF)
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Log in").click()
        page.wait_for_url(re.compile(r"/portal/queue"))
        page.locator("body[data-live='connected']").wait_for()
        assert f":{served.events_port}/" in page.locator("body").get_attribute(
            "data-events-url")
        timed_text(served.url, "I want to talk to a real person")
        row = page.locator("#queue-rows tr", has_text="Dana Reyes")
        row.wait_for()
        assert "Asked for a person" in row.inner_text()
