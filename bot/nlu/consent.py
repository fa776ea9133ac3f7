"""Is this message an unconditional "yes"?

A YES moves money, so "Reply YES to pay $50.00" is answered only by a message
made entirely of yes phrases ("yes", "ok go ahead", "yes please, charge it",
"sí, adelante", 👍). Anything else - a question ("sure?", "is that right?"),
a negation ("not yes"), a hedge or a condition ("ok wait", "yes but...",
"yes if it's 40"), a word we do not know ("ok google") - is not a yes, and the
bot asks the question again. The classifier's confidence plays no part: it
said `affirm` for every one of those.

The check is a whitelist, not a list of hedges: a new way of hedging is
refused without anyone having thought of it.
"""

from __future__ import annotations

import re
from functools import cache

from bot.nlu.text import fold

# Every phrase that means yes on its own (folded: lower case, no accents).
# A message is a yes when its words are a sequence of these phrases.
YES_PHRASES = (
    # English
    "y", "yes", "ye", "yea", "yeah", "yep", "yup", "ya", "yas", "yessir", "yes sir",
    "yes maam", "yes ma'am", "ok", "okay", "okey", "oki", "k", "kk", "sure", "for sure",
    "sure thing", "use the card", "use that card", "use my card", "use it",
    "confirm", "confirmed", "i confirm", "correct", "right", "that's right", "thats right",
    "that's correct", "thats correct", "that's fine", "thats fine", "fine", "do it",
    "go ahead", "go for it", "please", "pls", "plz", "please do", "proceed",
    "please proceed", "sounds good", "sounds great", "perfect", "absolutely",
    "definitely", "of course", "agreed", "i agree", "alright", "all right",
    "affirmative", "that works", "works for me", "that works for me", "cool", "bet",
    "you got it", "charge it", "pay it", "yes i do", "uh huh", "mhm", "100%", "thanks",
    "thank you", "great", "i'm ok with that", "im ok with that", "do that",
    # Spanish
    "si", "sip", "simon", "dale", "claro", "claro que si", "esta bien", "correcto",
    "esta correcto", "porfavor", "cobrenme", "cobrenlo", "adelante", "de acuerdo", "va",
    "va que va",
    "sale", "sale pues", "orale", "orale pues", "andale", "por favor", "confirmo",
    "lo confirmo", "confirmalo", "asi es", "perfecto", "bueno", "listo", "senor", "senora",
    "eso", "hagalo", "hazlo", "gracias", "adelante con el pago", "esta bien asi",
    "por supuesto",
)
# Marks that say yes, and the invisible modifiers that may follow an emoji.
YES_MARKS = ("👍", "✅", "👌", "✔", "☑", "💯")
_MODIFIERS = re.compile("[\ufe0f\ufe0e\U0001f3fb-\U0001f3ff]")
# Between phrases: spaces, commas, full stops and exclamation marks; nothing else.
_WORD = re.compile(r"[a-z0-9%']+")
_SEPARATORS = re.compile(r"[\s,.!]*")
_ELLIPSIS = ("...", "…")


def _squeezed(word: str) -> str:
    """ "yesss" -> "yes", "okkk" -> "ok", "siii" -> "si": repeated letters count once."""
    return re.sub(r"(.)\1+", r"\1", word)


@cache
def _phrases(card_brand: str) -> frozenset[tuple[str, ...]]:
    # The card the question named may be named back: "yes, use the Visa".
    brand = fold(card_brand)
    named = [f"use the {brand}", f"use my {brand}", f"the {brand}"] if brand else []
    return frozenset(tuple(_squeezed(w) for w in phrase.split())
                     for phrase in (*YES_PHRASES, *named))


def _all_yes_phrases(words: list[str], card_brand: str) -> bool:
    """Whether the words split into a sequence of yes phrases (dynamic programming)."""
    phrases = _phrases(card_brand)
    longest = max(len(phrase) for phrase in phrases)
    reachable = [True] + [False] * len(words)
    for end in range(1, len(words) + 1):
        reachable[end] = any(
            reachable[start] and tuple(words[start:end]) in phrases
            for start in range(max(0, end - longest), end)
        )
    return reachable[-1]


def is_unconditional_yes(text: str, card_brand: str = "") -> bool:
    """True only when `text` is a yes and nothing else (see the module docstring).

    `card_brand` is the brand of the card the question named ("Visa"), which the
    borrower may name back.
    """
    folded = _MODIFIERS.sub("", fold(text or "")).strip()
    if not folded or "?" in folded or "¿" in folded or any(e in folded for e in _ELLIPSIS):
        return False
    marks = sum(folded.count(mark) for mark in YES_MARKS)
    for mark in YES_MARKS:
        folded = folded.replace(mark, " ")
    if _SEPARATORS.sub("", _WORD.sub("", folded)):
        return False  # any other character: a symbol, an emoji, a dash, a quote
    words = _WORD.findall(folded)
    if not words:
        return marks > 0
    return _all_yes_phrases([_squeezed(word) for word in words], (card_brand or "").strip())


# Words that on their own say yes: a NO that contains one ("not yes", "yeah no") is
# mixed, and the question is asked again rather than taken as either answer.
_YES_WORDS = frozenset({"y", "yes", "yeah", "yep", "yup", "ya", "ok", "okay", "k", "sure",
                        "si", "sip", "dale", "claro", "va"})


def mentions_yes(text: str) -> bool:
    """Whether a message contains a word that on its own means yes."""
    words = _WORD.findall(_MODIFIERS.sub("", fold(text or "")))
    return any(_squeezed(word) in _YES_WORDS for word in words)
