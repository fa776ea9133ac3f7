"""Every portal route: logged out -> login; staff -> 403 on admin pages; another dealer's
objects -> 404 (never 403), and nothing of another dealer is shown or changed.

ROUTES classifies every route of the portal blueprint; a new route that is not
classified here fails `test_every_portal_route_is_classified`.
"""

from __future__ import annotations

import pytest

from bot import db
from bot.models import ApiKey, Borrower, Escalation, User
from tests.portal.support import csrf_from, escalate, sign_in, token

STAFF, ADMIN, PUBLIC = "staff", "admin", "public"

# endpoint: (method, path template, who may use it)
ROUTES = {
    "portal.login": ("GET", "/portal/login", PUBLIC),
    "portal.index": ("GET", "/portal/", STAFF),
    "portal.logout": ("POST", "/portal/logout", STAFF),
    "portal.events": ("GET", "/portal/events", STAFF),
    "portal.queue": ("GET", "/portal/queue", STAFF),
    "portal.queue_rows": ("GET", "/portal/queue/rows", STAFF),
    "portal.conversation": ("GET", "/portal/escalations/{escalation_id}", STAFF),
    "portal.conversation_panel": ("GET", "/portal/escalations/{escalation_id}/panel", STAFF),
    "portal.takeover": ("POST", "/portal/escalations/{escalation_id}/takeover", STAFF),
    "portal.reply": ("POST", "/portal/escalations/{escalation_id}/reply", STAFF),
    "portal.handback": ("POST", "/portal/escalations/{escalation_id}/handback", STAFF),
    "portal.transcript": ("GET", "/portal/borrowers/{borrower_id}/transcript", STAFF),
    "portal.segments": ("POST", "/portal/segments", STAFF),
    "portal.calls": ("GET", "/portal/calls", STAFF),
    "portal.call_form": ("GET", "/portal/calls/{account_id}", STAFF),
    "portal.log_call_outcome": ("POST", "/portal/calls/{account_id}", STAFF),
    "portal.accounts": ("GET", "/portal/accounts", STAFF),
    "portal.account": ("GET", "/portal/accounts/{account_id}", STAFF),
    "portal.change_preferences": ("POST", "/portal/accounts/{account_id}/preferences", STAFF),
    "portal.import_accounts": ("GET", "/portal/accounts/import", ADMIN),
    "portal.upload_accounts": ("POST", "/portal/accounts/import", ADMIN),
    "portal.templates": ("GET", "/portal/templates", ADMIN),
    "portal.edit_template": ("GET", "/portal/templates/reminder_due/en", ADMIN),
    "portal.save_edited_template": ("POST", "/portal/templates/reminder_due/en", ADMIN),
    "portal.template_preview": ("POST", "/portal/templates/preview", ADMIN),
    "portal.reset_edited_template": ("POST", "/portal/templates/reminder_due/en/reset", ADMIN),
    "portal.settings": ("GET", "/portal/settings", ADMIN),
    "portal.save_settings": ("POST", "/portal/settings/general", ADMIN),
    "portal.create_api_key": ("POST", "/portal/settings/api-keys", ADMIN),
    "portal.revoke_api_key": ("POST", "/portal/settings/api-keys/{key_id}/revoke", ADMIN),
    "portal.stripe_connect": ("POST", "/portal/settings/stripe/connect", ADMIN),
    "portal.stripe_callback": ("GET", "/portal/settings/stripe/callback", ADMIN),
    "portal.stripe_emulator": ("GET", "/portal/settings/stripe/emulator", ADMIN),
    "portal.stripe_emulator_connect": ("POST", "/portal/settings/stripe/emulator", ADMIN),
    "portal.stripe_disconnect": ("POST", "/portal/settings/stripe/disconnect", ADMIN),
    "portal.dashboard": ("GET", "/portal/dashboard", ADMIN),
    "portal.experiments": ("GET", "/portal/experiments", ADMIN),
    "portal.start_experiment": ("POST", "/portal/experiments", ADMIN),
    "portal.change_experiment_view": ("POST", "/portal/experiments/change", ADMIN),
    "portal.policy": ("GET", "/portal/policy", ADMIN),
    "portal.save_policy": ("POST", "/portal/policy", ADMIN),
    "portal.consent_export": ("GET", "/portal/consent.csv", ADMIN),
    "portal.audit": ("GET", "/portal/audit", ADMIN),
    "portal.users": ("GET", "/portal/users", ADMIN),
    "portal.add_user": ("POST", "/portal/users", ADMIN),
    "portal.remove": ("POST", "/portal/users/{user_id}/remove", ADMIN),
    "portal.password": ("GET", "/portal/password", STAFF),
}
OBJECT_ROUTES = sorted(e for e, (_, path, _) in ROUTES.items() if "{" in path)
PAGES = sorted(e for e, (method, path, who) in ROUTES.items()
               if method == "GET" and who != PUBLIC and e != "portal.events")


