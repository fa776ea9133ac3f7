"""Payment policy questions through the signed webhook and the real model, EN and ES:
the dealer's own answer, word for word; plainly none (and a person offered) where the
dealer wrote nothing; nothing in the account changes either way."""

from __future__ import annotations

import pytest

from bot import db
from bot.models import Dealer, Escalation, Payment, PaymentClaim
from bot.sms_templates.policy import save_answers
from tests.conversations.helpers import rows

LATE_FEE_EN = "A $25 late fee is added when a payment is more than 5 days late."
LATE_FEE_ES = "Se cobra un cargo de $25 si el pago llega con más de 5 días de atraso."
GRACE_EN = "Payments are due on the 1st, and you have 5 days of grace."
CREDIT_EN = "Yes: we report every payment to Experian and Equifax each month."
CREDIT_ES = "Sí: reportamos cada pago a Experian y Equifax cada mes."
REWARD_EN = "Pay on time 6 months in a row and we take $50 off your next payment."


def write_policy(dealer_id: int, **answers: str) -> None:
    """Answers as the dealer writes them in settings: late_fee_en="...", ..."""
    with db.session_scope() as session:
        save_answers(session, session.get(Dealer, dealer_id),
                     {tuple(key.rsplit("_", 1)): text for key, text in answers.items()})


@pytest.fixture
def policy_world(world):
    write_policy(world.dealer_id, late_fee_en=LATE_FEE_EN, late_fee_es=LATE_FEE_ES,
                 due_and_grace_en=GRACE_EN, credit_reporting_en=CREDIT_EN,
                 credit_reporting_es=CREDIT_ES)
    return world


@pytest.mark.parametrize(("question", "answer"), [
    ("what's the late fee", LATE_FEE_EN),
    ("how much do you charge if I pay late?", LATE_FEE_EN),
    ("do you report to the credit bureau", CREDIT_EN),
    ("will paying on time help my credit score", CREDIT_EN),
    ("is there a grace period", GRACE_EN),
    ("how many days do i have after the due date before a late fee", GRACE_EN),
])
def test_english_questions_get_the_dealers_own_words(policy_world, question, answer):
    assert policy_world.phone.text(question) == [answer]


@pytest.mark.parametrize(("question", "answer"), [
    ("cuánto es el cargo por pago tardío", LATE_FEE_ES),
    ("cuanto cobran si pago tarde?", LATE_FEE_ES),
    ("ustedes reportan al buró de crédito?", CREDIT_ES),
])
def test_spanish_questions_get_the_dealers_spanish_words(make_world, question, answer):
    world = make_world(language="es")
    write_policy(world.dealer_id, late_fee_en=LATE_FEE_EN, late_fee_es=LATE_FEE_ES,
                 credit_reporting_es=CREDIT_ES)
    assert world.phone.text(question) == [answer]


def test_a_topic_the_dealer_left_empty_is_said_plainly_with_a_person_offered(policy_world):
    reply = policy_world.phone.say("is there a reward for paying on time?")
    assert "Sunrise Auto hasn't given me an answer about a reward for paying on time" in reply
    assert "Reply AGENT" in reply
    assert "$" not in reply  # no made-up policy
    # Offered, not forced: nobody is pulled in until the borrower asks.
    assert rows(Escalation) == []
    assert "person" in policy_world.phone.say("agent")
    assert [e.reason for e in rows(Escalation)] == ["human"]


def test_in_spanish_too_when_only_english_was_written(make_world):
    world = make_world(language="es")
    write_policy(world.dealer_id, due_and_grace_en=GRACE_EN)
    reply = world.phone.say("hay período de gracia?")
    assert "no me ha dado una respuesta sobre la fecha de pago y el periodo de gracia" in reply
    assert "AGENTE" in reply and GRACE_EN not in reply


def test_a_general_policy_question_lists_what_can_be_asked(policy_world):
    reply = policy_world.phone.say("what's your payment policy?")
    assert "the due date and grace period, the late fee and credit reporting" in reply


def test_a_dealer_with_no_policy_at_all_offers_a_person(world):
    reply = world.phone.say("what's the late fee")
    assert "hasn't given me an answer about the late fee" in reply


def test_a_policy_question_changes_nothing_and_keeps_the_open_payment_question(policy_world):
    assert "Reply YES" in policy_world.phone.say("pay 100")
    reply = policy_world.phone.text("whats the late fee")
    assert reply[0] == LATE_FEE_EN
    assert "YES" in reply[-1]  # the payment question still waits for its answer
    [payment] = rows(Payment)
    assert payment.status == "pending"
    assert "TP" in policy_world.phone.say("yes")


def test_a_policy_question_is_not_taken_as_the_answer_to_an_open_question(policy_world):
    assert "When did you pay" in policy_world.phone.say("I already paid")
    assert policy_world.phone.text("what's the late fee") == [LATE_FEE_EN]
    assert rows(PaymentClaim) == []  # not recorded as "when and how I paid"
    assert "paused reminders" in policy_world.phone.say("yesterday at the lot, cash")


def test_the_welcome_text_can_carry_the_on_time_reward(client, shop_world):
    shop_world.write(on_time_reward_en=REWARD_EN)
    welcome = shop_world.welcome_text()
    assert REWARD_EN in welcome and "Reply STOP to opt out." in welcome


@pytest.fixture
def shop_world(client, make_world, twilio_fake, daytime):
    """A dealer whose new account gets its welcome text through the API."""

    class ShopWorld:
        def __init__(self) -> None:
            self.world = make_world(card=None)

        def write(self, **answers: str) -> None:
            write_policy(self.world.dealer_id, **answers)

        def welcome_text(self) -> str:
            response = client.post("/api/v1/accounts", headers={
                "Authorization": f"Bearer {self.world.api_key}"}, json={
                "reference": "LN-9001", "balance_cents": 100000,
                "borrower": {"name": "Wes Welcome", "phone": "+12125550199"}})
            assert response.status_code == 201, response.json
            [body] = twilio_fake.bodies_to("+12125550199")
            return body

    return ShopWorld()
