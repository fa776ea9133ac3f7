"""The Rasa components on messages (no trained model needed)."""

from __future__ import annotations

import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

from rasa.shared.nlu.training_data.message import Message

from bot.nlu import components


def run(text: str) -> Message:
    message = Message(data={"text": text})
    for cls in (components.LanguageDetector, components.AmountExtractor,
                components.CountExtractor, components.DateExtractor):  # fmt: skip
        cls({}).process([message])
    return message


def test_entities_and_language_in_rasa_format() -> None:
    message = run("puedo pagar en 3 partes de 100 el viernes")
    assert message.get("language") == "es"
    assert {"language", "entities"} <= message.output_properties
    entities = sorted(message.get("entities"), key=lambda e: e["start"])
    assert [(e["entity"], e["value"], e["extractor"]) for e in entities] == [
        ("count", 3, "CountExtractor"),
        ("amount", 10000, "AmountExtractor"),
        ("date", "el viernes", "DateExtractor"),
    ]
    assert all(e["confidence_entity"] == 1.0 for e in entities)
    assert message.get("text")[27:30] == "100" and entities[1]["start"] == 27


def test_a_count_or_a_date_is_not_an_amount() -> None:
    entities = run("split it in half on the 15th").get("entities")
    assert sorted(e["entity"] for e in entities) == ["count", "date"]


def test_a_date_inside_a_symbolic_amount_is_not_a_date() -> None:
    entities = run("i want to pay what I owe this month").get("entities")
    assert [(e["entity"], e["value"]) for e in entities] == [("amount", "amount_due")]


def test_no_language_signal() -> None:
    message = run("ok")
    assert message.get("language") is None
    assert message.get("entities") == []


def test_entity_featurizer_flags() -> None:
    message = Message(data={"text": "50 a week starting friday"})
    components.EntityFeaturizer({}).process([message])
    _, sentence = message.get_sparse_features("text")
    assert sentence.features.toarray().tolist() == [[1.0, 0.0, 1.0, 0.0, 1.0]]


def test_an_amount_per_week_is_an_installment() -> None:
    entities = run("pay 25 every week").get("entities")
    assert [(e["entity"], e["value"], e.get("role")) for e in entities] == [
        ("amount", 2500, "installment")]


def test_an_amount_to_pay_now_has_no_role() -> None:
    entities = run("pay 25 now").get("entities")
    assert [(e["value"], e.get("role")) for e in entities] == [(2500, None)]


def test_an_invalid_amount_is_flagged_as_an_amount_not_a_symbol() -> None:
    message = Message(data={"text": "pay -50"})
    components.EntityFeaturizer({}).process([message])
    _, sentence = message.get_sparse_features("text")
    assert sentence.features.toarray().tolist()[0][:2] == [1.0, 0.0]
