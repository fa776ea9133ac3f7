"""Logging in: hashed passwords, secure session cookies, lock-out, CSRF, the CLI."""

from __future__ import annotations

from datetime import timedelta

from click.testing import CliRunner

from bot import db
from bot.cli import main as cli
from bot.clock import utcnow
from bot.console.users import LOCK_MINUTES, MAX_FAILURES
from bot.models import Escalation, User
from tests.portal.conftest import ADMIN, STAFF
from tests.portal.support import PASSWORD, csrf_from, escalate, login, sign_in


def test_login_sets_a_secure_http_only_session_cookie(client, portal):
    response = login(client, STAFF)
    assert response.status_code == 302 and response.headers["Location"] == "/portal/queue"
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert "Secure" in cookie  # PUBLIC_URL is https in the test settings
    assert "Sam Ortiz" in client.get("/portal/queue").get_data(as_text=True)


def test_admins_land_on_the_dashboard(client, portal):
    assert login(client, ADMIN).headers["Location"] == "/portal/dashboard"


def test_passwords_are_stored_hashed(client, portal):
    with db.session_scope() as session:
        stored = session.get(User, portal.staff_id).password_hash
    assert PASSWORD not in stored and stored.startswith("scrypt:")


def test_a_wrong_password_is_refused_without_saying_which_part_was_wrong(client, portal):
    for email in (STAFF, "nobody@sunrise.example"):
        response = login(client, email, "not the password")
        assert response.status_code == 401
        assert "Wrong email or password." in response.get_data(as_text=True)


def test_five_failures_lock_the_login_for_fifteen_minutes(client, portal):
    for _ in range(MAX_FAILURES - 1):
        assert login(client, STAFF, "guess").status_code == 401
    locked = login(client, STAFF, "guess")
    assert f"locked for {LOCK_MINUTES} minutes" in locked.get_data(as_text=True)
    right_password = login(client, STAFF)
    assert right_password.status_code == 401  # still locked, even with the right password
    with db.session_scope() as session:
        user = session.get(User, portal.staff_id)
        user.locked_until = utcnow() - timedelta(seconds=1)  # fifteen minutes have passed
    assert login(client, STAFF).status_code == 302


def test_a_success_resets_the_failure_count(client, portal):
    for _ in range(MAX_FAILURES - 1):
        login(client, STAFF, "guess")
    assert login(client, STAFF).status_code == 302
    with db.session_scope() as session:
        assert session.get(User, portal.staff_id).failed_logins == 0


def test_a_form_without_its_csrf_token_is_refused_and_changes_nothing(client, portal):
    escalation_id = escalate(portal.world.dealer_id, portal.world.borrower_id,
                             portal.world.account_id)
    sign_in(client, portal.staff_id)
    response = client.post(f"/portal/escalations/{escalation_id}/takeover")
    assert response.status_code == 400
    assert "Form expired" in response.get_data(as_text=True)
    forged = client.post(f"/portal/escalations/{escalation_id}/takeover",
                         data={"csrf_token": "forged"})
    assert forged.status_code == 400
    with db.session_scope() as session:
        assert session.get(Escalation, escalation_id).status == "open"
    no_token_login = client.post("/portal/login", data={"email": STAFF, "password": PASSWORD})
    assert no_token_login.status_code == 400


def test_logout_ends_the_session(client, portal):
    sign_in(client, portal.staff_id)
    page = client.get("/portal/queue").get_data(as_text=True)
    assert client.post("/portal/logout", data={"csrf_token": csrf_from(page)}).status_code == 302
    assert client.get("/portal/queue").status_code == 302


def test_login_never_redirects_to_another_site(client, portal):
    token = csrf_from(client.get("/portal/login").get_data(as_text=True))
    response = client.post("/portal/login?next=https://evil.example/portal",
                           data={"email": STAFF, "password": PASSWORD, "csrf_token": token})
    assert response.headers["Location"] == "/portal/queue"


def test_pages_forbid_framing_and_outside_scripts(client, portal):
    sign_in(client, portal.staff_id)
    headers = client.get("/portal/queue").headers
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
    assert "script-src 'self'" in headers["Content-Security-Policy"]
    assert headers["X-Content-Type-Options"] == "nosniff"


def test_create_user_command_prompts_for_the_password(client, portal):
    runner = CliRunner()
    result = runner.invoke(cli, ["create-user", "--dealer", str(portal.world.dealer_id),
                                 "--email", "New@Sunrise.example", "--name", "Nia New",
                                 "--role", "staff"], input="a long password\na long password\n")
    assert result.exit_code == 0, result.output
    assert "staff new@sunrise.example can log in" in result.output
    assert login(client, "new@sunrise.example", "a long password").status_code == 302


def test_create_user_command_refuses_short_passwords_and_duplicates(client, portal):
    runner = CliRunner()
    base = ["create-user", "--dealer", str(portal.world.dealer_id), "--name", "X"]
    short = runner.invoke(cli, [*base, "--email", "x@sunrise.example", "--password", "short"])
    assert short.exit_code != 0 and "at least 10 characters" in short.output
    taken = runner.invoke(cli, [*base, "--email", STAFF, "--password", "long enough pw"])
    assert taken.exit_code != 0 and "already has a login" in taken.output
