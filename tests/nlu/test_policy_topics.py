"""Which payment-policy topic a question is about (bot/nlu/policy_topics.py), and the
policy training data kept apart from every other intent's."""

from __future__ import annotations

import pytest

from bot.nlu.policy_topics import find_policy_topic
from bot.sms_templates.policy import BY_NAME
from tests.nlu.test_training_data import FILES, examples

POLICY_FILES = ("training_data/nlu_policy_en.yml", "training_data/nlu_policy_es.yml")
GENERAL = {"whats your payment policy", "what are the terms of my loan payments",
           "cuál es su política de pagos"}


@pytest.mark.parametrize(("text", "topic"), [
    ("what's the late fee", "late_fee"),
    ("What\u2019s the LATE FEE?", "late_fee"),
    ("how much is the late charge", "late_fee"),
    ("cuánto es el cargo por pago tardío", "late_fee"),
    ("cuanto es el cargo por pago tardio", "late_fee"),
    ("do you report to the credit bureau", "credit_reporting"),
    ("reportan al buró de crédito?", "credit_reporting"),
    ("is there a grace period", "due_and_grace"),
    ("how late can i pay before a fee", "due_and_grace"),
    ("¿hay período de gracia?", "due_and_grace"),
    ("is there a reward for paying on time", "on_time_reward"),
    ("me dan descuento si pago a tiempo", "on_time_reward"),
    ("can i pay with cash", "ways_to_pay"),
    ("aceptan zelle?", "ways_to_pay"),
    ("what are your hours", "hours"),
    ("a qué hora abren", "hours"),
    ("does this loan show on my credit", "credit_reporting"),
    ("ustedes reportan a las agencias de crédito", "credit_reporting"),
    ("what forms of payment do you take", "ways_to_pay"),
    ("can i pay with a credit card", "ways_to_pay"),
    ("puedo pagar con tarjeta de crédito?", "ways_to_pay"),
    ("pay 150", None),
    ("whats your payment policy", None),
])
def test_topic(text: str, topic: str | None) -> None:
    assert find_policy_topic(text) == topic
    assert topic is None or topic in BY_NAME


def test_every_policy_example_names_a_topic_unless_it_asks_in_general() -> None:
    unnamed = [text for path in POLICY_FILES for intent, text, _ in examples(path)
               if find_policy_topic(text) is None and text not in GENERAL]
    assert unnamed == []


def test_policy_examples_are_only_policy_questions() -> None:
    policy = {text.lower(): intent for path in POLICY_FILES for intent, text, _ in examples(path)}
    assert set(policy.values()) == {"ask_policy"}
    elsewhere = {text.lower() for path in FILES for _, text, _ in examples(path)}
    assert sorted(set(policy) & elsewhere) == []
    assert all(len(list(examples(path))) >= 30 for path in POLICY_FILES)
