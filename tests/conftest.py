"""Shared fixtures: the real trained model (loaded once), localstripe on
loopback, a recording Twilio fake, and a fresh database for every test."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import pytest
import stripe

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("SQLALCHEMY_SILENCE_UBER_WARNING", "1")

from bot import db
from bot.clock import parse_instant
from bot.dealers import create_dealer
from bot.migrate import upgrade
from bot.models import Account, Base, Borrower, Dealer
from bot.payments import stripe_gateway
from bot.payments.emulator import LocalStripe
from bot.payments.merchant import PLATFORM, Merchant
from bot.settings import DEFAULT_MODEL_PATH, Settings, set_settings
from tests.support import clock as test_clock
from tests.support.sms import AUTH_TOKEN, DEALER_NUMBER, PUBLIC_URL, Phone
from tests.support.twilio_fake import TwilioFake

IN_CI = os.environ.get("CI", "").lower() == "true"
MODEL_PATH = Path(os.environ.get("TEXTPAY_MODEL") or DEFAULT_MODEL_PATH)


# Fixtures shared by the browser tests (`base_url`).
pytest_plugins = ["tests.support.browser"]


def pytest_addoption(parser: pytest.Parser) -> None:
    """`--now ISO`: run every test as if the product's clock read that instant."""
    parser.addoption("--now", metavar="ISO", default=None,
                     help="pin the product's clock (bot/clock.py) to this instant at the "
                          "start of every test, e.g. 2027-11-07T06:30:00Z")


def pytest_configure(config: pytest.Config) -> None:
    """Refuse to start without the trained model (make test trains it first)."""
    now = config.getoption("--now")
    try:
        test_clock.start_session(parse_instant(now) if now else None)
    except ValueError as error:
        raise pytest.UsageError(f"--now: {error}") from None
    if not MODEL_PATH.exists():
        pytest.exit(f"no trained model at {MODEL_PATH}: run `make test` "
                    "(or `make install`) so the model is trained first", returncode=4)


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Tests marked `dates` run at the session's instant and at every adversarial one."""
    if metafunc.definition.get_closest_marker("dates") is None:
        return
    instants = [None, *test_clock.ADVERSARIAL_INSTANTS]
    metafunc.fixturenames.append("instant")
    metafunc.parametrize("instant", instants, indirect=True,
                         ids=["now", *(i[:16].replace(":", "") for i in instants[1:])])


@pytest.fixture
def instant(request: pytest.FixtureRequest) -> str | None:
    """The instant a `dates` test runs at (None: the session's)."""
    return getattr(request, "param", None)


@pytest.fixture(autouse=True)
def clock(request: pytest.FixtureRequest) -> Iterator[test_clock.PinnedClock]:
    """The product's clock, pinned for this test (see tests/support/clock.py)."""
    chosen = (request.getfixturevalue("instant") if "instant" in request.fixturenames
              else None) or request.config.getoption("--now")
    pinned = test_clock.start(parse_instant(chosen) if chosen else None)
    yield pinned
    test_clock.stop()


@pytest.fixture(scope="session")
def localstripe() -> Iterator[LocalStripe]:
    """The Stripe emulator on 127.0.0.1, in memory."""
    with LocalStripe() as emulator:
        yield emulator


@pytest.fixture(scope="session")
def twilio_fake() -> Iterator[TwilioFake]:
    """The recording fake of Twilio's Messages endpoint."""
    fake = TwilioFake().start()
    yield fake
    fake.stop()


@pytest.fixture(scope="session")
def settings(tmp_path_factory: pytest.TempPathFactory, localstripe: LocalStripe,
             twilio_fake: TwilioFake) -> Settings:
    """Test configuration: a SQLite file, the emulator, the fake, the real model."""
    path = tmp_path_factory.mktemp("db") / "textpay.db"
    return Settings(
        database_url=f"sqlite:///{path}",
        stripe_secret_key="sk_test_textpay",
        stripe_api_base=localstripe.url,
        stripe_webhook_secret="whsec_test",
        twilio_account_sid="ACtest",
        twilio_auth_token=AUTH_TOKEN,
        twilio_api_base=twilio_fake.url,
        public_url=PUBLIC_URL,
        secret_key="test-secret-key",
        model_path=MODEL_PATH,
    )


