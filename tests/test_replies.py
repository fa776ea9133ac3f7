"""Every text the bot can send: both languages, short, and never a risky keyword."""

from __future__ import annotations

import re
import string

import pytest

from bot.messaging import keywords
from bot.wording.catalog import keys, reply
from bot.wording.segments import count_segments

# Long but realistic values, so the segment check is a worst case.
SAMPLE = {
    "amount": "$10,000.00", "balance": "$25,000.00", "amount_due": "$10,000.00",
    "minimum": "$100.00", "total": "$10,000.00", "reference": "LN-2026-000123",
    "card": "Mastercard ending 4444", "brand": "Mastercard", "last4": "4444",
    "first_name": "Guadalupe", "dealer": "Sunrise Auto Sales of Texas",
    "contact": "+15550100001", "link": "https://pay.example.com/secure/card/"
    "eyJuIjoiM2E5ZmQ2YjE4YjJmNDQ2NGE5NTNlMzk2NmJmMjUzZDMifQ.Zk4c1xVw0Vn1bqKj1Qk2fQ2l1Ac",
    "confirmation": "TP001234", "due_date": "September 30", "date": "September 30",
    "was": "September 16", "rest": "$1,250.00", "rest_date": "October 14", "left": "$9,000.00",
    "dates": "Sep 2, Sep 16 and Sep 30", "count": 4, "days": 60, "max": 4,
    "frequencies": "weekly, every-two-weeks or monthly",
    "when": "after we open Wednesday at 9:00 AM",
    "schedule": "4 payments of $2,500.00 on Sep 2, Sep 16, Sep 30 and Oct 14",
    "topic": "the due date and grace period", "payer": "Guadalupe Hernandez-Villanueva",
    # Contact preferences: the longest confirmation, all four at once.
    "start": "10:30 am", "end": "12:30 pm", "hour": 10, "name": "Spanish",
    "window": "we'll only text you between 10:30 am and 12:30 pm",
    "what": "we'll only text you between 10:30 am and 12:30 pm, and not on Mondays, "
            "Wednesdays or Sundays, and we'll write to you in Spanish, and we won't send "
            "reminders until September 30",
    "topics": "the due date and grace period, the late fee, a reward for paying on time, "
              "credit reporting, the ways to pay and our hours",
}


def fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


@pytest.mark.parametrize("language", ["en", "es"])
def test_every_reply_fits_two_segments(language):
    too_long = {}
    for key in keys(language):
        text = reply(key, language, **SAMPLE)
        info = count_segments(text)
        if info.segments > 2:
            too_long[key] = (info.segments, info.encoding)
    assert too_long == {}


def test_both_languages_have_the_same_replies():
    assert keys("en") == keys("es")


@pytest.mark.parametrize("language", ["en", "es"])
def test_no_prompt_asks_for_a_reply_that_opts_out(language):
    """CANCEL and END opt a number out, so no text may ask for them as a reply."""
    for key in keys(language):
        text = reply(key, language, **SAMPLE)
        for word in re.findall(r"\b(?:reply|responda|text|send)\s+([A-Z]{2,})\b", text, re.I):
            if word.isupper():
                assert keywords.classify(word, opted_out=False) != keywords.OPT_OUT or \
                    word == "STOP", f"{key} asks for {word}"


@pytest.mark.parametrize(("text", "opted_out", "expected"), [
    ("STOP", False, keywords.OPT_OUT),
    ("stop", False, keywords.OPT_OUT),
    (" Stop. ", False, keywords.OPT_OUT),
    ("S T O P", False, keywords.OPT_OUT),
    ("stop all", False, keywords.OPT_OUT),
    ("Unsubscribe!", False, keywords.OPT_OUT),
    ("cancel", False, keywords.OPT_OUT),
    ("END", False, keywords.OPT_OUT),
    ("quit", False, keywords.OPT_OUT),
    ("revoke", False, keywords.OPT_OUT),
    ("opt-out", False, keywords.OPT_OUT),
    ("OPT OUT", False, keywords.OPT_OUT),
    ("parar", False, keywords.OPT_OUT),
    ("Alto", False, keywords.OPT_OUT),
    ("Cancelar", False, keywords.OPT_OUT),
    ("start", True, keywords.OPT_IN),
    ("UNSTOP", True, keywords.OPT_IN),
    ("yes", True, keywords.OPT_IN),
    ("yes", False, None),  # YES only re-subscribes after an opt-out
    ("help", False, keywords.HELP),
    ("INFO", False, keywords.HELP),
    ("ayuda", False, keywords.HELP),
    ("stop texting me", False, None),  # natural language goes to NLU (opt_out intent)
    ("please stop", False, None),
    ("don't stop", False, None),
    ("pay 50", False, None),
])
def test_keywords_are_whole_message_and_forgiving(text, opted_out, expected):
    assert keywords.classify(text, opted_out) == expected


def test_replies_fill_every_field_they_name():
    for language in ("en", "es"):
        for key in keys(language):
            assert "{" not in reply(key, language, **SAMPLE), key
