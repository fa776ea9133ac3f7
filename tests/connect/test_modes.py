"""Where each dealer's money lands: its connected account; else the deployment's own,
shared with every other dealer that has none (shared platform mode, the default); else,
for a dealer that must connect first, nowhere."""

from __future__ import annotations

import json
import sqlite3

import pytest
from alembic import command
from sqlalchemy.exc import IntegrityError

from bot import db
from bot.audit import entries
from bot.dealers import create_dealer
from bot.migrate import alembic_config
from bot.models import Dealer
from bot.payments import connect
from bot.payments.merchant import PLATFORM, Merchant, NotConnected, for_dealer
from tests.test_cli import run


def test_every_dealer_without_a_connected_account_shares_the_deployments_account(client):
    with db.session_scope() as session:
        first, _ = create_dealer(session, name="Alone Auto", number="+15550100000")
        second, _ = create_dealer(session, name="Second Motors", number="+15550200000")
        third, _ = create_dealer(session, name="Third Cars", number="+15550300000")
        careful, _ = create_dealer(session, name="Connect First", number="+15550400000",
                                   platform_stripe=False)
        session.flush()  # no one-holder rule left in the database either
        assert for_dealer(first) == for_dealer(second) == for_dealer(third) == PLATFORM
        with pytest.raises(NotConnected):
            for_dealer(careful)
        assert str(connect.describe(session, second)) == (
            "the deployment's shared Stripe account (shared platform mode), together with "
            "2 other dealers")
        second.stripe_account_id = "acct_second"
        assert for_dealer(second) == Merchant("acct_second")
        assert str(connect.describe(session, first)).endswith("together with 1 other dealer")


def test_the_database_refuses_one_connected_account_for_two_dealers(client):
    with db.session_scope() as session:
        first, _ = create_dealer(session, name="Alone Auto", number="+15550100000")
        second, _ = create_dealer(session, name="Second Motors", number="+15550200000")
        connect.connect_dealer(session, first, "acct_shared", connect.STRIPE_ITSELF)
        with pytest.raises(connect.ConnectError, match="another dealer"):
            connect.connect_dealer(session, second, "acct_shared", connect.STRIPE_ITSELF)
        second.stripe_account_id = "acct_shared"
        with pytest.raises(IntegrityError):
            session.flush()
        session.rollback()


def test_the_operator_sees_and_changes_where_each_dealers_payments_go(tmp_path):
    database = tmp_path / "cli.db"
    assert run("migrate", database=database).returncode == 0
    alone = run("create-dealer", "--name", "Alone Auto", "--number", "+15550100000",
                database=database)
    assert "Payments:  the deployment's shared Stripe account (shared platform mode; no " \
           "other dealer uses it now)" in alone.stdout
    second = json.loads(run("create-dealer", "--name", "Second", "--number", "+15550200000",
                            "--json", database=database).stdout)["dealer_id"]
    shown = run("stripe-account", "--dealer", str(second), database=database)
    assert shown.returncode == 0, shown.stderr
    assert shown.stdout.splitlines() == [
        f"dealer {second}: payments go to the deployment's shared Stripe account (shared "
        "platform mode), together with 1 other dealer",
        "mode: shared platform (this deployment's own Stripe account; connecting the "
        "dealer's own is recommended)"]

    careful = run("create-dealer", "--name", "Careful", "--number", "+15550300000",
                  "--stripe", "connect", database=database)
    assert "Payments:  no Stripe account yet" in careful.stdout

    required = run("stripe-account", "--dealer", str(second), "--require-connect",
                   database=database)
    assert "mode: must connect first" in required.stdout
    connected = run("stripe-account", "--dealer", str(second), "--connect",
                    "acct_1SecondMotors", database=database)
    assert connected.returncode == 0, connected.stderr
    assert "the connected Stripe account acct_1SecondMotors" in connected.stdout
    assert "mode: connected" in connected.stdout
    with sqlite3.connect(database) as connection:
        assert connection.execute(
            "select actor, action, details from audit_log order by id").fetchall() == [
            ("cli", "stripe_connect_required", None),
            ("cli", "stripe_connected", "acct_1SecondMotors")]


