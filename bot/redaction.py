"""Card numbers never reach the database, the NLU, the tracker or the logs.

Anything that looks like a payment card number (13-19 digits, optionally
grouped with spaces, dashes, dots, slashes or commas, passing the Luhn check)
is replaced before the text goes anywhere else.
"""

from __future__ import annotations

import re

PLACEHOLDER = "[card number removed]"
# A run of digits with short separators between them ("4242 - 4242", "4242\n4242").
_DIGIT_RUN = re.compile(r"(?<![\d])\d(?:[\s.\-_/,]{0,3}\d){12,}(?![\d])")


def luhn_valid(digits: str) -> bool:
    """The Luhn checksum every card number satisfies."""
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char)
        if index % 2 == 1:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total % 10 == 0


def _groups(run: str) -> list[tuple[int, int]]:
    """(start, end) offsets of the digit groups between separators."""
    return [(m.start(), m.end()) for m in re.finditer(r"\d+", run)]


def _candidate_windows(run: str) -> list[tuple[int, int]]:
    """Spans that could be a whole card number: whole groups, or digit windows
    of an unbroken run longer than a card."""
    groups = _groups(run)
    if len(groups) == 1 and groups[0][1] - groups[0][0] > 19:
        return [(start, start + length)
                for length in range(19, 12, -1)
                for start in range(len(run) - length + 1)]
    windows = []
    for first in range(len(groups)):
        digits = 0
        for last in range(first, len(groups)):
            digits += groups[last][1] - groups[last][0]
            if 13 <= digits <= 19:
                windows.append((groups[first][0], groups[last][1]))
    return sorted(windows, key=lambda w: w[0] - w[1])  # longest first


def _card_window(run: str) -> tuple[int, int] | None:
    """The longest span of `run` that is a Luhn-valid 13-19 digit number."""
    for start, end in _candidate_windows(run):
        if luhn_valid(re.sub(r"\D", "", run[start:end])):
            return start, end
    return None


def redact_card_numbers(text: str) -> tuple[str, bool]:
    """Replace card-like numbers; return the safe text and whether any was found."""
    found = False

    def replace(match: re.Match) -> str:
        nonlocal found
        run = match.group(0)
        window = _card_window(run)
        if window is None:
            return run
        found = True
        start, end = window
        return run[:start] + PLACEHOLDER + run[end:]

    return _DIGIT_RUN.sub(replace, text), found