@pytest.fixture(scope="session")
def app(settings: Settings):
    """The Flask app with the trained Rasa agent loaded (once per test run)."""
    from bot.web import create_app

    upgrade(settings.database_url)
    return create_app(settings)


@pytest.fixture
def daytime(clock: test_clock.PinnedClock) -> None:
    """For tests whose subject needs texting hours (a staff reply, a notice): let the
    clock run on to the next noon in New York, where the test borrowers live."""
    clock.move_to_local_hour(12)


def _empty_all_tables() -> None:
    with db.engine().begin() as connection:
        for table in reversed(Base.metadata.sorted_tables):
            connection.execute(table.delete())


@pytest.fixture
def client(app, settings: Settings, localstripe: LocalStripe,
           twilio_fake: TwilioFake):
    """A test client on an empty database, emulator, fake and tracker store."""
    from bot.dialogue.agent import loaded_runner
    from bot.messaging import number_limits

    set_settings(settings)
    db.configure(settings.database_url)
    _empty_all_tables()
    localstripe.reset()
    twilio_fake.reset()
    loaded_runner().forget()
    number_limits.reset()
    return app.test_client()


@dataclass
class World:
    """A dealer with one borrower and one account, the card on file in the emulator."""

    dealer_id: int
    api_key: str
    borrower_id: int
    account_id: int
    phone: Phone

    def account(self) -> Account:
        """The account as it is in the database now."""
        with db.session_scope() as session:
            account = session.get(Account, self.account_id)
            session.expunge(account)
            return account


def card_in_emulator(number: str, name: str = "Dana Reyes",
                     merchant: Merchant = PLATFORM) -> tuple[str, str]:
    """A customer with a test card attached, in `merchant`'s Stripe account (default: the
    deployment's own): (customer id, payment method id)."""
    customer = stripe_gateway.ensure_customer(merchant, None, name, "test")
    method = stripe_gateway.emulator_card(merchant, number, 12, 2034, "123")
    stripe_gateway.attach_card(merchant, customer, method)
    return customer, method


@pytest.fixture
def make_world(client, clock):
    """Factory: a dealer, borrower and account; `card=None` means no card on file."""

    def build(*, card: str | None = "4242424242424242", balance_cents: int = 120000,
              amount_due_cents: int = 25000, language: str = "en",
              phone: str = "+15551230001", minimum_payment_cents: int = 1000) -> World:
        with db.session_scope() as session:
            dealer = session.query(Dealer).first()
            if dealer is None:
                dealer, key = create_dealer(session, name="Sunrise Auto", number=DEALER_NUMBER,
                                            contact_phone="+15550100001")
            else:
                key = ""
            dealer.minimum_payment_cents = minimum_payment_cents
            customer, method = card_in_emulator(card) if card else (None, None)
            borrower = Borrower(dealer_id=dealer.id, name="Dana Reyes", phone=phone,
                                language=language)
            session.add(borrower)
            session.flush()
            account = Account(
                dealer_id=dealer.id, borrower_id=borrower.id, reference=f"LN-{borrower.id:04d}",
                balance_cents=balance_cents, amount_due_cents=amount_due_cents,
                due_date=clock.today() + timedelta(days=3), stripe_customer_id=customer,
                stripe_payment_method_id=method, card_brand="Visa" if card else None,
                card_last4=card[-4:] if card else None,
            )
            session.add(account)
            session.flush()
            return World(dealer.id, key, borrower.id, account.id, Phone(client, phone))

    return build


@pytest.fixture
def world(make_world) -> World:
    """The default world: Dana owes $1,200.00, $250.00 due, Visa 4242 on file."""
    return make_world()


def payment_intents() -> list:
    """Every PaymentIntent in the emulator."""
    return list(PLATFORM.client().v1.payment_intents.list(params={"limit": 100}).data)


@pytest.fixture
def stripe_intents():
    """Callable returning the emulator's PaymentIntents (to assert what was charged)."""
    return payment_intents


__all__ = ["IN_CI", "World", "card_in_emulator", "payment_intents", "stripe"]
