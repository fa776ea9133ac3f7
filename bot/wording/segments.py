"""How many SMS segments a text costs, counted the way carriers count them.

A text that uses only the GSM 03.38 alphabet is sent as GSM-7: 160 characters
alone, 153 per part once it is split (each part carries a header). Characters
of the GSM extension table (such as { } [ ] ~ ^ | \\ and the euro sign) are
sent as an escape plus the character, so they count twice, and a part never
ends between the two. Any other character (an emoji, a curly quote, an em
dash, most accented capitals) turns the whole text into UCS-2: 70 UTF-16 code
units alone, 67 per part, never splitting a surrogate pair.
"""

from __future__ import annotations

from dataclasses import dataclass

GSM7 = "GSM-7"
UCS2 = "UCS-2"

# GSM 03.38 default alphabet (the basic character set).
GSM_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
# The extension table: sent as ESC + character, two septets each.
GSM_EXTENSION = frozenset("\f^{}\\[~]|€")

# Look-alikes that editors insert silently and that force UCS-2, with their GSM twin.
UCS2_LOOKALIKES = {
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"',
    "\u2013": "-", "\u2014": "-", "\u2026": "...", "\u00a0": " ", "\u2022": "-",
}

SINGLE = {GSM7: 160, UCS2: 70}
PER_PART = {GSM7: 153, UCS2: 67}


@dataclass(frozen=True)
class SegmentInfo:
    """Segments a text costs, its encoding, and its length in encoding units."""

    segments: int
    encoding: str
    units: int


def _gsm_cost(char: str) -> int | None:
    if char in GSM_BASIC:
        return 1
    if char in GSM_EXTENSION:
        return 2
    return None


def _unit_costs(text: str) -> tuple[str, list[int]]:
    """The encoding and the cost of each character in that encoding's units."""
    costs = [_gsm_cost(char) for char in text]
    if all(cost is not None for cost in costs):
        return GSM7, costs
    return UCS2, [2 if ord(char) > 0xFFFF else 1 for char in text]


def _parts(costs: list[int], per_part: int) -> int:
    """Fill parts greedily; a character that does not fit whole opens the next part."""
    parts, used = 1, 0
    for cost in costs:
        if used + cost > per_part:
            parts, used = parts + 1, 0
        used += cost
    return parts


def count_segments(text: str) -> SegmentInfo:
    """Segments, encoding (GSM-7 or UCS-2) and units of `text`, as carriers count them."""
    encoding, costs = _unit_costs(text)
    units = sum(costs)
    if units <= SINGLE[encoding]:
        return SegmentInfo(1, encoding, units)
    return SegmentInfo(_parts(costs, PER_PART[encoding]), encoding, units)


def ucs2_forcing_characters(text: str) -> list[str]:
    """The characters that push a text out of GSM-7, each once, in order of appearance."""
    seen: list[str] = []
    for char in text:
        if _gsm_cost(char) is None and char not in seen:
            seen.append(char)
    return seen


# Spanish accents outside the GSM alphabet, and their closest GSM letters.
_ACCENTS_TO_GSM = str.maketrans("áíóúÁÍÓÚÉÈÀÒÙÌÑÜ", "aiouAIOUÉEAOUIÑÜ")


def gsm_friendly(text: str) -> str:
    """The text with look-alikes and accents GSM-7 lacks replaced by their closest
    GSM letters, so a reply costs 160-character segments instead of 70."""
    for char, twin in UCS2_LOOKALIKES.items():
        text = text.replace(char, twin)
    friendly = text.translate(_ACCENTS_TO_GSM)
    # Only worth it when the result really is GSM-7 (an emoji keeps UCS-2 anyway).
    return friendly if not ucs2_forcing_characters(friendly) else text
