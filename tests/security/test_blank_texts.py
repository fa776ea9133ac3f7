"""A text with no words (a picture-only MMS, a blank, a NUL) is answered, not an error
(issue 13, item 8)."""

from __future__ import annotations

import logging

import pytest

from tests.support.sms import signed_headers, sms_form, twiml_messages


def send(world, body: str, media: int = 0) -> list[str]:
    form = sms_form(world.phone.number, body)
    form["NumMedia"] = str(media)
    if media:
        form["MediaUrl0"] = "https://api.twilio.com/2010-04-01/Accounts/AC/Messages/MM/Media/ME"
        form["MediaContentType0"] = "image/jpeg"
    response = world.client.post("/twilio/sms", data=form,
                                 headers=signed_headers("/twilio/sms", form))
    assert response.status_code == 200
    return twiml_messages(response.data)


@pytest.fixture
def dana(make_world, client):
    def build(language: str = "en"):
        world = make_world(language=language)
        world.client = client
        return world
    return build


@pytest.mark.parametrize(("body", "media"), [("", 1), ("", 0), ("   \n\t ", 0), ("\x00", 0),
                                             ("\x00\x00 ", 2)])
@pytest.mark.parametrize(("language", "expected"), [("en", "I can only read text"),
                                                    ("es", "Solo puedo leer texto")])
def test_a_text_with_no_words_is_told_only_text_is_read(dana, caplog, body, media, language,
                                                       expected):
    caplog.set_level(logging.INFO)
    replies = send(dana(language), body, media)
    assert len(replies) == 1 and expected in replies[0]
    assert "went wrong" not in replies[0] and "algo fall" not in replies[0]
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


def test_a_picture_with_words_is_answered_as_usual(dana):
    replies = send(dana(), "what's my balance", media=1)
    assert "$1,200.00" in " ".join(replies)
