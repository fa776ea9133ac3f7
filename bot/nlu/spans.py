"""The span type every parser in :mod:`bot.nlu` returns, and overlap helpers."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache, wraps


@dataclass(frozen=True)
class Span:
    """A piece of the input text and what it means.

    ``start``/``end`` index the original text (``text == original[start:end]``);
    ``value`` is an int (cents, a count) or a string (a symbolic amount, a date
    phrase).
    """

    start: int
    end: int
    text: str
    value: int | str

    def overlaps(self, other: Span | tuple[int, int]) -> bool:
        """True when this span shares at least one character with ``other``."""
        start, end = (other.start, other.end) if isinstance(other, Span) else other
        return self.start < end and start < self.end


def overlaps_any(span: Span | tuple[int, int], others: Iterable[Span | tuple[int, int]]) -> bool:
    """True when ``span`` overlaps any of ``others``."""
    probe = span if isinstance(span, Span) else Span(span[0], span[1], "", "")
    return any(probe.overlaps(other) for other in others)


def drop_overlapping(spans: Iterable[Span]) -> list[Span]:
    """Keep the longest spans first, drop any span overlapping a kept one; sort by start."""
    kept: list[Span] = []
    for span in sorted(spans, key=lambda s: (-(s.end - s.start), s.start)):
        if not overlaps_any(span, kept):
            kept.append(span)
    return sorted(kept, key=lambda s: s.start)


def memoized(finder: Callable[[str], list[Span]]) -> Callable[[str], list[Span]]:
    """Remember a span finder's answers per text.

    The finders call each other (amounts skip counts and dates), and every NLU
    component asks about the same message, so one text is parsed many times a
    turn; borrowers also send the same few texts ("yes", "pay") again and again.
    Spans are frozen, so sharing them is safe; callers get a fresh list.
    """
    cached = lru_cache(maxsize=4096)(lambda text: tuple(finder(text)))

    @wraps(finder)
    def find(text: str) -> list[Span]:
        return list(cached(text))

    return find
