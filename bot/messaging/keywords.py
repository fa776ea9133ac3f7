"""Compliance keywords, recognised before any NLU.

The whole message must be the keyword; case, spaces, punctuation and
accents do not matter ("Stop.", "s t o p", "OPT-OUT", "Cancelar").
"""

from __future__ import annotations

import unicodedata

OPT_OUT = "opt_out"
OPT_IN = "opt_in"
HELP = "help"

_OPT_OUT_WORDS = {
    "STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", "REVOKE", "OPTOUT",
    "PARAR", "ALTO", "CANCELAR",
}
_OPT_IN_WORDS = {"START", "UNSTOP"}
# Only after an opt-out does a bare YES mean "text me again".
_OPT_IN_AFTER_OPT_OUT = {"YES", "SI"}
_HELP_WORDS = {"HELP", "INFO", "AYUDA"}
# The self-service page's link (bot/dialogue/account_link.py): not a compliance keyword,
# so it is answered only where the bot answers at all.
_LINK_WORDS = {"LINK", "MENU", "ENLACE"}


def normalise(text: str) -> str:
    """Upper-case letters only, accents removed: " Opt-Out! " -> "OPTOUT"."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    return "".join(ch for ch in decomposed if ch.isalpha() and ch.isascii()).upper()


def classify(text: str, opted_out: bool) -> str | None:
    """OPT_OUT, OPT_IN, HELP, or None when the message is not a keyword."""
    word = normalise(text)
    if word in _OPT_OUT_WORDS:
        return OPT_OUT
    if word in _OPT_IN_WORDS or (opted_out and word in _OPT_IN_AFTER_OPT_OUT):
        return OPT_IN
    if word in _HELP_WORDS:
        return HELP
    return None


def asks_for_link(text: str) -> bool:
    """Whether the whole message is LINK, MENU or ENLACE ("link", "Menú.", ...)."""
    return normalise(text) in _LINK_WORDS
