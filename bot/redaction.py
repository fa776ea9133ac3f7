"""Card data never reaches the database, the NLU, the tracker or the logs.

Anything that could be a payment card number is replaced before the text goes
anywhere else: every Luhn-valid run of 13-19 digits, whatever separates the
digits (spaces, any dash, dots, parentheses, slashes, several of them). The
text is normalised first (Unicode NFKC, so full-width and other look-alike
digits become 0-9; format characters such as zero-width spaces dropped), and
every card in a text is replaced, not only the first.

The rest of the card goes too (PCI: a security code may never be stored, and
an expiry with a card number is card data):

- in a text with a card number, the expiry wherever it is ("exp 09/28",
  "vence 9/2028", or a date right after the number) and the security code
  ("cvv 123", "código de seguridad 123", or 3-4 digits right after the number
  or its expiry);
- in any text, a security code that says what it is ("my cvc is 1234",
  "el código de seguridad es 123": people send it in a second text) and an
  expiry that does ("exp 09/28", "fecha de vencimiento 09/28"). A bare number
  ("pay 150") or date ("on 09/28", "vence el 09/28" of a payment) is an amount
  or a date, and is kept.

A card number typed over two texts ("4242 4242" then "4242 4242") is caught
by `split_card`, which the inbound pipeline runs on a phone's previous text
and its new one.

When nothing is found the text is returned exactly as it came; when something
is found the normalised text is returned with each piece replaced by a marker:
"[card number removed]", "[expiry removed]", "[security code removed]".
"""

from __future__ import annotations

import re
import unicodedata
from typing import NamedTuple

PLACEHOLDER = "[card number removed]"
EXPIRY_PLACEHOLDER = "[expiry removed]"
CODE_PLACEHOLDER = "[security code removed]"
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

# What a borrower writes before a security code or an expiry; accents optional.
_CODE_LABEL = (
    r"(?:cvv2?|cvc2?|cv2|ccv|csv|cvn|card\s+code|sec(?:urity|\.)?\s+(?:code|number)"
    r"|c[oó]digo\s+(?:de\s+seguridad|cvv|cvc|de\s+(?:3|4|tres|cuatro)\s+d[ií]gitos)"
    r"|n[uú]mero\s+de\s+seguridad)"
)
_STRONG_EXPIRY_LABEL = (
    r"(?:exp(?:iry|iration|ires|ire|ired|ira|iraci[oó]n)?(?:\s+date|\s+dt)?"
    r"|(?:fecha\s+de\s+)?(?:vencimiento|expiraci[oó]n|caducidad)|vto|venc|caduca"
    r"|valid\s+(?:thru|through|until)|good\s+(?:thru|through)|v[aá]lida\s+hasta)"
)
# "vence" is also what a payment does on a date: an expiry only beside card data.
_WEAK_EXPIRY_LABEL = r"(?:vence|vencen)"
# Small words between a label and its number: "cvv is 123", "cvc: 1234",
# "el código de seguridad es 123", "exp date is 09/28", "vence el 09/28".
_FILL = (r"(?:[\s:#=.\-]|\b(?:is|es|was|era|on|en|el|la|of|de|code|number|num|no"
         r"|n[uú]mero|date|fecha)\b){0,8}")
_MONTH = r"(?:0?[1-9]|1[0-2])"
_YEAR = r"(?:20\d\d|\d\d)"
_MONTH_NAME = (r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|ene|abr|ago|dic)"
               r"[a-z]*\.?")
# 09/28, 9/2028, 09-28, 09.28, 09 / 28; sept 2028, sep '28. Not 12/15/2026.
_DATE = rf"(?:{_MONTH}\s?[/\-.]\s?{_YEAR}|{_MONTH_NAME}\s?[/\-,]?\s?'?{_YEAR})(?![\d/])"
_MMYY = r"(?:0[1-9]|1[0-2])\d\d(?!\d)"  # "exp 0928", only after a label
# 3 or 4 digits, not part of a longer number, an amount ($150, 1,250) or a date.
_CODE = r"(?<![\d.,$/])\d{3,4}(?![\d/.,]?\d)"

