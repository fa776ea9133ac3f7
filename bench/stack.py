"""Everything the benchmark runs against, started and stopped by it.

- a scratch database: PostgreSQL when it answers on 127.0.0.1:5432, else SQLite;
- Redis db 12 when it answers (locks, trackers, rate limits shared by workers);
- localstripe on loopback with no per-write pickling (bot/payments/emulator.py),
  so the emulator's own slowness is not what gets measured;
- the recording Twilio fake (receipts and notices the bot texts on its own);
- demo data: one dealer and one borrower per simulated sender, each with a
  test card in localstripe and a large balance, so pay conversations never end;
- textpay: `textpay serve` (gunicorn, WEB_CONCURRENCY workers);
- plain Rasa: `rasa run --enable-api` (REST channel) on the same model, with
  our custom actions behind `rasa run actions --actions bot.dialogue.actions`.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from bot import db
from bot.dealers import create_dealer
from bot.migrate import upgrade
from bot.models import Account, Borrower
from bot.payments import stripe_gateway
from bot.payments.emulator import LocalStripe
from bot.payments.merchant import PLATFORM
from bot.settings import Settings, get_settings, set_settings
from tests.support.processes import VENV_BIN, ChildServer
from tests.support.servers import flush_redis_keys, new_database, postgres_answers, redis_answers
from tests.support.twilio_fake import TwilioFake

DEALER_NUMBER = "+15550100000"
PUBLIC_URL = "https://textpay.bench"
AUTH_TOKEN = "bench-twilio-auth-token"  # noqa: S105 - a loopback benchmark's own token
EMULATOR_KEY = "sk_test_bench"  # localstripe takes any key
BENCH_REDIS = "redis://127.0.0.1:6379/12"
# The benchmark texts from a few numbers as fast as they are answered: lift the
# per-number flood cap so that it is measured (one bucket check) but never trips.
NO_FLOOD_CAP = "1000000"


@dataclass(frozen=True)
class Sender:
    """A simulated borrower: the phone that texts and the conversation id Rasa sees."""

    phone: str
    borrower_id: int


@dataclass
class Stack:
    """The running services and the senders seeded for each server."""

    workdir: Path
    settings: Settings
    env: dict[str, str]
    database_kind: str
    redis_url: str | None
    senders: dict[str, list[Sender]] = field(default_factory=dict)


def model_path() -> Path:
    """The trained model both servers load (TEXTPAY_MODEL overrides, as everywhere)."""
    return get_settings().model_path


def seed_dealer() -> int:
    """The dealer every sender texts (its number is DEALER_NUMBER)."""
    with db.session_scope() as session:
        dealer, _key = create_dealer(session, name="Bench Motors", number=DEALER_NUMBER,
                                     platform_stripe=True)
        return dealer.id


def seed_senders(dealer_id: int, count: int, first: int) -> list[Sender]:
    """`count` borrowers, each owing $1,000,000.00 with Visa 4242 on file."""
    senders = []
    with db.session_scope() as session:
        for index in range(first, first + count):
            phone = f"+1555{2000000 + index:07d}"
            customer = stripe_gateway.ensure_customer(PLATFORM, None, f"Sender {index}",
                                                      f"B-{index}")
            method = stripe_gateway.emulator_card(PLATFORM, "4242424242424242", 12, 2034, "123")
            card = stripe_gateway.attach_card(PLATFORM, customer, method)
            borrower = Borrower(dealer_id=dealer_id, name=f"Sender {index}", phone=phone,
                                language="en")
            session.add(borrower)
            session.flush()
            session.add(Account(
                dealer_id=dealer_id, borrower_id=borrower.id, reference=f"B-{index:05d}",
                balance_cents=100_000_000, amount_due_cents=50_000_000,
                due_date=date.today() + timedelta(days=3), stripe_customer_id=customer,
                stripe_payment_method_id=method, card_brand=card.brand, card_last4=card.last4))
            senders.append(Sender(phone, borrower.id))
    return senders


def _server_env(stack_settings: Settings, stripe_url: str, twilio_url: str) -> dict[str, str]:
    env = {
        "DATABASE_URL": stack_settings.database_url,
        "STRIPE_SECRET_KEY": EMULATOR_KEY, "STRIPE_API_BASE": stripe_url,
        "STRIPE_WEBHOOK_SECRET": "whsec_bench",
        "TWILIO_ACCOUNT_SID": "ACbench", "TWILIO_AUTH_TOKEN": AUTH_TOKEN,
        "TWILIO_API_BASE": twilio_url, "PUBLIC_URL": PUBLIC_URL, "SECRET_KEY": "bench",
        "TEXTPAY_MODEL": str(model_path()), "INBOUND_TEXTS_PER_MINUTE": NO_FLOOD_CAP,
        "OUTBOUND_TEXTS_PER_HOUR": NO_FLOOD_CAP, "LOG_LEVEL": "WARNING",
        "TF_CPP_MIN_LOG_LEVEL": "3", "SQLALCHEMY_SILENCE_UBER_WARNING": "1",
    }
    if stack_settings.redis_url:
        env["REDIS_URL"] = stack_settings.redis_url
    return env


@contextmanager
def _database(resources: ExitStack, workdir: Path) -> Iterator[tuple[str, str]]:
    if postgres_answers():
        yield resources.enter_context(new_database("textpay_bench")), "PostgreSQL"
    else:
        yield f"sqlite:///{workdir / 'bench.db'}", "SQLite"


@contextmanager
def bench_stack(senders_per_server: int) -> Iterator[Stack]:
    """Start the shared services and seed senders for `textpay` and `rasa`."""
    with ExitStack() as resources:
        workdir = Path(resources.enter_context(tempfile.TemporaryDirectory(prefix="bench-")))
        with _database(resources, workdir) as (database_url, kind):
            redis_url = BENCH_REDIS if redis_answers(BENCH_REDIS) else None
            if redis_url:
                flush_redis_keys(redis_url)
                resources.callback(flush_redis_keys, redis_url)
            emulator = resources.enter_context(LocalStripe(log_path=workdir / "stripe.log"))
            twilio = TwilioFake().start()
            resources.callback(twilio.stop)
            settings = get_settings().with_overrides(
                database_url=database_url, redis_url=redis_url,
                stripe_secret_key=EMULATOR_KEY, stripe_api_base=emulator.url)
            set_settings(settings)
            upgrade(database_url)
            stack = Stack(workdir, settings, _server_env(settings, emulator.url, twilio.url),
                          kind, redis_url)
            dealer_id = seed_dealer()
            stack.senders["textpay"] = seed_senders(dealer_id, senders_per_server, 0)
            stack.senders["rasa"] = seed_senders(dealer_id, senders_per_server,
                                                 senders_per_server)
            yield stack


def textpay_server(stack: Stack, workers: int) -> ChildServer:
    """`textpay serve` under gunicorn (not started)."""
    return ChildServer([str(VENV_BIN / "textpay"), "serve", "--port", "{port}"],
                       env={**stack.env, "WEB_CONCURRENCY": str(workers)},
                       log_path=stack.workdir / "textpay.log", ready_path="/readyz")


def action_server(stack: Stack) -> ChildServer:
    """rasa_sdk's action server with our custom actions (not started)."""
    return ChildServer([str(VENV_BIN / "rasa"), "run", "actions", "--actions",
                        "bot.dialogue.actions", "--port", "{port}"],
                       env=stack.env, log_path=stack.workdir / "actions.log", ready_path="/health")


def plain_rasa_server(stack: Stack, actions: ChildServer) -> ChildServer:
    """`rasa run --enable-api` with the REST channel, the same model (not started)."""
    endpoints = stack.workdir / "endpoints.yml"
    endpoints.write_text(f'action_endpoint:\n  url: "{actions.url}/webhook"\n')
    credentials = stack.workdir / "credentials.yml"
    credentials.write_text("rest:\n")
    return ChildServer([str(VENV_BIN / "rasa"), "run", "--enable-api", "--model",
                        str(model_path()), "--endpoints", str(endpoints), "--credentials",
                        str(credentials), "--port", "{port}"],
                       env=stack.env, log_path=stack.workdir / "rasa.log",
                       ready_path="/status")
