"""Rasa 3.6 NLU components wrapping the deterministic parsers of :mod:`bot.nlu`.

Pipeline names (config.yml): ``bot.nlu.components.LanguageDetector``,
``AmountExtractor``, ``CountExtractor``, ``DateExtractor`` (prediction time
only) and ``EntityFeaturizer`` (features for the intent classifier, at
training and prediction time). None of them is trained. Entities follow Rasa's format, e.g.
``{"entity": "amount", "start": 4, "end": 7, "value": 15000,
"confidence_entity": 1.0, "extractor": "AmountExtractor"}``; the language is
the message property ``language`` ("en"/"es"; absent from the parse result
when it cannot tell, since Rasa drops None values).

Overlaps are resolved as in :mod:`bot.nlu.entities`: a count or a date is
never an amount, and a date inside a symbolic amount is not a date.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import scipy.sparse
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.constants import ENTITY_ATTRIBUTE_CONFIDENCE_TYPE
from rasa.nlu.extractors.extractor import EntityExtractorMixin
from rasa.shared.nlu.constants import (
    ENTITIES,
    ENTITY_ATTRIBUTE_END,
    ENTITY_ATTRIBUTE_ROLE,
    ENTITY_ATTRIBUTE_START,
    ENTITY_ATTRIBUTE_TYPE,
    ENTITY_ATTRIBUTE_VALUE,
    FEATURE_TYPE_SENTENCE,
    TEXT,
)
from rasa.shared.nlu.training_data.features import Features
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.nlu.amounts import find_amounts
from bot.nlu.counts import find_counts
from bot.nlu.entities import dates_outside_amounts
from bot.nlu.frequency import INSTALLMENT, is_installment, parse_frequency
from bot.nlu.language import detect_language
from bot.nlu.spans import Span
from bot.nlu.symbolic import INVALID

LANGUAGE = "language"


class _StatelessComponent(GraphComponent):
    """A component with nothing to train or persist."""

    def __init__(self, config: dict[str, Any]) -> None:
        self._config = config

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> _StatelessComponent:
        """Create the component (see ``GraphComponent.create``)."""
        return cls(config)


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR, is_trainable=False)
class LanguageDetector(_StatelessComponent):
    """Sets the message property ``language`` to "en", "es" or None."""

    def process(self, messages: list[Message]) -> list[Message]:
        """Detect the language of each message."""
        for message in messages:
            message.set(LANGUAGE, detect_language(message.get(TEXT) or ""), add_to_output=True)
        return messages


class _SpanExtractor(_StatelessComponent, EntityExtractorMixin):
    """Adds one entity type found by a pure-Python span finder."""

    entity_type: str = ""

    @staticmethod
    def find(text: str) -> list[Span]:
        """The spans of this extractor's entity type in ``text``."""
        raise NotImplementedError

    def process(self, messages: list[Message]) -> list[Message]:
        """Append this extractor's entities to each message's ``entities``."""
        for message in messages:
            text = message.get(TEXT) or ""
            found = [self._entity(span) for span in self.find(text)]
            message.set(ENTITIES, message.get(ENTITIES, []) + found, add_to_output=True)
        return messages

    def _entity(self, span: Span) -> dict[str, Any]:
        entity = {
            ENTITY_ATTRIBUTE_TYPE: self.entity_type,
            ENTITY_ATTRIBUTE_START: span.start,
            ENTITY_ATTRIBUTE_END: span.end,
            ENTITY_ATTRIBUTE_VALUE: span.value,
            ENTITY_ATTRIBUTE_CONFIDENCE_TYPE: 1.0,
        }
        return self.add_extractor_name([entity])[0]


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR, is_trainable=False)
class AmountExtractor(_SpanExtractor):
    """``amount`` entities: int cents, "half" / "balance" / "amount_due", or "invalid".

    An amount that is the size of each plan payment ("pay 25 every week",
    "3 payments of 100") has the role ``installment``.
    """

    entity_type = "amount"
    find = staticmethod(find_amounts)

    def process(self, messages: list[Message]) -> list[Message]:
        """Add the amounts, marking installment sizes with their role."""
        for message in super().process(messages):
            text = message.get(TEXT) or ""
            for entity in message.get(ENTITIES, []):
                if (entity.get("extractor") == self.__class__.__name__
                        and is_installment(text, entity["start"], entity["end"])):
                    entity[ENTITY_ATTRIBUTE_ROLE] = INSTALLMENT
        return messages


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR, is_trainable=False)
class CountExtractor(_SpanExtractor):
    """``count`` entities: the number of installments asked for (int)."""

    entity_type = "count"
    find = staticmethod(find_counts)


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR, is_trainable=False)
class DateExtractor(_SpanExtractor):
    """``date`` entities: the date phrase as written ("friday", "el 15")."""

    entity_type = "date"
    find: Callable[[str], list[Span]] = staticmethod(dates_outside_amounts)


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER, is_trainable=False)
class EntityFeaturizer(_StatelessComponent):
    """Sentence features saying which of our entities a text holds.

    Five binary features: a money amount (valid or not), a symbolic amount ("half",
    "balance", "amount_due"), a date, an installment count, a plan frequency.
    They let the intent classifier see "some amount" or "some date" whatever
    the digits or words, which generalises better than character n-grams of
    the particular numbers in the training data.
    """

    FEATURES = ("amount", "symbolic_amount", "date", "count", "frequency")

    def process(self, messages: list[Message]) -> list[Message]:
        """Add the entity features to each message."""
        for message in messages:
            self._featurize(message)
        return messages

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        """Add the entity features to each training example."""
        for example in training_data.training_examples:
            self._featurize(example)
        return training_data

    def _featurize(self, message: Message) -> None:
        text = message.get(TEXT)
        if not text:
            return
        amounts = find_amounts(text)
        flags = [
            any(isinstance(span.value, int) or span.value == INVALID for span in amounts),
            any(isinstance(span.value, str) and span.value != INVALID for span in amounts),
            bool(dates_outside_amounts(text)),
            bool(find_counts(text)),
            parse_frequency(text) is not None,
        ]
        sentence = scipy.sparse.coo_matrix(np.array([flags], dtype=np.float32))
        message.add_features(
            Features(sentence, FEATURE_TYPE_SENTENCE, TEXT, self.__class__.__name__)
        )
