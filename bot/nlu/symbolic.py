"""Symbolic amounts: "half", the whole "balance", or the "amount_due".

Some phrases are amounts wherever they appear ("the full balance", "la
mitad", "amount due"); vaguer ones ("everything", "it all", "todo", "my
payment") only right after a paying verb ("pay it all", "pagar todo", "make
my payment") or when they are the whole message ("todo").
"""

from __future__ import annotations

import re

from bot.nlu.spans import Span, drop_overlapping
from bot.nlu.text import fold
from bot.nlu.vocab import PAY_VERBS

HALF = "half"
BALANCE = "balance"
AMOUNT_DUE = "amount_due"
# An amount no one can be charged: zero, negative, sub-cent, absurdly large, or
# "50.999" (sub-cent, or thousands we will not guess at). The bot asks "how much?".
INVALID = "invalid"

_OBJECT = r"(?:car|truck|loan|balance|bal|account|acct|debt|note|vehicle)"
_PAYMENT = r"(?:payment|pmt|pymt|pymnt|paymt|installment|amount|amt|bill|note)"

_ALWAYS: tuple[tuple[str, str], ...] = (
    (HALF, r"\bhalf\b(?!\s+(?:past|an?\s+hour|hour|hr|day|the\s+time|of\s+(?:the\s+)?"
     r"(?:day|week|month|year|us|them)|way))"),
    (HALF, r"\b(?:la\s+)?mitad\b(?!\s+del?\s+(?:mes|semana|ano|camino))"),
    (BALANCE, r"\b(?:the\s+|my\s+|ur\s+|your\s+|el\s+)?(?:full|whole|entire|total|complete"
     rf"|remaining|outstanding|rest\s+of\s+(?:the|my))\s+(?:{_OBJECT}|amount|amt|payoff|sum"
     r"|thing|enchilada|owed)\b"),
    (BALANCE, r"\b(?:(?:the|my)\s+(?:balance|bal)\s+)?in\s+full\b"),
    (BALANCE, rf"\bpay(?:ing)?\s+(?:it|this|that|(?:the|my)\s+{_OBJECT}|everything|(?:it\s+)?all)"
     rf"\s+off\b|\bpay(?:ing)?\s+off\s+(?:the|my)\s+{_OBJECT}\b|\bpay-?off\b"),
    (BALANCE, r"\b(?:all|everything|todo)\s+(?:that\s+)?(?:i|lo\s+que(?:\s+le)?)\s+(?:owe|debo)"
     r"(?!\s+(?:this|for\s+this|este|del)\s+mes)\b"),
    (BALANCE, r"\ball\s+of\s+it\b|\bthe\s+whole\s+(?:thing|amount|balance)\b"),
    (BALANCE, r"\b(?:el\s+)?saldo\s+(?:completo|total|entero)\b|\btodo\s+el\s+(?:saldo|prestamo"
     r"|balance|monto|adeudo)\b|\btoda\s+la\s+deuda\b|\bla\s+deuda\s+completa\b"
     r"|\bel\s+total\b|\b(?:liquidar|saldar)(?:lo|la)?\b"),
    (AMOUNT_DUE, r"\b(?:the\s+)?amount\s+(?:due|owed\s+this\s+month)\b|\bwhat'?\s?i?s\s+due\b"
     r"|\bwhats\s+due\b"),
    (AMOUNT_DUE, r"\b(?:the\s+|my\s+|ur\s+|your\s+)?(?:monthly|regular|normal|usual|minimum|min"
     rf"|this\s+month'?s?)\s+{_PAYMENT}\b|\bthe\s+(?:minimum|min|usual)\b"),
    (AMOUNT_DUE, r"\bwhat\s+i\s+owe\s+(?:this|for\s+this|for\s+the)\s+month\b"
     rf"|\b(?:the\s+|my\s+)?(?:past[\s-]+due|overdue|late)\s+(?:{_PAYMENT}|balance)\b"),
    (AMOUNT_DUE, r"\blo\s+que\s+(?:le\s+)?debo\s+(?:este|del|de\s+este)\s+mes\b|\blo\s+del\s+mes\b"
     r"|\b(?:el|mi)\s+pago\s+(?:del\s+mes|de\s+este\s+mes|mensual|minimo)\b"
     r"|\b(?:la|mi)\s+mensualidad\b|\b(?:el|lo)\s+minimo\b|\blo\s+que\s+(?:se\s+)?vence\b"
     r"|\b(?:la|mi)\s+cuota(?:\s+del\s+mes)?\b|\blo\s+que\s+toca(?:\s+este\s+mes)?\b"),
)

_AFTER_PAY_VERB: tuple[tuple[str, str], ...] = (
    (BALANCE, r"(?<!at\s)(?<!not\s)\b(?:everything|it\s+all|all|todo|the\s+rest|el\s+resto"
     r"|todo\s+completo|completo|lo\s+completo|todito)\b"
     r"(?!\s+(?:right|good|set|fine|ok|okay|bien)\b)"),
    (AMOUNT_DUE, rf"\b(?:the|my|this|next|this\s+month'?s?)\s+{_PAYMENT}\b|\b(?:el|mi)\s+pago\b"),
    (AMOUNT_DUE, r"\bwhat\s+i\s+owe\b|\blo\s+que\s+(?:le\s+)?debo\b"),
)
_FILLERS = {"just", "ok", "okay", "yes", "yeah", "si", "pls", "please", "por", "favor", "then",
            "i", "want", "to", "the", "lo", "de", "una", "vez", "can", "u", "you"}  # fmt: skip

_ALWAYS_RE = tuple((value, re.compile(p)) for value, p in _ALWAYS)
_AFTER_PAY_VERB_RE = tuple((value, re.compile(p)) for value, p in _AFTER_PAY_VERB)


def find_symbolic_amounts(text: str) -> list[Span]:
    """Spans whose value is "half", "balance" or "amount_due".

    >>> [s.value for s in find_symbolic_amounts("pay it all")]
    ['balance']
    """
    folded = fold(text)
    spans = []
    for value, pattern in _ALWAYS_RE:
        spans += [_span(text, match, value) for match in pattern.finditer(folded)]
    for value, pattern in _AFTER_PAY_VERB_RE:
        for match in pattern.finditer(folded):
            if _after_pay_verb(folded, match.start()) or _is_whole_message(folded, match):
                spans.append(_span(text, match, value))
    return drop_overlapping(spans)


def _span(text: str, match: re.Match[str], value: str) -> Span:
    start, end = match.span()
    return Span(start, end, text[start:end], value)


def _after_pay_verb(folded: str, position: int, window: int = 3) -> bool:
    words = re.findall(r"[a-z]+", folded[:position])[-window:]
    return any(word in PAY_VERBS for word in words)


def _is_whole_message(folded: str, match: re.Match[str]) -> bool:
    """True when nothing but filler words surround the match ("todo", "all of it pls")."""
    rest = folded[: match.start()] + " " + folded[match.end() :]
    return set(re.findall(r"[a-z]+", rest)) <= _FILLERS
