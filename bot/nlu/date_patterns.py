"""Regular expressions for date phrases in folded English and Spanish text.

Each pattern has a group ``d``: the date phrase itself (articles such as
"the"/"el" included, prepositions such as "on"/"by"/"hasta" left out).
"""

from __future__ import annotations

import re

from bot.nlu.vocab import (
    COUNT_NOUNS,
    CURRENCY_WORDS,
    MONTHS,
    ORDINALS,
    SHORT_WEEKDAYS,
    TIME_UNITS,
    WEEKDAYS,
)


def _alternation(words: object) -> str:
    """Regex alternation of ``words``, longest first so "march" beats "mar"."""
    ordered = sorted(words, key=len, reverse=True)  # type: ignore[arg-type]
    return "(?:" + "|".join(w.replace(" ", r"[\s-]+") for w in ordered) + ")"


DAY = r"(?:[12]\d|3[01]|0?[1-9])"
MONTH = _alternation(MONTHS) + r"\b\.?"
WEEKDAY = _alternation(WEEKDAYS) + r"\b"
SHORT_WEEKDAY = _alternation(SHORT_WEEKDAYS) + r"\b\.?"
ORDINAL_WORD = _alternation(ORDINALS) + r"\b"
EN_SUFFIX = r"(?:st|nd|rd|th)"
ES_SUFFIX = r"(?:ro|ero|er|o|vo|to|do|°|º)"
TOMORROW = (
    r"(?:tomorrow|tomorow|tommorow|tommorrow|tomorroww|tmrw|tmrow|tmmrw|tmr|tmw|tmro"
    r"|2morrow|2morow|2moro|2mrw)"
)
COUNT_WORD = (
    r"(?:\d{1,2}|an?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve"
    r"|a\s+couple(?:\s+of)?|couple(?:\s+of)?|a\s+few|few|un|una|dos|tres|cuatro|cinco"
    r"|seis|siete|ocho|nueve|diez|quince|un\s+par\s+de|unos|unas)"
)
# After a bare "the 15" / "el 15": things that make it money, a count or a time.
NOT_A_DAY = (
    rf"(?!\d|[.,]\d|\s*(?:%|k\b|\$|{CURRENCY_WORDS}\b|{TIME_UNITS}\b|{COUNT_NOUNS}\b"
    r"|am\b|pm\b|a\.m|p\.m|:|/|percent|por\s+ciento|of\s+(?:us|them|you)))"
)
# After an ordinal: "my 1st payment" is not a date.
NOT_AFTER_ORDINAL = (
    r"(?!\s+(?:payments?|pmts?|installments?|time|one|try|car|bill|notice|reminder"
    r"|pagos?|vez|cuota))"
)
OF_MONTH = (
    r"(?:\s+(?:of|de|del)\s+(?:the\s+|this\s+|next\s+|este\s+|proximo\s+)?"
    rf"(?:month|mes|{MONTH}))"
)
YEAR = r"(?:,?\s+(?:de\s+|del\s+)?(?:19|20)\d\d\b)"
NEXT_WORD = r"(?:next|this|the|coming|this\s+coming|the\s+next|the\s+coming|next\s+coming)"
ES_WEEKDAY_PRE = r"(?:el|este|esta|el\s+proximo|proximo|el\s+otro|el\s+siguiente|el\s+sig)"
ES_WEEKDAY_POST = r"(?:que\s+viene|proximo|entrante|de\s+la\s+(?:otra|proxima)\s+semana)"
PREPOSITIONS = r"(?:on|by|til+|until|untill|before|thru|through|no\s+later\s+than|next|this)"

