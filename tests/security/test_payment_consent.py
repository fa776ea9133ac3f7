"""A payment is confirmed only by an unconditional yes (issue 13, item 2).

After "Reply YES to pay $50.00", questions, hedges, negations and conditional
yeses were each charging $50. The decision is one pure function
(bot/nlu/consent.py), tested here on a table (the probe's cases and an
independent writer's 70 replies in data/hedges.md) and on generated texts;
test_payment_consent_webhook.py goes through the webhook with localstripe.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.nlu.consent import YES_MARKS, YES_PHRASES, is_unconditional_yes, mentions_yes
from tests.security.hedges import HEDGED, PROBE, UNCONDITIONAL


def test_the_independent_list_is_all_there():
    assert (len(HEDGED), len(UNCONDITIONAL)) == (40, 30)


@pytest.mark.parametrize("text", [
    *PROBE, *HEDGED,
    "yes but...", "yes, if it's 40", "yes when i get paid", "no", "nope", "yes no", "",
    "   ", "yes 🙄", "🤔", "y e s?", "YES!!!?", "not sure", "i don't know", "yes…",
    "ok, wait", "sí pero no", "claro que no", "yes - actually no", "yes (no)",
])
def test_not_an_unconditional_yes(text):
    assert not is_unconditional_yes(text, "Visa")


@pytest.mark.parametrize("text", [
    *UNCONDITIONAL,
    "yes", "YES", "Yes.", "yesss", "ok go ahead", "yes please, charge it", "👍", "👍🏽 yes",
    "sí, adelante", "Sí, cóbrenlo", "that's right", "yes 100%", "k",
])
def test_an_unconditional_yes(text):
    assert is_unconditional_yes(text, "Visa")


def test_only_the_card_the_question_named_may_be_named_back():
    assert is_unconditional_yes("Yes, use the Visa", "Visa")
    assert not is_unconditional_yes("Yes, use the Visa", "Mastercard")


yes_phrases = st.sampled_from(YES_PHRASES)
separators = st.sampled_from([" ", ", ", "! ", ". ", "  "])
HEDGE_WORDS = ["wait", "but", "if", "not", "no", "maybe", "later", "google", "when",
               "tomorrow", "pero", "cuando", "espera", "hmm", "40", "$30", "after"]


@st.composite
def yeses(draw) -> str:
    """One to four yes phrases, in any case, with commas, stops and exclamations."""
    phrases = draw(st.lists(yes_phrases, min_size=1, max_size=4))
    text = "".join(p + draw(separators) for p in phrases).strip()
    return text.upper() if draw(st.booleans()) else text


@given(yeses())
def test_any_sequence_of_yes_phrases_is_a_yes(text):
    assert is_unconditional_yes(text)


@given(yeses(), st.sampled_from(["?", "¿", "...", "…"]), st.integers(0, 200))
def test_a_question_mark_or_a_trailing_off_anywhere_is_never_a_yes(text, mark, at):
    at = at % (len(text) + 1)
    assert not is_unconditional_yes(text[:at] + mark + text[at:])


@given(yeses(), st.sampled_from(HEDGE_WORDS), yeses(), st.booleans())
def test_a_hedge_word_anywhere_is_never_a_yes(before, hedge, after, keep_after):
    text = f"{before} {hedge} {after}" if keep_after else f"{before} {hedge}"
    assert not is_unconditional_yes(text)


@given(st.text(max_size=30))
def test_a_text_with_no_yes_phrase_and_no_yes_mark_is_never_a_yes(text):
    words = re.findall(r"[a-z]+", text.lower())
    if not any(mark in text for mark in YES_MARKS) and not words:
        assert not is_unconditional_yes(text)


@pytest.mark.parametrize(("text", "mixed"), [
    ("not yes", True), ("yeah no", True), ("ok no wait", True), ("si pero no", True),
    ("no", False), ("nope", False), ("no thanks", False), ("cancel it please", False),
])
def test_a_no_that_also_says_yes_is_neither_answer(text, mixed):
    assert mentions_yes(text) is mixed
