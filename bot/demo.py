"""`textpay demo` (what `make run` starts): everything on this machine.

SQLite in instance/, localstripe on loopback with fresh state, a demo dealer
with three borrowers and test cards (one declines), sixty days of the
dealer's history played through the real code paths (bot/demo_history/),
and the phone simulator at http://127.0.0.1:<port>/. Texts the bot starts
are captured, not sent.
"""

from __future__ import annotations

import logging
import secrets
import signal
import socket
import time
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

from bot import clock, db
from bot.console.users import create_user
from bot.dealers import create_dealer
from bot.demo_history import HISTORY_DAYS, play_history, walked_clock
from bot.localtime import dealer_today
from bot.messaging import number_limits
from bot.migrate import upgrade
from bot.models import Account, Borrower
from bot.payments import merchant, stripe_gateway
from bot.payments.emulator import LocalStripe
from bot.settings import ROOT, Settings, load_settings, set_settings

log = logging.getLogger(__name__)

DEFAULT_INSTANCE = ROOT / "instance"
DEALER_NUMBER = "+15550100000"
DEALER_ZONE = "America/Chicago"
# Texts per second while the story plays (the story is fast-forwarded; the demo itself
# then sends at the usual pace of one a second).
STORY_PACE = 200.0
# The portal's demo logins (printed in the banner; the demo runs on loopback only).
DEMO_ADMIN = ("admin@sunrise.example", "textpay-demo-admin")
DEMO_STAFF = ("staff@sunrise.example", "textpay-demo-staff")


@dataclass(frozen=True)
class DemoBorrower:
    """A seeded borrower, their loan and their test card."""

    name: str
    phone: str
    language: str
    reference: str
    balance_cents: int
    amount_due_cents: int
    due_in_days: int
    card_number: str


DEMO_BORROWERS = (
    DemoBorrower("Dana Reyes", "+15551230001", "en", "LN-1001", 120000, 25000, 3,
                 "4242424242424242"),
    DemoBorrower("Miguel Torres", "+15551230002", "es", "LN-1002", 340000, 30000, 0,
                 "4000056655665556"),
    DemoBorrower("Jordan Lee", "+15551230003", "en", "LN-1003", 80000, 15000, -5,
                 "4000000000000341"),
)


def demo_settings(port: int, stripe_url: str, database: Path) -> Settings:
    """The demo's configuration: embedded defaults, no outside service."""
    return load_settings().with_overrides(
        demo_mode=True,
        database_url=f"sqlite:///{database}",
        redis_url=None,
        stripe_secret_key="sk_test_demo",  # noqa: S106 - the emulator takes any key
        stripe_api_base=stripe_url,
        twilio_auth_token="demo-auth-token",  # noqa: S106 - demo only, never Twilio
        twilio_account_sid="ACdemo",
        public_url=f"http://127.0.0.1:{port}",
        secret_key=secrets.token_hex(32),
    )


def seed(today: date | None = None) -> int:
    """Create the demo dealer, borrowers, accounts and their cards in the emulator;
    the dealer's id."""
    with db.session_scope() as session:
        # The demo dealer runs alone: its money lands in the emulator's own account.
        dealer, _ = create_dealer(session, name="Sunrise Auto Sales", number=DEALER_NUMBER,
                                  contact_phone="+15550100001", timezone=DEALER_ZONE,
                                  platform_stripe=True)
        today = today or dealer_today(dealer)  # "due today" is the dealer's today, not UTC's
        dealers_stripe = merchant.for_dealer(dealer)
        for person in DEMO_BORROWERS:
            customer = stripe_gateway.ensure_customer(dealers_stripe, None, person.name,
                                                      person.reference)
            method = stripe_gateway.emulator_card(dealers_stripe, person.card_number, 12, 2034,
                                                  "123")
            card = stripe_gateway.attach_card(dealers_stripe, customer, method)
            borrower = Borrower(dealer_id=dealer.id, name=person.name, phone=person.phone,
                                language=person.language)
            session.add(borrower)
            session.flush()
            session.add(Account(
                dealer_id=dealer.id, borrower_id=borrower.id, reference=person.reference,
                balance_cents=person.balance_cents, amount_due_cents=person.amount_due_cents,
                due_date=today + timedelta(days=person.due_in_days),
                stripe_customer_id=customer, stripe_payment_method_id=method,
                card_brand=card.brand, card_last4=card.last4,
            ))
        create_user(session, dealer_id=dealer.id, email=DEMO_ADMIN[0], name="Ada Admin",
                    role="admin", password=DEMO_ADMIN[1])
        create_user(session, dealer_id=dealer.id, email=DEMO_STAFF[0], name="Sam Staff",
                    role="staff", password=DEMO_STAFF[1])
        return dealer.id


