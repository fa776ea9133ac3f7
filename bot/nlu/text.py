"""Text folding shared by the parsers: same length, lower case, no accents.

Every parser matches its patterns on ``fold(text)``; because folding never
changes the length, match offsets index the original text too.
"""

from __future__ import annotations

_ACCENTS = str.maketrans(
    {
        "á": "a", "à": "a", "â": "a", "ä": "a",
        "é": "e", "è": "e", "ê": "e", "ë": "e",
        "í": "i", "ì": "i", "î": "i", "ï": "i",
        "ó": "o", "ò": "o", "ô": "o", "ö": "o",
        "ú": "u", "ù": "u", "û": "u", "ü": "u",
        "ñ": "n", "\u2019": "'", "\u2018": "'", "\u00b4": "'", "`": "'",
    }
)  # fmt: skip


def fold(text: str) -> str:
    """Lower-case ``text`` and strip Spanish accents, keeping its exact length."""
    lowered = "".join(ch.lower() if len(ch.lower()) == 1 else ch for ch in text)
    return lowered.translate(_ACCENTS)
