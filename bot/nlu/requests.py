"""The other request in a text that asks for two things.

"pay 100 and what do i owe after", "what's my balance and can I split it":
the classifier picks one intent, so the second request is read here,
deterministically, from the words that carry it. The dialogue answers both
(bot/dialogue/second_request.py).
"""

from __future__ import annotations

import re

from bot.nlu.evidence import carries
from bot.nlu.text import fold

BALANCE = "check_balance"
PLAN = "arrange_plan"
PAY = "pay"
CARD = "update_card"

# A question about what is owed (not "pay the balance", which is an amount).
_BALANCE_QUESTION = re.compile(
    r"\bwhat(?:'?s| is| will| would| do| does|'?ll)? ?(?:i |be |my |the )*(?:owe|left|remain"
    r"|balance|due)\b"
    r"|\bhow much (?:do i owe|is left|will be left|would be left|left|remains|i owe|do i have"
    r" left|is my balance|is due|do i still owe)"
    r"|\bbalance (?:after|afterwards|then|left|now)\b|\bmy balance\b|\bbal\b\??"
    r"|\bcu[aá]nto (?:debo|queda|me queda|quedar[ií]a|quedo debiendo|es el saldo|le debo)"
    r"|\bqu[eé] (?:me )?queda\b|\b(?:mi|el) saldo\b|\bsaldo (?:despu[eé]s|restante)\b")
_CARD = re.compile(r"\b(?:new|update|change|different|another) (?:my )?card\b"
                   r"|\bcard (?:expired|is expired|changed)\b"
                   r"|\btarjeta (?:nueva|diferente|vencida)\b|\b(?:cambiar|actualizar) (?:mi |la )?"
                   r"tarjeta\b|\bnueva tarjeta\b")
_PAY_REQUEST = re.compile(r"\b(?:pay|paying|i want to pay|make a payment|charge)\b"
                          r"|\b(?:pagar|quiero pagar|hacer un pago|cobren)\b")


def requests_in(text: str, entities: list[dict] | None = None) -> set[str]:
    """Which of the requests that pair with others a text makes (balance question,
    plan, payment, new card), read from its words."""
    folded = fold(text or "")
    found = set()
    if _BALANCE_QUESTION.search(folded):
        found.add(BALANCE)
    if carries(PLAN, text, [e for e in entities or [] if e.get("entity") == "count"]):
        found.add(PLAN)
    if _PAY_REQUEST.search(folded):
        found.add(PAY)
    if _CARD.search(folded):
        found.add(CARD)
    return found
