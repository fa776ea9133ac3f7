"""The intent classifiers: Rasa's logistic regression, lean, in two stages.

Two stages (config.yml), because the sentence embedding is most of a parse:

1. ``NgramIntentClassifier`` runs before the embedding, on the n-gram and
   entity features alone. A text it is at least ``settle_at`` sure of is
   settled: the embedding and the second stage skip it. On the held-out and
   independent sets (``make nlu-eval``) that is about 7 texts in 10, and at
   0.8 the settled texts were as often right as the full model's answers for
   them, with none of them an unrelated text put on a state-changing intent.
2. ``LeanLogisticRegressionClassifier`` classifies the rest with the n-grams
   *and* the embedding, which is what generalises to words we never wrote.

Both train on every example; only prediction is gated.

``LeanLogisticRegressionClassifier`` is Rasa 3.6's
``LogisticRegressionClassifier``: same model, same training, same saved file,
same probabilities. Two things were slow for one SMS at a time (measured
here, together more than the classification itself):

- Rasa's version asks the message for *all* its sparse features, which also
  stacks and deep-copies every token's sequence features, only to use the
  sentence features. This one stacks the sentence features alone, in the same
  order (sparse featurizers first, then dense ones, each in pipeline order).
- scikit-learn's ``predict_proba`` validates its input and calls BLAS for a
  single row. With more than two intents the model is multinomial, so the
  probabilities are the softmax of ``row @ coef.T + intercept``: computed here
  directly, block by block of features (``row_times``), without building the
  row or calling BLAS.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.classifiers.logistic_regression_classifier import LogisticRegressionClassifier
from rasa.shared.exceptions import InvalidConfigException
from rasa.shared.nlu.constants import FEATURE_TYPE_SENTENCE, INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.utils.tensorflow.constants import RANKING_LENGTH
from scipy.sparse import csr_matrix, hstack, issparse, vstack

# Set on a message the first stage is sure of; not part of the parse result.
SETTLED = "intent_settled_by_ngrams"


def is_settled(message: Message) -> bool:
    """Whether the first stage already gave this message its intent."""
    return bool(message.get(SETTLED))


def sentence_blocks(message: Message) -> list[Any]:
    """One message's sentence features in column order: sparse ones, then dense ones."""
    sentence = [f for f in message.features
                if f.attribute == TEXT and f.type == FEATURE_TYPE_SENTENCE]
    return ([f.features for f in sentence if f.is_sparse()]
            + [f.features for f in sentence if f.is_dense()])


def sentence_row(message: Message) -> csr_matrix:
    """One message's sentence features side by side, as one sparse row."""
    return hstack([csr_matrix(block) for block in sentence_blocks(message)], format="csr")


def row_times(message: Message, weights: np.ndarray) -> np.ndarray:
    """``sentence_row(message) @ weights`` block by block, without building the row.

    Building one sparse row from a handful of small blocks costs scipy more
    than the arithmetic: a sparse block picks the weight rows of its columns,
    a dense one multiplies its slice. ``einsum`` rather than ``@``: a single
    row is not worth waking BLAS's threads on a server's few cores.
    """
    total = np.zeros(weights.shape[1], dtype=np.float64)
    offset = 0
    for block in sentence_blocks(message):
        width = block.shape[1]
        if issparse(block):
            coo = block.tocoo()
            total += np.einsum("i,ij->j", coo.data, weights[offset + coo.col])
        else:
            total += np.einsum("i,ij->j", np.ravel(block), weights[offset:offset + width])
        offset += width
    if offset != weights.shape[0]:
        raise ValueError(f"the message has {offset} sentence features; "
                         f"the classifier was trained on {weights.shape[0]}")
    return total


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True)
class LeanLogisticRegressionClassifier(LogisticRegressionClassifier):
    """Logistic regression over the sentence features (see the module docstring)."""

    _weights: np.ndarray | None = None

    def _create_X(self, messages: list[Message]) -> csr_matrix:
        """The feature matrix, one row per message."""
        return vstack([sentence_row(message) for message in messages], format="csr")

    def process(self, messages: list[Message]) -> list[Message]:
        """Set ``intent`` and ``intent_ranking`` on each message, as Rasa's version does."""
        pending = [message for message in messages if not is_settled(message)]
        if len(self.clf.classes_) <= 2:
            super().process(pending)  # binary models are not a softmax
            return messages
        if self._weights is None:
            self._weights = np.ascontiguousarray(self.clf.coef_.T)
        for message in pending:
            self._classify(message)
        return messages

    def _classify(self, message: Message) -> None:
        scores = row_times(message, self._weights)
        self._set_intent(message, _softmax(scores + self.clf.intercept_))

    def _set_intent(self, message: Message, probabilities: np.ndarray) -> None:
        ranking = [{"name": name, "confidence": float(p)}
                   for name, p in zip(self.clf.classes_, probabilities, strict=True)]
        ranking.sort(key=lambda entry: -entry["confidence"])
        message.set(INTENT, ranking[0], add_to_output=True)
        if self.config[RANKING_LENGTH] > 0:
            ranking = ranking[: self.config[RANKING_LENGTH]]
        message.set(INTENT_RANKING_KEY, ranking, add_to_output=True)


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True)
class NgramIntentClassifier(LeanLogisticRegressionClassifier):
    """The first stage: n-gram and entity features only; settles the texts it is sure of."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        """``settle_at``: the confidence from which the first stage's intent stands."""
        return {**LeanLogisticRegressionClassifier.get_default_config(), "settle_at": 0.8}

    @classmethod
    def validate_config(cls, config: dict[str, Any]) -> None:
        """``settle_at`` must be a probability above one half (one intent, not a tie)."""
        super().validate_config(config)
        if not 0.5 < float(config.get("settle_at", 0.8)) <= 1.0:
            raise InvalidConfigException("NgramIntentClassifier: settle_at must be in (0.5, 1]")

    def process(self, messages: list[Message]) -> list[Message]:
        """Classify every message; mark those at or above ``settle_at`` as settled."""
        super().process(messages)
        settle_at = float(self.config["settle_at"])
        for message in messages:
            if message.get(INTENT, {}).get("confidence", 0.0) >= settle_at:
                message.set(SETTLED, True)
        return messages


def _softmax(scores: np.ndarray) -> np.ndarray:
    exp = np.exp(scores - scores.max())
    return exp / exp.sum()
