"""Portal logins hold against guessing and stolen cookies (issue 13, items 4 and 5, and the
lock-out message that told which emails have logins)."""

from __future__ import annotations

import threading

import pytest

from bot import db
from bot.console import users
from bot.console.users import MAX_FAILURES
from bot.dealers import create_dealer
from bot.migrate import upgrade
from bot.models import User
from tests.portal.conftest import ADMIN, STAFF
from tests.portal.support import PASSWORD, add_user, csrf_from, login
from tests.support.servers import postgres_or_skip, scratch_database

NEW_PASSWORD = "a-brand-new-password"


def session_cookie(client) -> str:
    return client.get_cookie("session").value


def copy_of(app, cookie: str):
    """Another browser holding a copy of the same session cookie."""
    thief = app.test_client()
    thief.set_cookie("session", cookie, domain="localhost")
    return thief


def logged_in(client) -> bool:
    return client.get("/portal/queue").status_code == 200


def test_a_copied_cookie_stops_working_after_logout(app, client, portal):
    assert login(client, STAFF).status_code == 302
    thief = copy_of(app, session_cookie(client))
    assert logged_in(thief)
    token = csrf_from(client.get("/portal/queue").get_data(as_text=True))
    assert client.post("/portal/logout", data={"csrf_token": token}).status_code == 302
    assert not logged_in(thief)
    assert not logged_in(client)


def test_a_password_change_ends_every_session(app, client, portal):
    login(client, STAFF)
    thief = copy_of(app, session_cookie(client))
    token = csrf_from(client.get("/portal/password").get_data(as_text=True))
    changed = client.post("/portal/password", data={
        "csrf_token": token, "current_password": PASSWORD, "new_password": NEW_PASSWORD})
    assert changed.status_code == 302
    assert not logged_in(thief) and not logged_in(client)
    assert login(client, STAFF, PASSWORD).status_code == 401
    assert login(client, STAFF, NEW_PASSWORD).status_code == 302


def test_a_wrong_current_password_changes_nothing(client, portal):
    login(client, STAFF)
    token = csrf_from(client.get("/portal/password").get_data(as_text=True))
    refused = client.post("/portal/password", data={
        "csrf_token": token, "current_password": "not it", "new_password": NEW_PASSWORD})
    assert refused.status_code == 400 and logged_in(client)


def test_removing_a_user_ends_their_sessions(app, client, portal):
    login(client, STAFF)
    staff_browser = copy_of(app, session_cookie(client))
    admin = app.test_client()
    login(admin, ADMIN)
    token = csrf_from(admin.get("/portal/users").get_data(as_text=True))
    removed = admin.post(f"/portal/users/{portal.staff_id}/remove", data={"csrf_token": token})
    assert removed.status_code == 302
    assert not logged_in(staff_browser)
    with db.session_scope() as session:
        assert session.get(User, portal.staff_id) is None


def test_the_lock_out_answer_is_the_same_for_an_email_without_a_login(client, portal):
    for _ in range(MAX_FAILURES):
        login(client, STAFF, "guess")
    locked = login(client, STAFF, "guess")
    unknown = login(client, "nobody@sunrise.example", "guess")
    assert locked.status_code == unknown.status_code == 401

    def error(response) -> str:
        page = response.get_data(as_text=True)
        return page[page.index('role="alert"'):].split("</")[0]

    assert error(locked) == error(unknown)
    assert login(client, STAFF).status_code == 401  # still locked, the right password too


class CheckCounter:
    """Counts the checks of one user's real password hash (a spy: the real check runs)."""

    def __init__(self, monkeypatch, password_hash: str) -> None:
        self.count, self._lock, self._hash = 0, threading.Lock(), password_hash
        real = users.check_password_hash

        def counting(stored: str, password: str) -> bool:
            if stored == self._hash:
                with self._lock:
                    self.count += 1
            return real(stored, password)

        monkeypatch.setattr(users, "check_password_hash", counting)


@pytest.mark.postgres
def test_forty_simultaneous_wrong_passwords_check_at_most_five(app, client, settings,
                                                                monkeypatch):
    postgres_or_skip()
    from bot.settings import set_settings

    with scratch_database("textpay_logins") as url:
        set_settings(settings.with_overrides(database_url=url))
        db.configure(url)
        try:
            upgrade(url)
            with db.session_scope() as session:
                dealer, _ = create_dealer(session, name="Sunrise Auto", number="+15550100000")
                dealer_id = dealer.id
            user_id = add_user(dealer_id, STAFF, "staff", "Sam Ortiz")
            with db.session_scope() as session:
                counter = CheckCounter(monkeypatch, session.get(User, user_id).password_hash)
            browsers = [app.test_client() for _ in range(40)]
            tokens = [csrf_from(b.get("/portal/login").get_data(as_text=True)) for b in browsers]
            start = threading.Barrier(40)
            statuses = []

            def guess(browser, token, n):
                start.wait()
                statuses.append(browser.post("/portal/login", data={
                    "email": STAFF, "password": f"guess {n}", "csrf_token": token}).status_code)

            threads = [threading.Thread(target=guess, args=(b, t, n))
                       for n, (b, t) in enumerate(zip(browsers, tokens, strict=True))]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(60)
            assert statuses == [401] * 40
            assert counter.count <= MAX_FAILURES
            with db.session_scope() as session:
                assert session.get(User, user_id).locked_until is not None
        finally:
            set_settings(settings)
            db.configure(settings.database_url)
