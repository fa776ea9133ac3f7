"""The intent classifier: Rasa's logistic regression, with a lean prediction path.

``LeanLogisticRegressionClassifier`` (config.yml) is Rasa 3.6's
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
  directly (a sparse row times a dense matrix, no BLAS threads).
"""

from __future__ import annotations

import numpy as np
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.classifiers.logistic_regression_classifier import LogisticRegressionClassifier
from rasa.shared.nlu.constants import FEATURE_TYPE_SENTENCE, INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.utils.tensorflow.constants import RANKING_LENGTH
from scipy.sparse import csr_matrix, hstack, vstack


def sentence_row(message: Message) -> csr_matrix:
    """One message's sentence features side by side: sparse ones, then dense ones."""
    sentence = [f for f in message.features
                if f.attribute == TEXT and f.type == FEATURE_TYPE_SENTENCE]
    blocks = [f.features for f in sentence if f.is_sparse()]
    blocks += [f.features for f in sentence if f.is_dense()]
    return hstack([csr_matrix(block) for block in blocks], format="csr")


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True)
class LeanLogisticRegressionClassifier(LogisticRegressionClassifier):
    """Logistic regression over the sentence features (see the module docstring)."""

    _weights: np.ndarray | None = None

    def _create_X(self, messages: list[Message]) -> csr_matrix:
        """The feature matrix, one row per message."""
        return vstack([sentence_row(message) for message in messages], format="csr")

    def process(self, messages: list[Message]) -> list[Message]:
        """Set ``intent`` and ``intent_ranking`` on each message, as Rasa's version does."""
        if len(self.clf.classes_) <= 2:
            return super().process(messages)  # binary models are not a softmax
        if self._weights is None:
            self._weights = np.ascontiguousarray(self.clf.coef_.T)
        for message in messages:
            scores = np.asarray(sentence_row(message) @ self._weights).ravel()
            self._set_intent(message, _softmax(scores + self.clf.intercept_))
        return messages

    def _set_intent(self, message: Message, probabilities: np.ndarray) -> None:
        ranking = [{"name": name, "confidence": float(p)}
                   for name, p in zip(self.clf.classes_, probabilities, strict=True)]
        ranking.sort(key=lambda entry: -entry["confidence"])
        message.set(INTENT, ranking[0], add_to_output=True)
        if self.config[RANKING_LENGTH] > 0:
            ranking = ranking[: self.config[RANKING_LENGTH]]
        message.set(INTENT_RANKING_KEY, ranking, add_to_output=True)


def _softmax(scores: np.ndarray) -> np.ndarray:
    exp = np.exp(scores - scores.max())
    return exp / exp.sum()
