"""Money said the way people say it, not the way numbers are written.

- "two fifty" is $250 and "two fifty five" $255 (a car payment is read in
  hundreds): a single number word from one to nineteen, then a number from
  ten to ninety-nine, is that many hundreds plus the rest.
- "a buck fifty" is $1.50, "5 dollars and 25 cents" $5.25: dollars, a
  currency word, then cents.
- "fifty cents", "75¢", "50 centavos" are cents.

Works on folded text (:func:`bot.nlu.text.fold`); every function returns
``(start, end, cents)`` triples.
"""

from __future__ import annotations

import re
from itertools import pairwise

from bot.nlu.numwords import find_number_words
from bot.nlu.vocab import CURRENCY_WORDS

Found = tuple[int, int, int]

_DOLLAR_WORD = re.compile(r"\b(?:bucks?|dollars?|dolares|dolar|dlls?)\b")
_CENT_WORD = re.compile(r"\s*(?:cents?\b|centavos?\b|¢)")
_AND = re.compile(r"\s+(?:and|y|with)\s+|\s+")
_DIGITS_BEFORE = re.compile(r"(?<![\d.,$])(\d{1,6})\s*$")
_DIGITS_AFTER = re.compile(r"(\d{1,2})(?![\d.,])")
_A_BEFORE = re.compile(r"\b(?:a|one)\s*$")
_CURRENCY_AFTER = re.compile(rf"\s?{CURRENCY_WORDS}\b")


def spoken_hundreds(folded: str) -> list[Found]:
    """Number words read in hundreds: "two fifty" -> 25000 cents, "twelve fifty" -> 125000.

    ``find_number_words`` stops "two fifty" after "two" (fifty cannot follow
    two in a written-out number), so two neighbouring runs are joined here.
    """
    runs = find_number_words(folded)
    found = []
    for (start, end, high), (next_start, next_end, low) in pairwise(runs):
        single_word = " " not in folded[start:end].strip() and "-" not in folded[start:end]
        touching = folded[end:next_start].strip() == ""
        if single_word and touching and 1 <= high <= 19 and 10 <= low <= 99:
            currency = _CURRENCY_AFTER.match(folded, next_end)  # "two fifty dollars"
            end = currency.end() if currency else next_end
            found.append((start, end, (high * 100 + low) * 100))
    return found


def dollars_and_cents(folded: str) -> list[Found]:
    """ "a buck fifty" -> 150, "5 dollars and 25 cents" -> 525, "two bucks 50" -> 250."""
    words = find_number_words(folded)
    found = []
    for unit in _DOLLAR_WORD.finditer(folded):
        dollars = _number_before(folded, unit.start(), words)
        cents = _number_after(folded, unit.end(), words)
        if dollars is None or cents is None or not 1 <= cents[1] <= 99:
            continue
        end = cents[0]
        tail = _CENT_WORD.match(folded, end)
        if tail:
            end = tail.end()
        found.append((dollars[0], end, dollars[1] * 100 + cents[1]))
    return found


def cents_only(folded: str) -> list[Found]:
    """ "fifty cents", "75¢", "50 centavos" -> that many cents."""
    found = []
    for start, end, value in find_number_words(folded):
        tail = _CENT_WORD.match(folded, end)
        if tail and 1 <= value <= 99:
            found.append((start, tail.end(), value))
    for match in re.finditer(r"(?<![\w.,$])(\d{1,2})(?=\s*(?:cents?\b|centavos?\b|¢))", folded):
        tail = _CENT_WORD.match(folded, match.end())
        found.append((match.start(), tail.end(), int(match.group(1))))
    return found


def _number_before(folded: str, position: int, words: list[Found]) -> tuple[int, int] | None:
    """(start, dollars) of the number right before a currency word ("a", "5", "two")."""
    head = folded[:position]
    digits = _DIGITS_BEFORE.search(head)
    if digits:
        return digits.start(1), int(digits.group(1))
    for start, end, value in words:
        if end <= position and folded[end:position].strip() == "":
            return start, value
    article = _A_BEFORE.search(head)
    return (article.start(), 1) if article else None


def _number_after(folded: str, position: int, words: list[Found]) -> tuple[int, int] | None:
    """(end, cents) of the number right after a currency word ("fifty", "and 25")."""
    joiner = _AND.match(folded, position)
    if joiner is None:
        return None
    start = joiner.end()
    digits = _DIGITS_AFTER.match(folded, start)
    if digits:
        return digits.end(), int(digits.group(1))
    for word_start, end, value in words:
        if word_start == start:
            return end, value
    return None
