"""Language detection on SMS replies."""

from __future__ import annotations

import pytest

from bot.nlu.language import detect_language

CASES = [
    ("I already paid", "en"),
    ("can i split it in 3", "en"),
    ("whats my balance", "en"),
    ("i lost my job", "en"),
    ("wrong number", "en"),
    ("i get paid friday", "en"),
    ("yes", "en"),
    ("no thanks", "en"),
    ("thx", "en"),
    ("call me", "en"),
    ("thank ya", "en"),
    ("pay 150", "en"),
    ("ya pague", "es"),
    ("ya pagué", "es"),
    ("no debo eso", "es"),
    ("quiero pagar", "es"),
    ("puedo pagar en 3 partes", "es"),
    ("le pago el viernes", "es"),
    ("perdi mi trabajo", "es"),
    ("cuanto debo", "es"),
    ("numero equivocado", "es"),
    ("no gracias", "es"),
    ("sí", "es"),
    ("si", "es"),
    ("dale", "es"),
    ("hola", "es"),
    ("gracias!!", "es"),
    ("ok dale", "es"),
    ("pago 150", "es"),
    ("ok", None),
    ("no", None),
    ("150", None),
    ("👍", None),
    ("y", None),
    ("k", None),
    ("lol", None),
    ("", None),
]


@pytest.mark.parametrize(("text", "language"), CASES)
def test_detect_language(text: str, language: str | None) -> None:
    assert detect_language(text) == language