PATTERNS: tuple[re.Pattern[str], ...] = tuple(
    re.compile(p)
    for p in (
        # in 3 days, within a week, en dos semanas, dentro de un mes, 2 weeks from now
        rf"\b(?P<d>(?:in|within|en|dentro\s+de)\s+{COUNT_WORD}\s+(?:more\s+|mas\s+)?"
        r"(?:days?|weeks?|wks?|months?|dias?|semanas?|mes(?:es)?))\b",
        rf"\b(?P<d>{COUNT_WORD}\s+(?:days?|weeks?|months?)\s+from\s+(?:now|today))\b",
        rf"\b(?P<d>(?:the\s+)?day\s+after\s+{TOMORROW}|pasado\s+manana)\b",
        rf"\b(?P<d>today|tonight|tonite|2day|2nite|hoy|esta\s+noche|{TOMORROW})\b",
        r"(?<!la\s)(?<!esta\s)(?<!una\s)(?<!las\s)(?<!cada\s)\b(?P<d>manana)\b",
        rf"(?<!last\s)(?<!past\s)(?<!pasado\s)\b(?P<d>(?:{NEXT_WORD}\s+)?{WEEKDAY})(?!\s+pasado)",
        rf"\b(?:{PREPOSITIONS})\s+(?P<d>(?:(?:next|this)\s+)?{SHORT_WEEKDAY})",
        rf"(?<!pasado\s)\b(?P<d>(?:{ES_WEEKDAY_PRE}\s+)?(?:lunes|martes|miercoles|jueves|viernes"
        rf"|sabado|domingo)(?:\s+{ES_WEEKDAY_POST})?)\b(?!\s+pasado)",
        r"\b(?P<d>(?:the\s+)?end\s+of\s+(?:the\s+|this\s+|next\s+)?(?:week|month|wk|mo)"
        r"|eom|eow|(?:the\s+|this\s+|next\s+)?weekend|(?:next|this)\s+(?:week|month|wk))\b",
        r"\b(?P<d>(?:the\s+)?(?:beginning|start|first)\s+of\s+(?:the\s+|next\s+)?month)\b",
        r"\b(?P<d>(?:la\s+)?(?:proxima|siguiente|otra)\s+semana|(?:la\s+)?semana\s+"
        r"(?:que\s+viene|proxima|entrante)|esta\s+semana|este\s+mes)\b",
        r"\b(?P<d>(?:el\s+)?(?:proximo|siguiente|otro)\s+mes|(?:el\s+)?mes\s+"
        r"(?:que\s+viene|proximo|entrante))\b",
        r"\b(?P<d>(?:el\s+|este\s+)?fin\s+de\s+semana|(?:el\s+)?(?:fin|final|fines|finales)"
        r"\s+del?\s+(?:proximo\s+)?mes(?:\s+que\s+viene)?|(?:el\s+)?(?:principio|inicio|comienzo|principios)\s+del?\s+"
        r"(?:proximo\s+)?mes(?:\s+que\s+viene)?)\b",
        # the 15th of december, 15 de diciembre, el 1 de enero
        rf"\b(?P<d>(?:the\s+|el\s+)?(?:dia\s+)?(?:{DAY}(?:{EN_SUFFIX}|{ES_SUFFIX})?|primero)\s+"
        rf"(?:of\s+|de\s+)?{MONTH}{YEAR}?)",
        # december 1st, dec 1, diciembre 15
        rf"\b(?P<d>{MONTH}\s*(?:the\s+)?{DAY}{EN_SUFFIX}?(?!\d){YEAR}?)\b",
        # 12/15, 12/15/2026, 2026-12-01
        r"(?<![\d/.,$])(?P<d>(?:0?[1-9]|1[0-2]|[12]\d|3[01])/(?:0?[1-9]|[12]\d|3[01])"
        r"(?:/(?:\d{4}|\d{2}))?)(?![\d/]|[.,]\d)",
        r"\b(?P<d>(?:19|20)\d\d-\d\d-\d\d)\b",
        # the 15th, 1st of next month
        rf"\b(?P<d>(?:the\s+)?{DAY}{EN_SUFFIX}{OF_MONTH}?)\b{NOT_AFTER_ORDINAL}",
        # the 15 (on the 15, by the 15)
        rf"\b(?P<d>the\s+{DAY}(?!\d){OF_MONTH}?){NOT_A_DAY}",
        # el 15, el dia 15, el 1ro, dia 15 del mes que viene
        rf"\b(?P<d>(?:el\s+dia|el|dia)\s+{DAY}{ES_SUFFIX}?(?!\d)(?:\s+(?:de|del)\s+"
        r"(?:este\s+|proximo\s+|siguiente\s+)?mes(?:\s+que\s+viene)?)?)"
        rf"{NOT_A_DAY}",
        rf"\b(?P<d>el\s+primero{OF_MONTH}?)\b(?!\s+(?:pago|que|en|vez|lugar|dia))",
        # on the first, by the fifteenth, the first of the month
        rf"\b(?:{PREPOSITIONS})\s+(?P<d>the\s+{ORDINAL_WORD}{OF_MONTH}?)"
        rf"{NOT_AFTER_ORDINAL}",
        rf"\b(?P<d>(?:the\s+)?{ORDINAL_WORD}{OF_MONTH})",
    )
)
