"""Spelled-out cardinal numbers in English and Spanish ("two hundred", "doscientos").

Works on folded text (see :func:`bot.nlu.text.fold`): ``find_number_words``
returns ``(start, end, value)`` for each maximal run of number words.
"""

from __future__ import annotations

import re

_EN_SMALL = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
    "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17,
    "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40,
    "fourty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
}  # fmt: skip

_ES_SMALL = {
    "cero": 0, "uno": 1, "una": 1, "un": 1, "dos": 2, "tres": 3, "cuatro": 4,
    "cinco": 5, "seis": 6, "siete": 7, "ocho": 8, "nueve": 9, "diez": 10, "once": 11,
    "doce": 12, "trece": 13, "catorce": 14, "quince": 15, "dieciseis": 16,
    "diecisiete": 17, "dieciocho": 18, "diecinueve": 19, "veinte": 20, "veintiuno": 21,
    "veintiun": 21, "veintidos": 22, "veintitres": 23, "veinticuatro": 24,
    "veinticinco": 25, "veintiseis": 26, "veintisiete": 27, "veintiocho": 28,
    "veintinueve": 29, "treinta": 30, "cuarenta": 40, "cincuenta": 50, "sesenta": 60,
    "setenta": 70, "ochenta": 80, "noventa": 90, "cien": 100, "ciento": 100,
    "doscientos": 200, "doscientas": 200, "trescientos": 300, "trescientas": 300,
    "cuatrocientos": 400, "cuatrocientas": 400, "quinientos": 500, "quinientas": 500,
    "seiscientos": 600, "seiscientas": 600, "setecientos": 700, "setecientas": 700,
    "ochocientos": 800, "ochocientas": 800, "novecientos": 900, "novecientas": 900,
}  # fmt: skip

SMALL_NUMBERS: dict[str, int] = {**_EN_SMALL, **_ES_SMALL}
_HUNDRED = {"hundred"}
_THOUSAND = {"thousand", "mil", "grand"}
_JOINERS = {"and", "n", "y"}  # "n": texting for "and" ("a hundred n twenty five")

_TOKEN = re.compile(r"[a-z]+")


class _Run:
    """Accumulates one spelled-out number, refusing words that cannot continue it."""

    def __init__(self) -> None:
        self.total = 0
        self.current = 0
        self.last = 0  # the last additive value, to reject "five twenty"
        self.words = 0

    def add(self, word: str) -> bool:
        """Fold ``word`` into the number; False when it cannot continue it."""
        if word in _HUNDRED:
            if self.current >= 100 or (self.current == 0 and self.words):
                return False
            self.current = max(self.current, 1) * 100
            self.last = self.current
        elif word in _THOUSAND:
            if self.total or (self.current == 0 and self.words):
                return False
            self.total = max(self.current, 1) * 1000
            self.current = 0
            self.last = 1000
        else:
            value = SMALL_NUMBERS[word]
            if self.current and not _fits(self.current, self.last, value):
                return False
            self.current += value
            self.last = value
        self.words += 1
        return True

    @property
    def value(self) -> int:
        """The number read so far."""
        return self.total + self.current


def _fits(current: int, last: int, value: int) -> bool:
    """Whether ``value`` can follow ``current`` (e.g. 5 after 20, 50 after 200)."""
    if value == 0 or value >= last:
        return False
    place = 10 ** len(str(value))
    return current % place == 0


def _is_number_word(word: str) -> bool:
    return word in SMALL_NUMBERS or word in _HUNDRED or word in _THOUSAND


def find_number_words(folded: str) -> list[tuple[int, int, int]]:
    """Find spelled-out numbers in folded text as ``(start, end, value)`` triples.

    "two hundred and fifty" -> 250, "a hundred" -> 100, "treinta y cinco" -> 35,
    "dos mil quinientos" -> 2500. A lone "a"/"and"/"y" is never a number.
    """
    tokens = [(m.start(), m.end(), m.group()) for m in _TOKEN.finditer(folded)]
    results: list[tuple[int, int, int]] = []
    i = 0
    while i < len(tokens):
        start, _, word = tokens[i]
        run = _Run()
        j = i
        if word == "a" and j + 1 < len(tokens) and tokens[j + 1][2] in _HUNDRED | _THOUSAND:
            run.current, run.last, j = 1, 1, j + 1  # "a hundred", "a grand"
        elif word == "grand" or not _is_number_word(word):
            i += 1
            continue
        end = tokens[j][0]
        while j < len(tokens):
            word = tokens[j][2]
            if (
                word in _JOINERS
                and j > i
                and j + 1 < len(tokens)
                and _is_number_word(tokens[j + 1][2])
                and _gap_is_space(folded, tokens[j - 1][1], tokens[j][0])
            ):
                j += 1
                continue
            if j > i and not _gap_is_space(folded, tokens[j - 1][1], tokens[j][0]):
                break
            if not _is_number_word(word) or not run.add(word):
                break
            end = tokens[j][1]
            j += 1
        if run.words:
            results.append((start, end, run.value))
            i = j
        else:
            i += 1
    return results


def _gap_is_space(folded: str, left: int, right: int) -> bool:
    """Words of one number are separated by spaces, a hyphen or "&" only."""
    return folded[left:right].strip() in ("", "-", "&")


def parse_number_word(word: str) -> int | None:
    """Value of a whole string that is one spelled-out number, else None."""
    folded = word.strip()
    found = find_number_words(folded)
    if len(found) == 1 and found[0][0] == 0 and found[0][1] == len(folded):
        return found[0][2]
    return None
