"""Scores for parsed evaluation texts: per-intent F1, confusions, and what the
bot would *do* (pure functions; :mod:`bot.nlu.evaluate` feeds them).

Two labels mean "the bot understood nothing it can act on": ``out_of_scope``
(a text the model recognises as unrelated) and ``nlu_fallback`` (the
confidence was below the fallback threshold). Both change nothing, so an
unrelated text predicted as either is scored correct; an in-scope text sent to
``nlu_fallback`` is an error, and it is also counted on its own (``fallback``).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from bot.nlu.evidence import carries

OUT_OF_SCOPE = "out_of_scope"
FALLBACK = "nlu_fallback"
NO_ACTION = frozenset({OUT_OF_SCOPE, FALLBACK})

# Intents whose action changes the account (or its reminders, or pages staff)
# without a further question. affirm / deny only act on an open question.
STATE_CHANGING = frozenset({
    "pay", "arrange_plan", "promise_to_pay", "dispute", "already_paid", "hardship",
    "opt_out", "wrong_number", "update_card", "request_human", "set_contact_preference",
})  # fmt: skip


@dataclass(frozen=True)
class Parsed:
    """One evaluation text with its gold label and the parser's answer."""

    text: str
    gold: str
    predicted: str
    confidence: float
    # A second acceptable label (a text holding two requests).
    also: str | None = None
    entities: tuple[dict, ...] = ()

    @property
    def correct(self) -> bool:
        """Predicted the gold label (any no-action label for an unrelated text)."""
        if self.gold == OUT_OF_SCOPE:
            return self.predicted in NO_ACTION
        return self.predicted == self.gold

    def acts(self, threshold: float, words: bool = False) -> str | None:
        """The state-changing intent the bot would act on at ``threshold``, if any.

        ``threshold`` is the fallback threshold or a stricter one a safety
        policy may apply; below the fallback threshold nothing is acted on.
        With ``words`` the text must also carry the intent (bot/nlu/evidence.py),
        as the bot's safety policy requires.
        """
        if self.predicted not in STATE_CHANGING or self.confidence < threshold:
            return None
        if words and not carries(self.predicted, self.text, self.entities):
            return None
        return self.predicted

    def wrong_change(self, threshold: float, words: bool = False) -> bool:
        """The bot would change the account in a way the text did not ask for."""
        acted = self.acts(threshold, words)
        return acted is not None and acted not in (self.gold, self.also)


@dataclass(frozen=True)
class IntentScore:
    """Precision, recall and F1 of one intent."""

    intent: str
    precision: float
    recall: float
    f1: float
    support: int


def _scored_label(item: Parsed) -> str:
    """The predicted label as scored (no-action labels merged for unrelated texts)."""
    return OUT_OF_SCOPE if item.gold == OUT_OF_SCOPE and item.correct else item.predicted


def intent_scores(items: Sequence[Parsed]) -> list[IntentScore]:
    """Per gold intent: precision, recall, F1 and support (sorted by F1, worst first)."""
    gold = Counter(item.gold for item in items)
    predicted = Counter(_scored_label(item) for item in items)
    hits = Counter(item.gold for item in items if item.correct)
    scores = []
    for intent, support in gold.items():
        precision = hits[intent] / predicted[intent] if predicted[intent] else 0.0
        recall = hits[intent] / support
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        scores.append(IntentScore(intent, precision, recall, f1, support))
    return sorted(scores, key=lambda s: (s.f1, s.intent))


def macro_f1(scores: Iterable[IntentScore]) -> float:
    """The unweighted mean F1 over gold intents."""
    values = [s.f1 for s in scores]
    return sum(values) / len(values) if values else 0.0


def accuracy(items: Sequence[Parsed]) -> float:
    """Share of texts scored correct."""
    return sum(item.correct for item in items) / len(items) if items else 0.0


def confusions(items: Iterable[Parsed], top: int = 10) -> list[tuple[tuple[str, str], int]]:
    """The most frequent (gold, predicted) pairs among the errors."""
    pairs = Counter((item.gold, item.predicted) for item in items if not item.correct)
    return pairs.most_common(top)


@dataclass(frozen=True)
class Behaviour:
    """What the bot would do with a set of texts, at one confidence threshold."""

    threshold: float
    words: bool  # the safety policy's second test: the words that carry the intent
    texts: int
    unrelated: int
    unrelated_changed: int  # unrelated texts landing on a state-changing intent
    wrongly_changed: int  # any text that would change the account unasked
    in_scope: int
    in_scope_fallback: int  # in-scope texts sent to nlu_fallback
    changed_by_intent: tuple[tuple[str, int], ...]  # where the unrelated ones went
    requests: int = 0  # texts asking for a state change
    requests_held_back: int = 0  # ...understood right, but below the threshold

    @staticmethod
    def share(part: int, whole: int) -> float:
        """``part / whole`` (0 when there is nothing to share)."""
        return part / whole if whole else 0.0


def behaviour(items: Sequence[Parsed], threshold: float, words: bool = False) -> Behaviour:
    """Count wrongful state changes and fallbacks when acting at ``threshold`` (and,
    with ``words``, only on texts that carry the intent)."""
    unrelated = [item for item in items if item.gold == OUT_OF_SCOPE]
    in_scope = [item for item in items if item.gold != OUT_OF_SCOPE]
    landed = Counter(item.acts(threshold, words) for item in unrelated)
    landed.pop(None, None)
    requests = [item for item in items if item.gold in STATE_CHANGING]
    return Behaviour(
        threshold=threshold,
        words=words,
        texts=len(items),
        unrelated=len(unrelated),
        unrelated_changed=sum(landed.values()),
        wrongly_changed=sum(item.wrong_change(threshold, words) for item in items),
        in_scope=len(in_scope),
        in_scope_fallback=sum(item.predicted == FALLBACK for item in in_scope),
        changed_by_intent=tuple(landed.most_common()),
        requests=len(requests),
        requests_held_back=sum(item.predicted == item.gold
                               and item.acts(threshold, words) is None for item in requests),
    )
