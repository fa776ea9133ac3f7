"""`textpay serve` under gunicorn with two workers, on PostgreSQL and Redis.

One server for the whole module (each worker loads the model once). Signed
webhooks are fired from many threads at once, the way Twilio delivers a
flood of replies after a reminder campaign, and the outcome is read from
the database, Redis, localstripe and the server's own log.
"""

from __future__ import annotations

import json
import re
import threading
import urllib.parse
import urllib.request
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import String, Text, select

from bot import db
from bot.dealers import create_dealer
from bot.migrate import upgrade
from bot.models import Account, Base, Borrower, Dealer, LedgerEntry, Message, Payment
from bot.payments.merchant import PLATFORM
from bot.settings import Settings, set_settings
from tests.conftest import MODEL_PATH, card_in_emulator
from tests.support.clock import today
from tests.support.processes import ChildServer, textpay_serve
from tests.support.servers import (
    SCALE_OUT_REDIS_URL,
    flush_redis_keys,
    redis_or_skip,
    scratch_database,
)
from tests.support.sms import AUTH_TOKEN, DEALER_NUMBER, PUBLIC_URL, sms_form, twiml_messages
from tests.support.sms import signed_headers as sign
from tests.support.stripe_events import event, stripe_signature

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.slow]

REDIS_DB = SCALE_OUT_REDIS_URL
CARD_FORMATS = ["4242 4242 4242 4242", "4242-4242-4242-4242", "4242424242424242",
                "4242.4242.4242.4242", "3782 822463 10005", "5555 5555 5555 4444 exp 12/30"]


@dataclass
class Cluster:
    server: ChildServer
    database_url: str


@pytest.fixture(scope="module")
def cluster(tmp_path_factory, settings: Settings, localstripe, twilio_fake) -> Iterator[Cluster]:
    redis_url = redis_or_skip(REDIS_DB)
    flush_redis_keys(redis_url)
    with scratch_database() as database_url:
        upgrade(database_url)
        serving = settings.with_overrides(database_url=database_url, redis_url=redis_url)
        set_settings(serving)
        with db.session_scope() as session:
            create_dealer(session, name="Sunrise Auto", number=DEALER_NUMBER)
        server = textpay_serve(
            serving, tmp_path_factory.mktemp("gunicorn") / "server.log",
            REDIS_URL=redis_url, STRIPE_API_BASE=localstripe.url,
            STRIPE_WEBHOOK_SECRET=settings.stripe_webhook_secret,
            TWILIO_ACCOUNT_SID="ACtest", TWILIO_AUTH_TOKEN=AUTH_TOKEN,
            TWILIO_API_BASE=twilio_fake.url, PUBLIC_URL=PUBLIC_URL,
            SECRET_KEY="test-secret-key", TEXTPAY_MODEL=str(MODEL_PATH), WEB_THREADS="8",
            # The floods below come from one number on purpose.
            INBOUND_TEXTS_PER_MINUTE="1000", LOG_LEVEL="INFO")
        server.start()
        try:
            # /readyz answers as soon as one worker is up; wait for both.
            _wait_until(lambda: _models_loaded(server) >= 2, seconds=180)
            yield Cluster(server, database_url)
        finally:
            server.stop()
            flush_redis_keys(redis_url)
            set_settings(settings)


def _models_loaded(server: ChildServer) -> int:
    return sum(1 for r in server.json_log() if r.get("message", "").startswith("model loaded"))


def _wait_until(predicate, seconds: float) -> None:
    import time

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.2)
    pytest.fail("timed out waiting for the server")


@dataclass
class Borrower_:
    phone: str
    borrower_id: int
    account_id: int
    customer_id: str


def new_borrower() -> Borrower_:
    """A borrower of their own (a fresh number) with $1,200.00 owed and Visa 4242 on file."""
    phone = f"+1555{uuid.uuid4().int % 10_000_000:07d}"
    customer, method = card_in_emulator("4242424242424242")
    with db.session_scope() as session:
        dealer = session.query(Dealer).one()
        borrower = Borrower(dealer_id=dealer.id, name="Dana Reyes", phone=phone, language="en")
        session.add(borrower)
        session.flush()
        account = Account(dealer_id=dealer.id, borrower_id=borrower.id,
                          reference=f"LN-{borrower.id:04d}", balance_cents=120000,
                          amount_due_cents=25000, due_date=today() + timedelta(days=3),
                          stripe_customer_id=customer, stripe_payment_method_id=method,
                          card_brand="Visa", card_last4="4242")
        session.add(account)
        session.flush()
        return Borrower_(phone, borrower.id, account.id, customer)


