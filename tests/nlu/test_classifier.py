"""The lean intent classifier builds exactly the rows Rasa's own one builds."""

from __future__ import annotations

import numpy as np
import scipy.sparse
from rasa.nlu.classifiers.logistic_regression_classifier import LogisticRegressionClassifier
from rasa.shared.nlu.training_data.features import Features
from rasa.shared.nlu.training_data.message import Message

from bot.nlu.classifier import LeanLogisticRegressionClassifier


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


def test_probabilities_and_ranking_match_rasas_classifier(tmp_path) -> None:
    from rasa.engine.storage.local_model_storage import LocalModelStorage
    from rasa.engine.storage.resource import Resource

    intents = ["pay", "deny", "greet", "out_of_scope"]
    training = [featurized(f"text {i} " * (1 + i % 3), i) for i in range(40)]
    for i, message in enumerate(training):
        message.set("intent", intents[i % 4])
    storage = LocalModelStorage(tmp_path)

    def trained(cls: type) -> LogisticRegressionClassifier:
        component = cls({"max_iter": 2000}, "classifier", storage, Resource(cls.__name__))
        component.clf.fit(*component._create_training_matrix(
            type("Data", (), {"intent_examples": training})()))
        return component

    rasa, lean = trained(LogisticRegressionClassifier), trained(LeanLogisticRegressionClassifier)
    for seed in range(40, 50):
        expected, got = featurized("pay now please", seed), featurized("pay now please", seed)
        rasa.process([expected])
        lean.process([got])
        assert got.get("intent")["name"] == expected.get("intent")["name"]
        assert [r["name"] for r in got.get("intent_ranking")] == [
            r["name"] for r in expected.get("intent_ranking")]
        assert np.allclose([r["confidence"] for r in got.get("intent_ranking")],
                           [r["confidence"] for r in expected.get("intent_ranking")])
