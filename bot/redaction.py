"""Card numbers never reach the database, the NLU, the tracker or the logs.

Anything that could be a payment card number is replaced before the text goes
anywhere else: every Luhn-valid run of 13-19 digits, whatever separates the
digits (spaces, any dash, dots, parentheses, slashes, several of them). The
text is normalised first (Unicode NFKC, so full-width and other look-alike
digits become 0-9; format characters such as zero-width spaces dropped), and
every card in a text is replaced, not only the first.

A card number typed over two texts ("4242 4242" then "4242 4242") is caught
by `split_card`, which the inbound pipeline runs on a phone's previous text
and its new one.

When nothing is found the text is returned exactly as it came; when a card
is found the normalised text is returned with each card replaced.
"""

from __future__ import annotations

import re
import unicodedata

PLACEHOLDER = "[card number removed]"
MIN_DIGITS, MAX_DIGITS = 13, 19
# An unbroken group longer than the usual 16 digits may be a card glued to other
# digits ("4242424242424242 123" typed without the space): look inside it.
GLUED_OVER = 16
# Digit groups separated by up to six characters that are neither letters nor
# digits ("4242 -- 4242", "(4242)", "4242    4242"); a letter ends the run.
_RUN = re.compile(r"[0-9]+(?:[\W_]{1,6}[0-9]+)*")
_GROUP = re.compile(r"[0-9]+")
_TRAILING_RUN = re.compile(r"[0-9]+(?:[\W_]{1,6}[0-9]+)*[\W_]*\Z")
_LEADING_RUN = re.compile(r"\A[\W_]*[0-9]+(?:[\W_]{1,6}[0-9]+)*")

Span = tuple[int, int]


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


def normalise(text: str) -> str:
    """NFKC, without format characters (zero-width spaces, direction marks), every
    decimal digit of any script written 0-9."""
    if text.isascii():
        return text
    text = unicodedata.normalize("NFKC", text)
    return "".join(_plain_char(ch) for ch in text if unicodedata.category(ch) != "Cf")


def _plain_char(char: str) -> str:
    digit = unicodedata.decimal(char, None)
    return str(digit) if digit is not None else char


def _aligned_windows(groups: list[Span], run: str) -> list[Span]:
    """Luhn-valid spans made of whole digit groups (13-19 digits)."""
    found = []
    for first in range(len(groups)):
        digits = ""
        for last in range(first, len(groups)):
            digits += run[groups[last][0]:groups[last][1]]
            if len(digits) > MAX_DIGITS:
                break
            if len(digits) >= MIN_DIGITS and luhn_valid(digits):
                found.append((groups[first][0], groups[last][1]))
    return found


def _windows_inside(group: Span) -> list[Span]:
    """Every 13-19 digit window of one unbroken group."""
    start, end = group
    return [(at, at + length) for length in range(MIN_DIGITS, MAX_DIGITS + 1)
            for at in range(start, end - length + 1)]


def _card_spans_in_run(run: str) -> list[Span]:
    groups = [(m.start(), m.end()) for m in _GROUP.finditer(run)]
    spans = _aligned_windows(groups, run)
    for group in groups:
        if group[1] - group[0] > GLUED_OVER:
            spans += [w for w in _windows_inside(group) if luhn_valid(run[w[0]:w[1]])]
    return spans


def _merged(spans: list[Span]) -> list[Span]:
    """Overlapping spans joined: every digit of any possible card is removed."""
    merged: list[list[int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return [(start, end) for start, end in merged]


def card_spans(text: str) -> list[Span]:
    """Where the card numbers are in an already normalised text."""
    spans: list[Span] = []
    for match in _RUN.finditer(text):
        digits = sum(ch.isdigit() for ch in match.group(0))
        if digits >= MIN_DIGITS:
            spans += [(match.start() + s, match.start() + e)
                      for s, e in _card_spans_in_run(match.group(0))]
    return _merged(spans)


def _replace(text: str, spans: list[Span]) -> str:
    for start, end in reversed(spans):
        text = text[:start] + PLACEHOLDER + text[end:]
    return text


def redact_card_numbers(text: str) -> tuple[str, bool]:
    """Replace every card-like number; return the safe text and whether any was found."""
    if sum(ch.isdigit() for ch in text) < MIN_DIGITS and text.isascii():
        return text, False  # the common case, cheaply
    normal = normalise(text)
    spans = card_spans(normal)
    if not spans:
        return text, False
    return _replace(normal, spans), True


def ends_with_digits(text: str) -> bool:
    """Whether a text ends in a run of digits (the first half of a split card?)."""
    return _TRAILING_RUN.search(normalise(text)) is not None


def starts_with_digits(text: str) -> bool:
    """Whether a text begins with a run of digits (the second half of a split card?)."""
    return _LEADING_RUN.match(normalise(text)) is not None


def split_card(previous: str, text: str) -> tuple[str, str] | None:
    """A card number whose digits run from the end of `previous` into the start of
    `text` (two consecutive texts): both texts redacted, or None if there is none."""
    first, second = normalise(previous), normalise(text)
    joined = f"{first}\n{second}"
    boundary = len(first)
    spans = card_spans(joined)
    if not any(start < boundary < end for start, end in spans):
        return None
    before = [(s, min(e, boundary)) for s, e in spans if s < boundary]
    after = [(max(s, boundary + 1) - boundary - 1, e - boundary - 1)
             for s, e in spans if e > boundary + 1]
    return _replace(first, before), _replace(second, after)