def text(cluster: Cluster, phone: str, body: str, sid: str | None = None) -> list[str]:
    form = sms_form(phone, body, sid=sid)
    data = urllib.parse.urlencode(form).encode()
    request = urllib.request.Request(cluster.server.url + "/twilio/sms", data=data,
                                     headers=sign("/twilio/sms", form))
    with urllib.request.urlopen(request, timeout=60) as response:
        assert response.status == 200
        return twiml_messages(response.read())


def all_at_once(count: int, send) -> list:
    """Call `send(i)` from `count` threads released at the same instant."""
    barrier = threading.Barrier(count)

    def go(i: int):
        barrier.wait()
        return send(i)

    with ThreadPoolExecutor(count) as pool:
        return list(pool.map(go, range(count)))


def intents_for(customer_id: str) -> list:
    listing = PLATFORM.client().v1.payment_intents.list(params={"limit": 100})
    return [i for i in listing.auto_paging_iter() if i.customer == customer_id]


def ledger_for(account_id: int) -> list[int]:
    with db.session_scope() as session:
        return list(session.execute(select(LedgerEntry.amount_cents)
                                    .where(LedgerEntry.account_id == account_id)).scalars())


def transcript(borrower_id: int) -> list[tuple[str, str]]:
    with db.session_scope() as session:
        rows = session.execute(select(Message.direction, Message.body)
                               .where(Message.borrower_id == borrower_id)
                               .order_by(Message.id)).all()
        return [tuple(row) for row in rows]


def test_fifty_concurrent_yes_replies_across_workers_charge_exactly_once(cluster):
    dana = new_borrower()
    assert "Reply YES" in " ".join(text(cluster, dana.phone, "pay 50"))
    first_log_line = len(cluster.server.log_lines())
    replies = all_at_once(50, lambda i: text(cluster, dana.phone, "YES"))
    receipts = [r for r in replies if any("Payment received: $50.00" in t for t in r)]
    assert len(receipts) == 1
    assert len(intents_for(dana.customer_id)) == 1
    assert ledger_for(dana.account_id) == [-5000]
    with db.session_scope() as session:
        assert session.get(Account, dana.account_id).balance_cents == 115000
        assert session.query(Payment).filter_by(account_id=dana.account_id).count() == 1
    # Both workers took part.
    handled = [r for r in cluster.server.json_log()[first_log_line:]
               if r.get("event") == "sms_inbound"]
    assert len(handled) == 50 and len({r["pid"] for r in handled}) == 2


def test_one_message_sid_delivered_twenty_times_at_once_is_processed_once(cluster):
    dana = new_borrower()
    text(cluster, dana.phone, "pay 50")
    replies = all_at_once(20, lambda i: text(cluster, dana.phone, "yes", sid="SMsameyes"))
    assert all(r == replies[0] for r in replies)  # the same answer every time...
    assert "Payment received: $50.00" in replies[0][0]
    assert len(intents_for(dana.customer_id)) == 1  # ...for one charge
    assert ledger_for(dana.account_id) == [-5000]
    with db.session_scope() as session:
        assert session.query(Message).filter_by(message_sid="SMsameyes").count() == 1
    assert [d for d, _ in transcript(dana.borrower_id)] == ["inbound", "outbound"] * 2


def test_ten_copies_of_a_text_that_got_no_reply_are_all_answered_within_two_seconds(cluster):
    """Twilio retries what it saw unanswered; a copy must never wait for a reply that the
    first delivery never made (an opted-out number), holding up the phone's next text."""
    import time

    dana = new_borrower()
    text(cluster, dana.phone, "STOP")
    text(cluster, dana.phone, "hello?", sid="SMunanswered")
    started = time.monotonic()
    answers = all_at_once(10, lambda i: (text(cluster, dana.phone, "hello?", sid="SMunanswered"),
                                         time.monotonic() - started))
    assert [reply for reply, _ in answers] == [[]] * 10
    assert max(seconds for _, seconds in answers) < 2.0
    assert text(cluster, dana.phone, "START") != []  # the phone's next text: answered at once
    assert time.monotonic() - started < 3.0


