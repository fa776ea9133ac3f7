"""Open consoles against `textpay serve`: webhook latency with N console streams open, and
what the live-event server costs per text.

    .venv/bin/python -m bench.consoles [N ...]        (default: 50 200 1000)

The stack is `make bench`'s (PostgreSQL and Redis when they answer, localstripe, the
Twilio fake); gunicorn with 2 workers x 4 threads and the event server beside it. For
each N, blocks of 10 signed webhooks alternate with no console open and with N streams
open (all of the texting borrower's dealer, so each stream hears every text: the worst
case), read by one asyncio process on this same machine.
"""

from __future__ import annotations

import statistics
import sys
import time
import urllib.parse
import urllib.request

from twilio.request_validator import RequestValidator

from bench.stack import AUTH_TOKEN, PUBLIC_URL, bench_stack, textpay_server
from bot import db
from bot.models import Dealer
from bot.payments.emulator import free_port
from tests.portal.support import PASSWORD, add_user
from tests.support.console_streams import (
    cpu_seconds,
    event_server_pid,
    log_in,
    open_consoles,
    page_events_url,
)
from tests.support.processes import rss_mb
from tests.support.sms import sms_form, twiml_messages

STAFF = "staff@bench.example"
BLOCKS = 10


def timed_text(url: str, phone: str) -> float:
    """Seconds until one signed "what's my balance" webhook is answered."""
    form = sms_form(phone, "what's my balance")
    signature = RequestValidator(AUTH_TOKEN).compute_signature(PUBLIC_URL + "/twilio/sms", form)
    request = urllib.request.Request(url + "/twilio/sms", headers={
        "X-Twilio-Signature": signature}, data=urllib.parse.urlencode(form).encode())
    started = time.perf_counter()
    with urllib.request.urlopen(request, timeout=30) as response:
        assert twiml_messages(response.read())
    return time.perf_counter() - started


def measure(url: str, phone: str, events_url: str, cookie: str, pid: int, count: int) -> str:
    """One table row: p50 without and with `count` streams, CPU per text, memory."""
    alone, watched, cpu = [], [], 0.0
    memory = 0.0
    for _ in range(BLOCKS):
        alone += [timed_text(url, phone) for _ in range(10)]
        with open_consoles(events_url, cookie, count):
            before = cpu_seconds(pid)
            watched += [timed_text(url, phone) for _ in range(10)]
            time.sleep(0.5)
            cpu += cpu_seconds(pid) - before
            memory = rss_mb(pid)
    p50, p50_watched = statistics.median(alone) * 1000, statistics.median(watched) * 1000
    return (f"| {count} | {p50:.1f} | {p50_watched:.1f} | {p50_watched / p50:.2f}x | "
            f"{cpu / len(watched) * 1000:.1f} | {memory:.0f} |")


def main() -> None:
    """Print the table for the console counts given (default 50, 200, 1000)."""
    counts = [int(n) for n in sys.argv[1:]] or [50, 200, 1000]
    with bench_stack(1) as stack:
        if not stack.redis_url:
            raise SystemExit("the event server needs Redis on 127.0.0.1:6379")
        with db.session_scope() as session:
            dealer_id = session.query(Dealer.id).scalar()
        add_user(dealer_id, STAFF, "staff", "Bench Staff")
        server = textpay_server(stack, workers=2)
        server.command += ["--events-port", str(free_port())]
        server.env["WEB_THREADS"] = "4"
        server.start()
        try:
            cookie = log_in(server.url, STAFF, PASSWORD)
            events_url = page_events_url(server.url, cookie)
            phone = stack.senders["textpay"][0].phone
            pid = event_server_pid(server)
            for _ in range(10):
                timed_text(server.url, phone)  # warm both workers
            print(f"{stack.database_kind}, Redis; textpay serve: 2 workers x 4 threads\n")
            print("| consoles | webhook p50 ms, none open | p50 ms, open | ratio | "
                  "event server CPU ms per text | event server MB |")
            print("|---:|---:|---:|---:|---:|---:|")
            for count in counts:
                print(measure(server.url, phone, events_url, cookie, pid, count), flush=True)
        finally:
            server.stop()


if __name__ == "__main__":
    main()
