"""The intent classifiers: the lean one answers exactly as Rasa's own does, and the
n-gram first stage settles only what it is sure of, sparing those texts the embedding."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse
from rasa.nlu.classifiers.logistic_regression_classifier import LogisticRegressionClassifier
from rasa.shared.nlu.training_data.features import Features
from rasa.shared.nlu.training_data.message import Message

from bot.nlu.classifier import (
    SETTLED,
    LeanLogisticRegressionClassifier,
    NgramIntentClassifier,
    is_settled,
)

INTENTS = ["pay", "deny", "greet", "out_of_scope"]


def featurized(text: str, seed: int) -> Message:
    """A message with sequence and sentence features from three featurizers, as in config.yml."""
    rng = np.random.default_rng(seed)
    message = Message(data={"text": text})
    tokens = len(text.split())
    for origin, width in (("words", 7), ("chars", 11)):
        sequence = scipy.sparse.coo_matrix(rng.integers(0, 2, (tokens, width)).astype(float))
        sentence = scipy.sparse.coo_matrix(rng.integers(0, 3, (1, width)).astype(float))
        message.add_features(Features(sequence, "sequence", "text", origin))
        message.add_features(Features(sentence, "sentence", "text", origin))
    dense = rng.normal(size=(1, 5)).astype(np.float32)
    message.add_features(Features(dense, "sentence", "text", "embeddings"))
    flags = scipy.sparse.coo_matrix(np.array([[1.0, 0.0, 1.0]]))
    message.add_features(Features(flags, "sentence", "text", "entities"))
    return message


def test_rows_match_rasas_columns_and_values() -> None:
    messages = [featurized(t, i) for i, t in enumerate(["pay 150 now", "who is this", "hi"])]
    rasa = LogisticRegressionClassifier._create_X(None, messages).toarray()  # type: ignore[arg-type]
    lean = LeanLogisticRegressionClassifier._create_X(None, messages).toarray()  # type: ignore[arg-type]
    assert lean.shape == rasa.shape == (3, 7 + 11 + 3 + 5)
    assert np.allclose(lean, rasa)


def trained(cls: type, storage_dir, **config) -> LogisticRegressionClassifier:
    """A classifier of ``cls`` fitted on forty featurized texts of four intents."""
    from rasa.engine.storage.local_model_storage import LocalModelStorage
    from rasa.engine.storage.resource import Resource

    training = [featurized(f"text {i} " * (1 + i % 3), i) for i in range(40)]
    for i, message in enumerate(training):
        message.set("intent", INTENTS[i % 4])
    storage = LocalModelStorage(storage_dir)
    component = cls({"max_iter": 2000, **config}, "classifier", storage, Resource(cls.__name__))
    component.clf.fit(*component._create_training_matrix(
        type("Data", (), {"intent_examples": training})()))
    return component


def test_probabilities_and_ranking_match_rasas_classifier(tmp_path) -> None:
    rasa = trained(LogisticRegressionClassifier, tmp_path)
    lean = trained(LeanLogisticRegressionClassifier, tmp_path)
    for seed in range(40, 50):
        expected, got = featurized("pay now please", seed), featurized("pay now please", seed)
        rasa.process([expected])
        lean.process([got])
        assert got.get("intent")["name"] == expected.get("intent")["name"]
        assert [r["name"] for r in got.get("intent_ranking")] == [
            r["name"] for r in expected.get("intent_ranking")]
        assert np.allclose([r["confidence"] for r in got.get("intent_ranking")],
                           [r["confidence"] for r in expected.get("intent_ranking")])


def test_the_first_stage_settles_exactly_the_texts_it_is_sure_of(tmp_path) -> None:
    first = trained(NgramIntentClassifier, tmp_path, settle_at=0.6)
    messages = [featurized("pay now please", seed) for seed in range(50, 80)]
    first.process(messages)
    confidences = [m.get("intent")["confidence"] for m in messages]
    assert any(c >= 0.6 for c in confidences) and any(c < 0.6 for c in confidences)
    for message, confidence in zip(messages, confidences, strict=True):
        assert is_settled(message) == (confidence >= 0.6)
    assert all(SETTLED not in m.as_dict(only_output_properties=True) for m in messages)


def test_the_second_stage_keeps_a_settled_intent_and_classifies_the_rest(tmp_path) -> None:
    second = trained(LeanLogisticRegressionClassifier, tmp_path)
    settled, unsure = featurized("pay now please", 1), featurized("pay now please", 2)
    settled.set("intent", {"name": "greet", "confidence": 0.97})
    settled.set(SETTLED, True)
    second.process([settled, unsure])
    assert settled.get("intent") == {"name": "greet", "confidence": 0.97}
    assert unsure.get("intent")["name"] in INTENTS


def test_only_unsettled_texts_pay_for_the_sentence_embedding() -> None:
    from bot.nlu.embeddings import SentenceEmbeddingFeaturizer

    featurizer = SentenceEmbeddingFeaturizer({}, "embeddings")
    settled, unsure = Message(data={"text": "pay 150"}), Message(data={"text": "pay 150"})
    settled.set(SETTLED, True)
    featurizer.process([settled, unsure])
    assert settled.features == []
    assert [f.features.shape for f in unsure.features] == [(1, 512)]


def test_settle_at_must_leave_one_intent_ahead() -> None:
    from rasa.shared.exceptions import InvalidConfigException

    with pytest.raises(InvalidConfigException, match="settle_at"):
        NgramIntentClassifier.validate_config({"settle_at": 0.4})
    NgramIntentClassifier.validate_config({"settle_at": 0.8})
