"""The page's words exist in both languages, with the same blanks to fill."""

from __future__ import annotations

import re

from bot.wording import page_words


def test_english_and_spanish_have_the_same_entries_and_blanks():
    english, spanish = page_words.words("en"), page_words.words("es")
    assert page_words.keys("en") == page_words.keys("es")
    for key in page_words.keys("en"):
        blanks = set(re.findall(r"{(\w+)}", page_words._words("en")[key]))
        assert blanks == set(re.findall(r"{(\w+)}", page_words._words("es")[key])), key
        values = dict.fromkeys(blanks, "x")
        assert english(key, **values) and spanish(key, **values)


def test_an_unknown_language_reads_english():
    assert page_words.words("fr")("balance") == "Balance"
    assert page_words.words("es")("balance") == "Saldo"
