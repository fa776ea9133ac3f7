"""What every text must carry: an opt-out instruction, and for collection
agencies the debt-collector disclosure (Reg F, 12 CFR 1006.6(e) and 1006.18(e)).

A dealer is `first_party` (collects its own loans) or `third_party` (a
collection agency). In third-party mode the sender adds whichever of the two
a text lacks, so no template or staff reply can forget them.
"""

from __future__ import annotations

import re

FIRST_PARTY = "first_party"
THIRD_PARTY = "third_party"
COLLECTOR_MODES = (FIRST_PARTY, THIRD_PARTY)

OPT_OUT_INSTRUCTION = {
    "en": "Reply STOP to opt out.",
    "es": "Responda STOP para no recibir mensajes.",
}
DISCLOSURE = {
    "en": "This is a communication from a debt collector.",
    "es": "Este es un mensaje de un cobrador de deudas.",
}
# The first text an agency sends also says what information will be used for.
INITIAL_DISCLOSURE = {
    "en": "This is a debt collector attempting to collect a debt; any information "
          "obtained will be used for that purpose.",
    "es": "Este es un cobrador de deudas que intenta cobrar una deuda; los datos "
          "obtenidos se usan con ese fin.",
}

# An opt-out instruction names a keyword in capitals (what the keyword handler obeys).
_OPT_OUT = re.compile(r"\b(STOP|STOPALL|UNSUBSCRIBE|CANCEL|END|QUIT|PARAR|ALTO|CANCELAR)\b")
_DISCLOSURE = re.compile(r"debt\s+collector|cobrador\s+de\s+deudas", re.IGNORECASE)


def _language(language: str | None) -> str:
    return language if language in OPT_OUT_INSTRUCTION else "en"


def has_opt_out(text: str) -> bool:
    """Whether a text tells the borrower how to stop texts (a keyword in capitals)."""
    return bool(_OPT_OUT.search(text))


def has_disclosure(text: str) -> bool:
    """Whether a text says it comes from a debt collector (English or Spanish)."""
    return bool(_DISCLOSURE.search(text))


def opt_out_instruction(language: str | None) -> str:
    """"Reply STOP to opt out." in the borrower's language."""
    return OPT_OUT_INSTRUCTION[_language(language)]


def disclosure(language: str | None, initial: bool = False) -> str:
    """The debt-collector disclosure in the borrower's language."""
    table = INITIAL_DISCLOSURE if initial else DISCLOSURE
    return table[_language(language)]


def missing_notices(mode: str, text: str) -> list[str]:
    """What a third-party text lacks: "disclosure" and/or "opt_out" (nothing for first party)."""
    if mode != THIRD_PARTY:
        return []
    missing = []
    if not has_disclosure(text):
        missing.append("disclosure")
    if not has_opt_out(text):
        missing.append("opt_out")
    return missing


def with_required_notices(mode: str, language: str | None, text: str, *,
                          to_consumer: bool = True) -> str:
    """The text as it must go out: in third-party mode, with any missing notice appended.

    `to_consumer` False: the reader said they are not the borrower. "This is a
    debt collector" would tell them there is a debt (FDCPA 805(b)); only the
    opt-out instruction is added.
    """
    missing = missing_notices(mode, text)
    if "disclosure" in missing and to_consumer:
        text = f"{text} {disclosure(language)}"
    if "opt_out" in missing:
        text = f"{text} {opt_out_instruction(language)}"
    return text