def _own_ids(portal) -> dict:
    world = portal.world
    with db.session_scope() as session:
        key_id = session.query(ApiKey.id).filter_by(dealer_id=world.dealer_id).scalar()
    return {"escalation_id": escalate(world.dealer_id, world.borrower_id, world.account_id),
            "borrower_id": world.borrower_id, "account_id": world.account_id, "key_id": key_id,
            "user_id": portal.staff_id}


def _other_ids(portal) -> dict:
    other = portal.other
    with db.session_scope() as session:
        key_id = session.query(ApiKey.id).filter_by(dealer_id=other.dealer_id).scalar()
        user_id = session.query(User.id).filter_by(dealer_id=other.dealer_id).scalar()
    return {"escalation_id": other.escalation_id, "borrower_id": other.borrower_id,
            "account_id": other.account_id, "key_id": key_id, "user_id": user_id}


def _call(client, endpoint: str, ids: dict, **extra):
    method, path, _ = ROUTES[endpoint]
    url = path.format(**ids)
    if method == "GET":
        return client.get(url, buffered=False)
    data = {"csrf_token": token(client), "text": "hello", "outcome": "no_answer", **extra}
    return client.post(url, data=data, headers={"X-CSRFToken": data["csrf_token"]})


def test_every_portal_route_is_classified(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()
                 if rule.endpoint.startswith("portal.")}
    assert endpoints == set(ROUTES)


@pytest.mark.parametrize("endpoint", sorted(e for e in ROUTES if ROUTES[e][2] != PUBLIC))
def test_logged_out_visitors_are_sent_to_the_login_page(client, portal, endpoint):
    method, path, _ = ROUTES[endpoint]
    url = path.format(**_own_ids(portal))
    if method == "GET":
        response = client.get(url)
    else:  # with a valid (anonymous) CSRF token, so it is the login check that refuses
        anonymous = csrf_from(client.get("/portal/login").get_data(as_text=True))
        response = client.post(url, data={"csrf_token": anonymous})
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/portal/login")


@pytest.mark.parametrize("endpoint", sorted(e for e in ROUTES if ROUTES[e][2] == ADMIN))
def test_staff_get_403_on_admin_routes(as_staff, portal, endpoint):
    response = _call(as_staff, endpoint, _own_ids(portal))
    assert response.status_code == 403
    assert "Only a dealer admin" in response.get_data(as_text=True)


@pytest.mark.parametrize("endpoint", PAGES)
def test_admins_see_every_page_and_staff_their_pages(as_admin, portal, endpoint):
    response = _call(as_admin, endpoint, _own_ids(portal))
    assert response.status_code in (200, 302), response.get_data(as_text=True)[:500]


@pytest.mark.parametrize("role", ["admin", "staff"])
@pytest.mark.parametrize("endpoint", OBJECT_ROUTES)
def test_another_dealers_objects_are_404(client, portal, role, endpoint):
    sign_in(client, portal.admin_id if role == "admin" else portal.staff_id)
    if role == "staff" and ROUTES[endpoint][2] == ADMIN:
        pytest.skip("staff are refused before the object is looked up (403)")
    response = _call(client, endpoint, _other_ids(portal))
    assert response.status_code == 404, (endpoint, response.status_code)
    body = response.get_data(as_text=True)
    assert "Olga" not in body and "OT-1" not in body
    with db.session_scope() as session:
        escalation = session.get(Escalation, portal.other.escalation_id)
        assert (escalation.status, escalation.holder_name) == ("open", None)
        assert session.get(Borrower, portal.other.borrower_id).opted_out is False
        assert not session.query(ApiKey).filter_by(dealer_id=portal.other.dealer_id,
                                                   revoked=True).count()
        assert session.query(User).filter_by(dealer_id=portal.other.dealer_id).count() == 1


@pytest.mark.parametrize("endpoint", PAGES)
def test_list_pages_never_show_another_dealer(as_admin, portal, endpoint):
    response = _call(as_admin, endpoint, _own_ids(portal))
    body = response.get_data(as_text=True) if response.status_code == 200 else ""
    for secret in ("Olga Other", "OT-1", "+15551239999", "Other Motors", "not mine"):
        assert secret not in body, (endpoint, secret)

