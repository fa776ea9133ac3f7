"""The dealer's pages for collecting more: experiments, the team that answers escalations,
the payment policy in the dealer's words."""

from __future__ import annotations

from bot import db
from bot.audit import entries
from bot.models import Dealer, Experiment, PolicyAnswer
from tests.portal.support import token

FRIENDLY = "Hi {{ first_name }}! {{ amount_due }} is due today. Reply PAY. Reply STOP to opt out."
PLAIN = "{{ amount_due }} due today. Reply PAY. Reply STOP to opt out."


def _post(client, path: str, data: dict):
    return client.post(path, data={"csrf_token": token(client), **data})


def test_starting_switching_and_stopping_an_experiment(as_admin, portal):
    form = {"name": "Plain or friendly", "kind": "reminder_due", "allocation": "thompson",
            "min_share_percent": "10", "label": ["Plain", "Friendly", "", "", ""],
            "body_en": [PLAIN, FRIENDLY, "", "", ""], "body_es": ["", "", "", "", ""]}
    assert _post(as_admin, "/portal/experiments", form).status_code == 302
    page = as_admin.get("/portal/experiments").get_data(as_text=True)
    assert "Plain or friendly" in page and "Switch to an equal split" in page
    with db.session_scope() as session:
        experiment = session.query(Experiment).one()
        experiment_id = experiment.id
        assert [v.label for v in experiment.variants] == ["Plain", "Friendly"]
        assert experiment.min_share == 0.1
    _post(as_admin, "/portal/experiments/change", {"experiment_id": experiment_id,
                                                   "action": "equal"})
    _post(as_admin, "/portal/experiments/change", {"experiment_id": experiment_id,
                                                   "action": "stop"})
    with db.session_scope() as session:
        experiment = session.get(Experiment, experiment_id)
        assert (experiment.allocation, experiment.status) == ("equal", "stopped")
        actions = [e.action for e in entries(session, portal.world.dealer_id)]
        assert actions[:3] == ["experiment_changed", "experiment_changed", "experiment_started"]


def test_a_wording_that_fails_the_checks_is_refused_with_the_reason(as_admin, portal):
    form = {"kind": "reminder_due", "label": ["A", "B"],
            "body_en": [PLAIN, "{{ amount_due }} due today, pay at bit.ly/pay"],
            "body_es": ["", ""]}
    response = _post(as_admin, "/portal/experiments", form)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "variant B (en)" in page and "no opt-out instruction" in page
    assert "link shortener bit.ly" in page
    assert "bit.ly/pay" in page  # what was typed is kept for fixing


def test_another_dealers_experiment_cannot_be_changed(as_admin, portal):
    with db.session_scope() as session:
        other = Experiment(dealer_id=portal.other.dealer_id, kind="reminder_due", name="x",
                           allocation="thompson", min_share=0.1, status="running")
        session.add(other)
        session.flush()
        other_id = other.id
    response = _post(as_admin, "/portal/experiments/change", {"experiment_id": other_id,
                                                              "action": "stop"})
    assert response.status_code == 404
    with db.session_scope() as session:
        assert session.get(Experiment, other_id).status == "running"


def test_the_team_that_answers_escalations_paces_reminder_waves(as_admin, portal):
    page = as_admin.get("/portal/settings").get_data(as_text=True)
    assert "People answering escalations" in page
    saved = _post(as_admin, "/portal/settings/team", {"escalation_staff": "3",
                                                      "escalations_per_staff_hour": "5"})
    assert saved.status_code == 302
    wrong = _post(as_admin, "/portal/settings/team", {"escalation_staff": "3",
                                                      "escalations_per_staff_hour": "0"})
    assert wrong.status_code == 400 and "from 1 to 60" in wrong.get_data(as_text=True)
    off = _post(as_admin, "/portal/settings/team", {"escalation_staff": "0",
                                                    "escalations_per_staff_hour": "5"})
    assert off.status_code == 302
    with db.session_scope() as session:
        dealer = session.get(Dealer, portal.world.dealer_id)
        assert (dealer.escalation_staff, dealer.escalations_per_staff_hour) == (None, 5)
        changes = [e.details for e in entries(session, dealer.id, action="settings_changed")]
        assert "escalation_staff: None -> 3" in changes[-1]


def test_the_payment_policy_is_written_in_the_dealers_words(as_admin, portal):
    fee = "A $25 late fee after 5 days."
    saved = _post(as_admin, "/portal/policy", {"late_fee_en": fee,
                                               "late_fee_es": "Cargo de $25 después de 5 días.",
                                               "hours_en": "  Mon-Fri   9-6 "})
    assert saved.status_code == 302
    page = as_admin.get("/portal/policy").get_data(as_text=True)
    assert fee in page and "Mon-Fri 9-6" in page
    too_long = _post(as_admin, "/portal/policy", {"late_fee_en": "x" * 400})
    assert too_long.status_code == 400
    assert "keep it to 306 characters" in too_long.get_data(as_text=True)
    cleared = _post(as_admin, "/portal/policy", {"late_fee_en": "", "late_fee_es": "",
                                                 "hours_en": "Mon-Fri 9-6"})
    assert cleared.status_code == 302
    with db.session_scope() as session:
        answers = {(a.topic, a.language): a.answer for a in session.query(PolicyAnswer)}
        assert answers == {("hours", "en"): "Mon-Fri 9-6"}
        assert entries(session, portal.world.dealer_id, action="policy_changed")