def test_texts_sent_at_the_same_moment_are_handled_one_by_one_in_arrival_order(cluster):
    dana = new_borrower()

    def pay_then_yes(i: int) -> list[str]:
        if i == 1:
            threading.Event().wait(0.02)  # YES arrives a moment after PAY
        return text(cluster, dana.phone, "pay 50" if i == 0 else "yes")

    pay, yes = all_at_once(2, pay_then_yes)
    assert "Reply YES" in " ".join(pay)
    assert "Payment received: $50.00" in " ".join(yes)  # it saw the question PAY asked

    more = ["what's my balance", "hello", "what do i owe", "thanks", "balance", "hi"]
    all_at_once(len(more), lambda i: (threading.Event().wait(0.01 * i),
                                      text(cluster, dana.phone, more[i]))[1])
    # Each text was answered before the next one was even stored: no interleaving.
    log = transcript(dana.borrower_id)
    assert [d for d, _ in log] == ["inbound", "outbound"] * (len(log) // 2)
    assert len(log) == 2 * (2 + len(more))
    # The Rasa tracker (in Redis, shared by both workers) saw every turn.
    import redis

    stored = redis.Redis.from_url(REDIS_DB).get(f"textpay:tracker:{dana.borrower_id}")
    assert stored is not None and b"thanks" in stored


def _digits(text: str) -> str:
    return re.sub(r"\D", "", text)


def test_card_numbers_never_reach_the_database_the_tracker_or_the_logs(cluster):
    dana = new_borrower()
    for number in CARD_FORMATS:
        reply = " ".join(text(cluster, dana.phone, f"my card is {number} thanks"))
        assert "never text a card number" in reply
    text(cluster, dana.phone, "pay with 4242424242424242 please")  # mid-conversation too
    secrets = {_digits(n.split(" exp")[0]) for n in CARD_FORMATS}

    found = []
    with db.session_scope() as session:
        for table in Base.metadata.sorted_tables:
            columns = [c for c in table.columns if isinstance(c.type, (String, Text))]
            for row in session.execute(select(*columns)) if columns else []:
                found += [f"{table.name}: {v}" for v in row
                          if v and any(s in _digits(str(v)) for s in secrets)]
    import redis

    client = redis.Redis.from_url(REDIS_DB)
    for key in client.scan_iter("*"):
        value = client.dump(key) or b""
        found += [f"redis {key!r}" for s in secrets if s in _digits(value.decode("latin-1"))]
    found += [f"log: {line}" for line in cluster.server.log_lines()
              if any(s in _digits(line) for s in secrets)]
    assert found == []
    assert any("[card number removed]" in body for _, body in transcript(dana.borrower_id))


def test_the_servers_logs_are_json_lines_with_phone_numbers_masked(cluster):
    dana = new_borrower()
    text(cluster, dana.phone, "what's my balance")
    lines = cluster.server.log_lines()
    records = cluster.server.json_log()
    assert len(records) == len(lines)  # gunicorn's own lines too
    assert {"asctime", "level", "logger", "pid", "message"} <= set(records[-1])
    assert not any(dana.phone in line or dana.phone[2:] in line for line in lines)
    assert any(r.get("event") == "sms_inbound" and dana.phone[-4:] in r["message"]
               for r in records)


def test_every_worker_answers_readyz_and_healthz(cluster):
    for path in ("/healthz", "/readyz"):
        assert all(cluster.server.answers(path) for _ in range(6))
    assert len(cluster.server.pids()) == 4  # the master, two workers, the live-event server
    assert Path(f"/proc/{cluster.server.pids()[1]}").exists()


def test_hostile_bodies_are_answered_and_stored_cleanly_on_postgresql(cluster):
    dana = new_borrower()
    nasty = ["pay 50\x00; DROP TABLE payments;--", "a" * 1700, "\u202epay\u202c 💳 שלם 150",
             "{{ config.items() }}", "\x1b[31m\x07\x00", ""]
    for body in nasty:
        assert isinstance(text(cluster, dana.phone, body), list)  # 200 and TwiML
    bodies = [body for direction, body in transcript(dana.borrower_id) if direction == "inbound"]
    assert len(bodies) == len(nasty)
    assert not any("\x00" in b or "\x1b" in b for b in bodies)
    assert max(map(len, bodies)) == 1600  # Twilio's limit for one message
    with db.session_scope() as session:
        assert session.query(Payment).count() >= 0  # the table is still there


def test_one_stripe_event_delivered_ten_times_at_once_is_applied_once(cluster):
    dana = new_borrower()
    text(cluster, dana.phone, "pay 50")
    text(cluster, dana.phone, "yes")
    (intent,) = intents_for(dana.customer_id)
    PLATFORM.client().v1.refunds.create(params={"payment_intent": intent.id})
    charge_id = getattr(intent.latest_charge, "id", intent.latest_charge)
    charge = PLATFORM.client().v1.charges.retrieve(charge_id)
    body = json.dumps(event("charge.refunded", json.loads(str(charge)))).encode()

    def deliver(_i: int) -> str:
        request = urllib.request.Request(
            cluster.server.url + "/stripe/webhook", data=body,
            headers={"Content-Type": "application/json",
                     "Stripe-Signature": stripe_signature(body, "whsec_test")})
        with urllib.request.urlopen(request, timeout=60) as response:
            return json.loads(response.read())["outcome"]

    outcomes = all_at_once(10, deliver)
    assert sorted(outcomes) == ["applied"] + ["duplicate"] * 9
    assert sorted(ledger_for(dana.account_id)) == [-5000, 5000]
