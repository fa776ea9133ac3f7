"""Single-account mode: the deployment's own Stripe account belongs to one dealer at most
(the first, or the one the operator names); every other dealer connects its own."""

from __future__ import annotations

import json
import sqlite3

import pytest
from alembic import command
from sqlalchemy.exc import IntegrityError

from bot import db
from bot.audit import entries
from bot.dealers import DealerError, create_dealer
from bot.migrate import alembic_config
from bot.models import Dealer
from bot.payments import connect
from bot.payments.merchant import PLATFORM, Merchant, NotConnected, for_dealer
from tests.test_cli import run


def test_the_first_dealer_holds_the_deployments_account_and_later_ones_connect(client):
    with db.session_scope() as session:
        first, _ = create_dealer(session, name="Alone Auto", number="+15550100000")
        second, _ = create_dealer(session, name="Second Motors", number="+15550200000")
        assert for_dealer(first) == PLATFORM
        with pytest.raises(NotConnected):
            for_dealer(second)
        with pytest.raises(DealerError, match="already uses"):
            create_dealer(session, name="Third", number="+15550300000", platform_stripe=True)
        second.stripe_account_id = "acct_second"
        assert for_dealer(second) == Merchant("acct_second")


def test_the_database_refuses_two_dealers_on_one_stripe_account(client):
    with db.session_scope() as session:
        create_dealer(session, name="Alone Auto", number="+15550100000")
        create_dealer(session, name="Second Motors", number="+15550200000")
    with db.session_scope() as session:
        first, second = session.query(Dealer).order_by(Dealer.id).all()
        second.uses_platform_stripe = True
        with pytest.raises(IntegrityError):
            session.flush()
        session.rollback()
        first, second = session.query(Dealer).order_by(Dealer.id).all()
        connect.connect_dealer(session, first, "acct_shared",
                               connect.STRIPE_ITSELF)
        with pytest.raises(connect.ConnectError, match="another dealer"):
            connect.connect_dealer(session, second, "acct_shared", connect.STRIPE_ITSELF)
        second.stripe_account_id = "acct_shared"
        with pytest.raises(IntegrityError):
            session.flush()
        session.rollback()


def test_the_operator_says_where_each_dealers_payments_go(tmp_path):
    database = tmp_path / "cli.db"
    assert run("migrate", database=database).returncode == 0
    alone = run("create-dealer", "--name", "Alone Auto", "--number", "+15550100000",
                database=database)
    assert "deployment's own Stripe account" in alone.stdout
    second = json.loads(run("create-dealer", "--name", "Second", "--number", "+15550200000",
                            "--json", database=database).stdout)
    shown = run("stripe-account", "--dealer", str(second["dealer_id"]), database=database)
    assert "no Stripe account" in shown.stdout

    taken = run("stripe-account", "--dealer", str(second["dealer_id"]), "--hold-platform",
                database=database)
    assert taken.returncode != 0 and "already uses" in taken.stderr
    connected = run("stripe-account", "--dealer", str(second["dealer_id"]), "--connect",
                    "acct_1SecondMotors", database=database)
    assert connected.returncode == 0, connected.stderr
    assert "the connected Stripe account acct_1SecondMotors" in connected.stdout
    with sqlite3.connect(database) as connection:
        assert connection.execute(
            "select actor, action, details from audit_log").fetchall() == [
            ("cli", "stripe_connected", "acct_1SecondMotors")]


@pytest.mark.parametrize(("dealers", "holders"), [(1, [1]), (2, [])])
def test_upgrading_keeps_a_lone_dealer_working_and_makes_several_choose(tmp_path, dealers,
                                                                        holders):
    """Until now every dealer shared the deployment's account: with several, nobody keeps
    it until the operator says who (`textpay stripe-account --hold-platform`)."""
    url = f"sqlite:///{tmp_path / 'old.db'}"
    command.upgrade(alembic_config(url), "0005_refunds_disputes")
    with sqlite3.connect(tmp_path / "old.db") as connection:
        for number in range(1, dealers + 1):
            connection.execute(
                "insert into dealers (id, name, timezone, currency, country, "
                "minimum_payment_cents, collector_mode, plan_max_installments, "
                "plan_min_installment_cents, plan_max_days, plan_frequencies, "
                "promise_max_days, already_paid_pause_days, send_time, quiet_start, "
                "quiet_end, reminder_cap_per_week, messages_per_second, business_hours, "
                "response_target_minutes, quick_replies, survey_enabled, created_at, "
                "updated_at) values (?, ?, 'America/New_York', 'USD', 'US', 1000, "
                "'first_party', 4, 2500, 60, 'weekly', 14, 5, '10:00', '21:00', '08:00', 3, "
                "1.0, 'Mon-Fri 09:00-18:00', 60, '[]', 0, '2026-01-01', '2026-01-01')",
                (number, f"Dealer {number}"))
    command.upgrade(alembic_config(url), "head")
    with sqlite3.connect(tmp_path / "old.db") as connection:
        assert [row[0] for row in connection.execute(
            "select id from dealers where uses_platform_stripe order by id")] == holders


def test_holding_and_releasing_the_deployments_account_is_audited(client):
    with db.session_scope() as session:
        first, _ = create_dealer(session, name="Alone Auto", number="+15550100000")
        second, _ = create_dealer(session, name="Second Motors", number="+15550200000")
        connect.release_platform_account(session, first, connect.STRIPE_ITSELF)
        connect.hold_platform_account(session, second, connect.STRIPE_ITSELF)
        session.flush()
        assert [e.action for e in entries(session, first.id)] == ["stripe_platform_released"]
        assert [e.action for e in entries(session, second.id)] == ["stripe_platform_held"]
        assert for_dealer(second) == PLATFORM
