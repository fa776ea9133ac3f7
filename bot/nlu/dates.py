"""Date phrases: find them in a text, and resolve one to the next such date.

``find_dates`` only locates phrases (fast, regex based, used by the NLU
pipeline). ``resolve_date`` turns a phrase into a concrete date on or after
``today``: common SMS phrases ("friday", "the 15th", "12/15", "el viernes",
"fin de mes") are resolved by the rules below, anything else by dateparser
with ``PREFER_DATES_FROM: future`` and ``RELATIVE_BASE``; the result is
never in the past.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re

from bot.nlu.date_patterns import PATTERNS
from bot.nlu.spans import Span, drop_overlapping, memoized
from bot.nlu.text import fold
from bot.nlu.vocab import MONTHS, ORDINALS, SHORT_WEEKDAYS, WEEKDAYS


@memoized
def find_dates(text: str) -> list[Span]:
    """Date phrases in ``text`` (English or Spanish); ``value`` is the phrase text.

    >>> [s.value for s in find_dates("i get paid friday, can i pay on the 15th")]
    ['friday', 'the 15th']
    """
    folded = fold(text)
    spans = []
    for pattern in PATTERNS:
        for match in pattern.finditer(folded):
            start, end = match.span("d")
            phrase = text[start:end]
            spans.append(Span(start, end, phrase, phrase))
    return drop_overlapping(spans)


_LEAD = re.compile(
    r"^(?:(?:on|by|til+|until|before|around|about|no\s+later\s+than|hasta|para|antes\s+del?"
    r"|a|al|for|the|el|la|this\s+coming)\s+)+"
)
_TODAY = re.compile(r"today|tonight|tonite|2day|2nite|now|hoy|esta noche|ahora|ahorita")
_TOMORROW = re.compile(
    r"manana|tomm?or+ow+|tomorow|tmrw|tmrow|tmmrw|tmr|tmw|tmro|2mor+ow|2moro|2mrw"
)
_DAY_AFTER = re.compile(r"(?:day after (?:tomorrow|tmrw|tmr)|pasado manana)")
_NEXT = re.compile(r"\b(?:next|proximo|que viene|siguiente|sig|otro|entrante)\b")
_END_OF_WEEK = re.compile(r"(?:end of (?:the |this )?(?:week|wk)|eow|this (?:week|wk)|esta semana)")
_END_OF_NEXT_WEEK = re.compile(
    r"(?:end of next (?:week|wk)|(?:fin|final) de la (?:proxima|otra) semana)"
)
_WEEKEND = re.compile(r"(?:(?:this |next )?weekend|(?:este )?fin de semana)")
_NEXT_WEEK = re.compile(
    r"(?:next (?:week|wk)|(?:proxima|siguiente|otra) semana|semana (?:que viene|proxima|entrante))"
)
_END_OF_MONTH = re.compile(
    r"(?:end of (?:the |this )?(?:month|mo)|eom|(?:fin|final|fines|finales) del? mes"
    r"|this month|este mes)"
)
_END_OF_NEXT_MONTH = re.compile(
    r"(?:end of next (?:month|mo)|(?:fin|final|fines|finales) del? (?:proximo mes|mes que viene))"
)
_START_OF_MONTH = re.compile(
    r"(?:(?:beginning|start|first) of (?:the |next )?month"
    r"|(?:principio|inicio|comienzo|principios) del? (?:proximo )?mes(?: que viene)?)"
)
_NEXT_MONTH = re.compile(
    r"(?:next month|(?:proximo|siguiente|otro) mes|mes (?:que viene|proximo|entrante))"
)
_RELATIVE = re.compile(
    r"(?:in|within|en|dentro de)?\s*(?P<n>.+?)\s+(?:more |mas )?"
    r"(?P<unit>days?|weeks?|wks?|months?|dias?|semanas?|mes(?:es)?)(?: from (?:now|today))?"
)
_DAY_OF_MONTH = re.compile(
    r"(?:dia )?(?P<day>\d{1,2}|[a-z]+(?:[ -][a-z]+)?)(?:st|nd|rd|th|ro|ero|er|o|vo|to|do|°|º)?"
    r"(?P<of>\s+(?:of|de|del)\s+(?:the\s+|this\s+|este\s+)?(?:month|mes))?"
    r"(?P<next>\s+(?:of|de|del)\s+(?:next|proximo|siguiente)\s+(?:month|mes)"
    r"|\s+del? mes que viene)?"
)
_NUMERIC = re.compile(r"(?P<a>\d{1,2})/(?P<b>\d{1,2})(?:/(?P<y>\d{2}|\d{4}))?")
_ISO = re.compile(r"(?P<y>\d{4})-(?P<m>\d\d)-(?P<d>\d\d)")
_FEW = {
    "a": 1, "an": 1, "one": 1, "un": 1, "una": 1, "a couple": 2, "a couple of": 2,
    "couple": 2, "couple of": 2, "un par de": 2, "a few": 3, "few": 3, "unos": 3, "unas": 3,
}  # fmt: skip


def resolve_date(phrase: str, today: dt.date, language: str | None = None) -> dt.date | None:
    """The next date on or after ``today`` that ``phrase`` names, or None.

    "friday" on a Saturday is next week's Friday, "the 15th" after the 15th is
    next month's 15th, "12/15" after Dec 15 is next year's. ``language`` ("en"
    or "es") picks the day/month order of "5/12" (Spanish: 5 December) and
    dateparser's language; None tries English then Spanish. A phrase naming a
    date that is already past and cannot roll forward (a full date with a
    year) gives None.
    """
    folded = _LEAD.sub("", fold(phrase).strip(" .,!?"))
    folded = re.sub(r"\s+", " ", folded)
    if not folded:
        return None
    for rule in _RULES:
        result = rule(folded, today, language)
        if result is not None:
            return result if result >= today else None
    return _with_dateparser(folded, today, language)


def _relative_words(folded: str, today: dt.date, _lang: str | None) -> dt.date | None:
    """today, tomorrow, next week, end of the month, fin de semana, ..."""
    if _TODAY.fullmatch(folded):
        return today
    if _TOMORROW.fullmatch(folded):
        return today + dt.timedelta(days=1)
    if _DAY_AFTER.fullmatch(folded):
        return today + dt.timedelta(days=2)
    if _END_OF_WEEK.fullmatch(folded):
        return _next_weekday(today, 4, strictly_after=False)
    if _END_OF_NEXT_WEEK.fullmatch(folded):
        return _next_weekday(today, 4, strictly_after=False) + dt.timedelta(days=7)
    if _WEEKEND.fullmatch(folded):
        if today.weekday() == 6:
            return today
        return _next_weekday(today, 5, strictly_after=folded.startswith("next"))
    if _NEXT_WEEK.fullmatch(folded):
        return today + dt.timedelta(days=7)
    if _END_OF_MONTH.fullmatch(folded):
        return today.replace(day=calendar.monthrange(today.year, today.month)[1])
    if _END_OF_NEXT_MONTH.fullmatch(folded):
        month = _add_months(today.replace(day=1), 1)
        return month.replace(day=calendar.monthrange(month.year, month.month)[1])
    if _START_OF_MONTH.fullmatch(folded):
        return today if today.day == 1 else _add_months(today.replace(day=1), 1)
    if _NEXT_MONTH.fullmatch(folded):
        return _add_months(today, 1)
    return None


def _weekday(folded: str, today: dt.date, _lang: str | None) -> dt.date | None:
    """friday, next friday, el viernes, el proximo viernes, viernes que viene."""
    words = set(re.findall(r"[a-z]+", folded))
    days = [WEEKDAYS.get(w, SHORT_WEEKDAYS.get(w)) for w in words]
    days = [d for d in days if d is not None]
    other = words - set(WEEKDAYS) - set(SHORT_WEEKDAYS)
    allowed = {"next", "this", "coming", "este", "esta", "proximo", "que", "viene", "otro",
               "siguiente", "sig", "entrante", "de", "la", "otra", "proxima", "semana"}  # fmt: skip
    if len(days) != 1 or not other <= allowed:
        return None
    return _next_weekday(today, days[0], strictly_after=bool(_NEXT.search(folded)))


def _relative_count(folded: str, today: dt.date, _lang: str | None) -> dt.date | None:
    """in 3 days, in a couple of weeks, en dos semanas, 2 weeks from now."""
    match = _RELATIVE.fullmatch(folded)
    if not match:
        return None
    n = _small_number(match["n"])
    if n is None:
        return None
    unit = match["unit"]
    if unit.startswith(("d",)):
        return today + dt.timedelta(days=n)
    if unit.startswith(("w", "s")):
        return today + dt.timedelta(weeks=n)
    return _add_months(today, n)


def _numeric(folded: str, today: dt.date, lang: str | None) -> dt.date | None:
    """12/15, 12/15/2026, 15/12 (Spanish order, or when the first part is > 12), ISO."""
    iso = _ISO.fullmatch(folded)
    if iso:
        return _safe_date(int(iso["y"]), int(iso["m"]), int(iso["d"])) or dt.date.min
    match = _NUMERIC.fullmatch(folded)
    if not match:
        return None
    a, b = int(match["a"]), int(match["b"])
    month, day = (b, a) if lang == "es" or a > 12 else (a, b)
    if month > 12:
        month, day = day, month
    if match["y"]:
        year = int(match["y"]) + (2000 if len(match["y"]) == 2 else 0)
        return _safe_date(year, month, day) or dt.date.min
    return _roll_year(today, month, day)


def _day_of_month(folded: str, today: dt.date, _lang: str | None) -> dt.date | None:
    """the 15th, 15th, el 15, el dia 15, the first, el primero (del mes que viene)."""
    match = _DAY_OF_MONTH.fullmatch(folded)
    if not match:
        return None
    raw = match["day"]
    day = int(raw) if raw.isdigit() else ORDINALS.get(raw)
    if day is None or not 1 <= day <= 31:
        return None
    start = _add_months(today.replace(day=1), 1) if match["next"] else today.replace(day=1)
    for offset in range(13):
        month_start = _add_months(start, offset)
        last = calendar.monthrange(month_start.year, month_start.month)[1]
        candidate = month_start.replace(day=min(day, last))
        if candidate >= today:
            return candidate
    return None


def _with_dateparser(folded: str, today: dt.date, lang: str | None) -> dt.date | None:
    """Anything else (mostly month names: "dec 1", "15 de diciembre") via dateparser."""
    import dateparser  # slow to import: only when a phrase needs it

    languages = [lang] if lang in ("en", "es") else ["en", "es"]
    base = dt.datetime.combine(today, dt.time(12))
    settings = {"PREFER_DATES_FROM": "future", "RELATIVE_BASE": base,
                "PREFER_DAY_OF_MONTH": "first"}  # fmt: skip
    text = re.sub(r"\b(?:the|of|el|del)\b", " ", folded)
    parsed = dateparser.parse(text, languages=languages, settings=settings)
    if parsed is None:
        return None
    result = parsed.date()
    has_year = re.search(r"\b(?:19|20)\d\d\b", folded)
    if result < today and not has_year and _mentions_month(folded):
        result = _roll_year(today, result.month, result.day)
    return result if result and result >= today else None


_RULES = (_relative_words, _weekday, _relative_count, _numeric, _day_of_month)


def _mentions_month(folded: str) -> bool:
    return any(word in MONTHS for word in re.findall(r"[a-z]+", folded))


def _small_number(words: str) -> int | None:
    """1-99 written as digits, "a", "a couple", "two", "dos", "quince"..."""
    from bot.nlu.numwords import parse_number_word

    words = words.strip()
    if words.isdigit():
        return int(words)
    return _FEW.get(words) or parse_number_word(words)


def _next_weekday(today: dt.date, weekday: int, strictly_after: bool) -> dt.date:
    ahead = (weekday - today.weekday()) % 7
    if ahead == 0 and strictly_after:
        ahead = 7
    return today + dt.timedelta(days=ahead)


def _add_months(day: dt.date, months: int) -> dt.date:
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    last = calendar.monthrange(year, month)[1]
    return day.replace(year=year, month=month, day=min(day.day, last))


def _roll_year(today: dt.date, month: int, day: int) -> dt.date | None:
    for year in (today.year, today.year + 1, today.year + 2, today.year + 3, today.year + 4):
        candidate = _safe_date(year, month, day)
        if candidate and candidate >= today:
            return candidate
    return None


def _safe_date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None