def seed_with_history() -> float:
    """The demo's data: the dealer and its three borrowers created sixty days ago, and
    the sixty days since played through the real code paths; the seconds it took."""
    started = time.perf_counter()
    zone = ZoneInfo(DEALER_ZONE)
    now = clock.now_utc()
    today = now.astimezone(zone).date()
    first_morning = datetime.combine(today - timedelta(days=HISTORY_DAYS), datetime.min.time(),
                                     tzinfo=zone).replace(hour=7)
    # Today's reminders go at 10:00; a demo started earlier shows them already sent.
    todays_wave = datetime.combine(today, datetime.min.time(), tzinfo=zone).replace(hour=10,
                                                                                    minute=5)
    end = max(now, todays_wave).astimezone(timezone.utc).replace(tzinfo=None)
    with walked_clock(first_morning):
        dealer_id = seed(today)
        _set_pace(dealer_id, STORY_PACE)
        play_history(dealer_id, DEALER_NUMBER, today, end)
        _set_pace(dealer_id, 1.0)
    number_limits.reset()  # the story's texts must not count against the real hour
    return time.perf_counter() - started


def _set_pace(dealer_id: int, per_second: float) -> None:
    from bot.models import Dealer

    with db.session_scope() as session:
        session.get(Dealer, dealer_id).messages_per_second = per_second


def _port_is_free(port: int) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) != 0


def _stop_on_sigterm() -> None:
    """SIGTERM (a process manager, `kill PID`) ends the demo the way Ctrl-C does, so the
    emulator it started is stopped and the ports are freed on the way out."""

    def interrupt(_signum: int, _frame: object) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, interrupt)


def run_demo(port: int = 5000, instance: Path = DEFAULT_INSTANCE) -> None:
    """Start everything and serve until Ctrl-C or SIGTERM."""
    if not _port_is_free(port):
        raise SystemExit(f"port {port} is already in use; try `textpay demo --port 5050`")
    instance.mkdir(parents=True, exist_ok=True)
    database = instance / "demo.db"
    for leftover in instance.glob("demo.db*"):
        leftover.unlink()  # the emulator starts empty, so the demo data must too
    _stop_on_sigterm()
    try:
        with LocalStripe(log_path=instance / "localstripe.log") as stripe_emulator:
            _serve_demo(port, stripe_emulator.url, database)
    except KeyboardInterrupt:
        pass  # Ctrl-C or SIGTERM: the emulator has been stopped on the way out
    print("textpay demo stopped.", flush=True)


def _serve_demo(port: int, stripe_url: str, database: Path) -> None:
    from werkzeug.serving import run_simple

    from bot.web import create_app

    settings = demo_settings(port, stripe_url, database)
    set_settings(settings)
    upgrade(settings.database_url)
    print("Loading the Rasa model...", flush=True)
    app = create_app(settings)
    print(f"Playing {HISTORY_DAYS} days of Sunrise Auto Sales' history (reminders, replies, "
          "payments, plans, promises, escalations)...", flush=True)
    seconds = seed_with_history()
    print(f"  done in {seconds:.1f} s", flush=True)
    print(f"\n  textpay demo: open http://127.0.0.1:{port}/  (Ctrl-C to stop)"
          f"\n  dealer portal: http://127.0.0.1:{port}/portal/login"
          f"\n    admin {DEMO_ADMIN[0]} / {DEMO_ADMIN[1]}"
          f"\n    staff {DEMO_STAFF[0]} / {DEMO_STAFF[1]}\n", flush=True)
    run_simple("127.0.0.1", port, app, threaded=True, use_reloader=False)
