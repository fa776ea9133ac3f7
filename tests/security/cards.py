"""Card numbers written the many ways a borrower (or an attacker) might type them."""

from __future__ import annotations

import unicodedata

from hypothesis import strategies as st

TEST_CARDS = ["4242424242424242", "6011111111111117", "5555555555554444", "378282246310005",
              "4000056655665556", "3056930009020004", "4222222222222", "6200000000000005"]
SEPARATORS = [" ", "  ", "    ", "-", "\u2013", "\u2014", "--", " - ", ".", "/", "_", "\n",
              "\u00a0", "\u2009", "\u200b", "\u2060", " \u200b ", ", ", "*", "|", ":"]
ZERO_WIDTH = ["\u200b", "\u200c", "\u200d", "\ufeff", "\u2060", "\u00ad"]


def luhn_valid(digits: str) -> bool:
    """The Luhn check, written here again so the tests do not lean on the code under test."""
    total = sum(int(d) if i % 2 == 0 else (2 * int(d) - 9 if int(d) > 4 else 2 * int(d))
                for i, d in enumerate(reversed(digits)))
    return total % 10 == 0


def _luhn_completed(body: str) -> str:
    return next(body + d for d in "0123456789" if luhn_valid(body + d))


@st.composite
def card_numbers(draw) -> str:
    """A Luhn-valid 13-19 digit number: a well-known test card or a random one."""
    if draw(st.booleans()):
        return draw(st.sampled_from(TEST_CARDS))
    length = draw(st.integers(13, 19))
    first = draw(st.sampled_from("3456"))
    rest = draw(st.text("0123456789", min_size=length - 2, max_size=length - 2))
    return _luhn_completed(first + rest)


def _digit_in(script: str, digit: str) -> str:
    base = {"ascii": 0x30, "fullwidth": 0xFF10, "bold": 0x1D7CE, "arabic": 0x660,
            "devanagari": 0x966}[script]
    return chr(base + int(digit))


@st.composite
def written(draw, number: str) -> str:
    """`number` as typed: any grouping, any separators, look-alike digits, zero-width
    characters inside groups, a group in parentheses."""
    script = draw(st.sampled_from(["ascii", "ascii", "ascii", "fullwidth", "bold", "arabic",
                                   "devanagari"]))
    cuts = sorted(draw(st.sets(st.integers(1, len(number) - 1), max_size=6)))
    groups = [number[a:b] for a, b in zip([0, *cuts], [*cuts, len(number)], strict=True)]
    pieces = []
    for index, group in enumerate(groups):
        digits = "".join(_digit_in(script, d) for d in group)
        if draw(st.integers(0, 4)) == 0:
            at = draw(st.integers(1, max(1, len(digits) - 1)))
            digits = digits[:at] + draw(st.sampled_from(ZERO_WIDTH)) + digits[at:]
        if draw(st.integers(0, 6)) == 0:
            digits = f"({digits})"
        if index:
            pieces.append(draw(st.sampled_from(SEPARATORS)))
        pieces.append(digits)
    return "".join(pieces)


def digits_of(text: str) -> str:
    """Every digit of a text, in order, however it was written (any script, full-width,
    mathematical), as 0-9."""
    normal = unicodedata.normalize("NFKC", text)
    return "".join(str(unicodedata.decimal(ch)) for ch in normal
                   if unicodedata.decimal(ch, None) is not None)