DEALER_ROW = (
    "insert into dealers (id, name, timezone, currency, country, minimum_payment_cents, "
    "collector_mode, plan_max_installments, plan_min_installment_cents, plan_max_days, "
    "plan_frequencies, promise_max_days, already_paid_pause_days, send_time, quiet_start, "
    "quiet_end, reminder_cap_per_week, messages_per_second, business_hours, "
    "response_target_minutes, quick_replies, survey_enabled, created_at, updated_at) "
    "values (?, ?, 'America/New_York', 'USD', 'US', 1000, 'first_party', 4, 2500, 60, "
    "'weekly', 14, 5, '10:00', '21:00', '08:00', 3, 1.0, 'Mon-Fri 09:00-18:00', 60, '[]', "
    "0, '2026-01-01', '2026-01-01')")


def _old_database(tmp_path, revision: str, dealers: int) -> tuple[str, object]:
    path = tmp_path / "old.db"
    url = f"sqlite:///{path}"
    command.upgrade(alembic_config(url), revision)
    with sqlite3.connect(path) as connection:
        for number in range(1, dealers + 1):
            connection.execute(DEALER_ROW, (number, f"Dealer {number}"))
    return url, path


def _holders(path) -> list[int]:
    with sqlite3.connect(path) as connection:
        return [row[0] for row in connection.execute(
            "select id from dealers where uses_platform_stripe order by id")]


@pytest.mark.parametrize("dealers", [1, 2])
def test_upgrading_from_before_connect_lets_every_dealer_share_as_before(tmp_path, dealers):
    url, path = _old_database(tmp_path, "0005_refunds_disputes", dealers)
    command.upgrade(alembic_config(url), "head")
    assert _holders(path) == list(range(1, dealers + 1))


def test_upgrading_a_database_migrated_with_0006_drops_the_one_holder_rule(tmp_path):
    """Dealer 1 held the deployment's account, 2 had none, 3 is connected. Dealers 1 and
    2 both hold cus_shared (as any two could before 0006); 1's account is the older."""
    url, path = _old_database(tmp_path, "0005_refunds_disputes", 3)
    with sqlite3.connect(path) as connection:
        for number, (dealer, customer) in enumerate(
                [(1, "cus_shared"), (2, "cus_shared"), (2, "cus_two"), (3, "cus_three")], 1):
            connection.execute(
                "insert into borrowers (id, created_at, updated_at, dealer_id, name, phone, "
                "language, opted_out, wrong_number, invalid_number) values "
                "(?, '2026-01-01', '2026-01-01', ?, 'B', ?, 'en', 0, 0, 0)",
                (number, dealer, f"+1555123000{number}"))
            connection.execute(
                "insert into accounts (id, created_at, updated_at, dealer_id, borrower_id, "
                "reference, balance_cents, amount_due_cents, stripe_customer_id) values "
                "(?, '2026-01-01', '2026-01-01', ?, ?, ?, 100, 0, ?)",
                (number, dealer, number, f"LN-{number}", customer))
    command.upgrade(alembic_config(url), "0006_stripe_connect")
    with sqlite3.connect(path) as connection:
        connection.execute("update dealers set uses_platform_stripe = 1 where id = 1")
        connection.execute("update dealers set stripe_account_id = 'acct_3' where id = 3")

    command.upgrade(alembic_config(url), "head")
    assert _holders(path) == [1, 2, 3]  # 3's own account comes first while connected
    with sqlite3.connect(path) as connection:
        # Altering `dealers` on SQLite must not cascade into its accounts and borrowers.
        assert connection.execute("select count(*) from accounts").fetchone() == (4,)
        assert connection.execute(
            "select stripe_customer_id, dealer_id from platform_customers "
            "order by stripe_customer_id").fetchall() == [("cus_shared", 1), ("cus_two", 2)]
        assert connection.execute("pragma foreign_key_check").fetchall() == []


def test_sharing_and_requiring_a_connection_are_audited(client):
    with db.session_scope() as session:
        first, _ = create_dealer(session, name="Alone Auto", number="+15550100000")
        connect.require_connected_account(session, first, connect.STRIPE_ITSELF)
        connect.require_connected_account(session, first, connect.STRIPE_ITSELF)
        assert connect.describe(session, first).mode == "not_connected"
        connect.share_platform_account(session, first, connect.STRIPE_ITSELF)
        session.flush()
        assert [e.action for e in entries(session, first.id)] == [
            "stripe_platform_shared", "stripe_connect_required"]
        assert for_dealer(first) == PLATFORM
        assert session.get(Dealer, first.id).uses_platform_stripe
