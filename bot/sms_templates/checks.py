"""Advice on a message before it goes out: segments, encoding and warnings.

Carriers bill and deliver per segment and filter texts with link shorteners;
a curly quote pasted from a word processor silently halves the characters a
segment holds; a text without an opt-out instruction invites complaints.
"""

from __future__ import annotations

import re
from typing import Any

from bot.wording import compliance
from bot.wording.segments import UCS2_LOOKALIKES, count_segments, ucs2_forcing_characters

MAX_SEGMENTS = 2
LINK_SHORTENERS = ("bit.ly", "tinyurl.com", "goo.gl", "ow.ly", "t.co", "is.gd", "buff.ly",
                   "rebrand.ly", "cutt.ly", "shorturl.at", "tiny.cc", "rb.gy", "t.ly", "s.id",
                   "lnkd.in", "bl.ink", "short.io", "tiny.one")
_SHORTENER = re.compile(
    r"(?<![\w.-])(?:https?://)?(?:www\.)?(" + "|".join(re.escape(d) for d in LINK_SHORTENERS)
    + r")(?:/|\b)", re.IGNORECASE)


def _shortener_warning(text: str) -> str | None:
    match = _SHORTENER.search(text)
    if match is None:
        return None
    return (f"link shortener {match.group(1).lower()}: carriers filter texts with shortened "
            "links; use your own full domain")


def _lookalike_warning(text: str) -> str | None:
    forcing = [c for c in ucs2_forcing_characters(text) if c in UCS2_LOOKALIKES]
    if not forcing:
        return None
    shown = ", ".join(f"{c!r} (use {UCS2_LOOKALIKES[c]!r})" for c in forcing)
    return (f"{shown} silently switch(es) the text to UCS-2, which holds 70 characters a "
            "segment instead of 160")


# Words that opt a number out (Twilio and our keyword handler agree). Asking a
# borrower to "reply CANCEL" to cancel a payment would end all texts instead.
_OPT_OUT_PROMPT = re.compile(
    r"\b(?:reply|text|send|responda|env[ií]e)\s+(?:with\s+)?[\"']?"
    r"(CANCEL|END|QUIT|STOPALL|UNSUBSCRIBE|REVOKE|OPTOUT|CANCELAR|PARAR|ALTO)\b",
    re.IGNORECASE)


def _opt_out_prompt_warning(text: str) -> str | None:
    match = _OPT_OUT_PROMPT.search(text)
    if match is None:
        return None
    word = match.group(1).upper()
    return (f"asks for the reply {word}, which opts the number out of every text (carriers "
            f"treat it like STOP); ask for NO instead")


def message_warnings(mode: str, text: str, written: str | None = None) -> list[str]:
    """Warnings for a text as sent; `written` is the dealer's text before required notices."""
    written = text if written is None else written
    warnings = []
    if mode == compliance.THIRD_PARTY:
        if not compliance.has_disclosure(written):
            warnings.append("no debt-collector disclosure: as a collection agency every text "
                            "must carry it, so it will be added at the end")
        if not compliance.has_opt_out(written):
            warnings.append("no opt-out instruction: as a collection agency every text must "
                            "say how to stop texts (e.g. Reply STOP to opt out), so it will "
                            "be added at the end")
    elif not compliance.has_opt_out(written):
        warnings.append("no opt-out instruction (e.g. Reply STOP to opt out)")
    info = count_segments(text)
    if info.segments > MAX_SEGMENTS:
        warnings.append(f"{info.segments} segments: texts over {MAX_SEGMENTS} segments cost "
                        "more and may arrive out of order")
    for warning in (_shortener_warning(text), _lookalike_warning(text),
                    _opt_out_prompt_warning(text)):
        if warning:
            warnings.append(warning)
    return warnings


def compliance_problems(mode: str, text: str) -> list[str]:
    """What keeps a text out of a reminder experiment: no way to opt out (a collection
    agency's texts get one added, so only a first-party text can lack it), a reply word
    that would opt the borrower out, or a link shortener that carriers filter."""
    problems = []
    if mode != compliance.THIRD_PARTY and not compliance.has_opt_out(text):
        problems.append("no opt-out instruction (e.g. Reply STOP to opt out)")
    for problem in (_shortener_warning(text), _opt_out_prompt_warning(text)):
        if problem:
            problems.append(problem)
    return problems


def preview_result(mode: str, text: str, written: str | None = None) -> dict[str, Any]:
    """`{"text", "segments", "encoding", "warnings"}` for a text as it will be sent."""
    info = count_segments(text)
    return {"text": text, "segments": info.segments, "encoding": info.encoding,
            "warnings": message_warnings(mode, text, written)}
