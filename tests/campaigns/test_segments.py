"""Segments and encodings, counted the way carriers count them."""

from __future__ import annotations

import pytest

from bot.wording.segments import count_segments, ucs2_forcing_characters

SPANISH = "Hola Ana, su pago de $250.00 vence mañana. ¿Qué tal? Responda PAGAR."


@pytest.mark.parametrize(("text", "segments", "encoding", "units"), [
    ("a" * 160, 1, "GSM-7", 160),
    ("a" * 161, 2, "GSM-7", 161),
    ("a" * 306, 2, "GSM-7", 306),
    ("a" * 307, 3, "GSM-7", 307),
    # The extension table (€ { } [ ] ~ ^ | \) costs two septets a character.
    ("{" * 80, 1, "GSM-7", 160),
    ("{" * 81, 2, "GSM-7", 162),
    ("Pay €150 [today] ~ thanks^", 1, "GSM-7", 31),
    # An escape pair never straddles two parts: 306 septets, yet three segments.
    ("a" * 152 + "€" + "a" * 152, 3, "GSM-7", 306),
    # é, ñ, ü, ¿ and ¡ are GSM-7; Spanish written with them stays in 160-character segments.
    (SPANISH, 1, "GSM-7", len(SPANISH)),
    # á, í, ó, ú are not: one of them makes the whole text UCS-2.
    ("Su pago venció", 1, "UCS-2", 14),
    ("a" * 70 + "ó", 2, "UCS-2", 71),
    ("a" * 134 + "ú", 3, "UCS-2", 135),
    # Emoji are two UTF-16 units, and a pair is never split between parts.
    ("😀", 1, "UCS-2", 2),
    ("😀" * 35, 1, "UCS-2", 70),
    ("😀" * 36, 2, "UCS-2", 72),
    ("a" * 66 + "😀" + "a" * 66, 3, "UCS-2", 134),
    # A curly apostrophe pasted from a word processor: UCS-2 for the whole text.
    ("It\u2019s due today", 1, "UCS-2", 14),
    ("a" * 100 + "\u2019", 2, "UCS-2", 101),
])
def test_segments_as_carriers_count_them(text, segments, encoding, units):
    info = count_segments(text)
    assert (info.segments, info.encoding, info.units) == (segments, encoding, units)


def test_the_characters_that_force_ucs2_are_named_once_each():
    curly = "\u201cPay\u201d now \u2014 it\u2019s \u201cdue\u201d"
    assert ucs2_forcing_characters(curly) == ["\u201c", "\u201d", "\u2014", "\u2019"]
    assert ucs2_forcing_characters(SPANISH) == []