_LABEL = re.compile(rf"\b(?:{_CODE_LABEL}|{_STRONG_EXPIRY_LABEL}|{_WEAK_EXPIRY_LABEL})",
                    re.IGNORECASE)
# "cvv123" counts: no word boundary is needed between the label and the digits.
_CODE_AFTER_LABEL = re.compile(rf"\b{_CODE_LABEL}(?![a-z]){_FILL}{_CODE}", re.IGNORECASE)
# "123 is my cvv", "123 (cvv)", "123 es el código de seguridad".
_CODE_BEFORE_LABEL = re.compile(
    rf"{_CODE}\s?(?:(?:is|es|=|-|:)\s)?(?:(?:my|the|mi|el|la)\s)?\(?{_CODE_LABEL}\b\)?",
    re.IGNORECASE)
_STRONG_EXPIRY = re.compile(rf"\b{_STRONG_EXPIRY_LABEL}\b{_FILL}(?:{_DATE}|{_MMYY})",
                            re.IGNORECASE)
_ANY_EXPIRY = re.compile(
    rf"\b(?:{_STRONG_EXPIRY_LABEL}|{_WEAK_EXPIRY_LABEL})\b{_FILL}(?:{_DATE}|{_MMYY})",
    re.IGNORECASE)
# Right after a card number, its expiry or its code: "4242... 09/28 123".
_GAP = r"[\s,;:|\-]{0,3}"
_PLACED = "|".join(f"(?<={re.escape(marker)})"
                   for marker in (PLACEHOLDER, EXPIRY_PLACEHOLDER, CODE_PLACEHOLDER))
_DATE_AFTER_CARD = re.compile(rf"(?:{_PLACED})({_GAP}){_DATE}", re.IGNORECASE)
_CODE_AFTER_CARD = re.compile(rf"(?:{_PLACED})({_GAP}){_CODE}")


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


def _without_labelled_details(text: str) -> str:
    """Security codes and expiries that say what they are; beside a security code,
    "vence 09/28" is an expiry too."""
    coded = _CODE_BEFORE_LABEL.sub(CODE_PLACEHOLDER, _CODE_AFTER_LABEL.sub(CODE_PLACEHOLDER, text))
    expiry = _ANY_EXPIRY if coded != text else _STRONG_EXPIRY
    return expiry.sub(EXPIRY_PLACEHOLDER, coded)


def _without_card_details(text: str) -> str:
    """A text whose card numbers are replaced: their expiry and security code go too."""
    text = _ANY_EXPIRY.sub(EXPIRY_PLACEHOLDER, _without_labelled_details(text))
    for _ in range(3):  # a date and a code right after the card, in either order
        before = text
        text = _DATE_AFTER_CARD.sub(lambda m: m.group(1) + EXPIRY_PLACEHOLDER, text)
        text = _CODE_AFTER_CARD.sub(lambda m: m.group(1) + CODE_PLACEHOLDER, text)
        if text == before:
            break
    return text


class Redaction(NamedTuple):
    """A text made safe, and what was taken out of it."""

    text: str
    card_number: bool  # a card number (and any expiry and security code with it)
    card_details: bool  # no card number, but a labelled security code or expiry


def redact_card_data(text: str) -> Redaction:
    """Replace every card number, and the expiry and security code that go with it
    or say what they are (see the module's docstring)."""
    digits = sum(ch.isdigit() for ch in text)
    if text.isascii() and (digits < 3 or (digits < MIN_DIGITS and not _LABEL.search(text))):
        return Redaction(text, False, False)  # the common case, cheaply
    normal = normalise(text)
    spans = card_spans(normal)
    if spans:
        return Redaction(_without_card_details(_replace(normal, spans)), True, False)
    safe = _without_labelled_details(normal)
    if safe == normal:
        return Redaction(text, False, False)
    return Redaction(safe, False, True)


def redact_card_numbers(text: str) -> tuple[str, bool]:
    """The safe text (as `redact_card_data`) and whether it held a card number."""
    safe, card_number, _ = redact_card_data(text)
    return safe, card_number


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
    return (_without_card_details(_replace(first, before)),
            _without_card_details(_replace(second, after)))
