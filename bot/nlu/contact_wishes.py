"""What a borrower asks about being texted, read from their words (English or Spanish):
"text me after 6", "no texts on weekends", "only in spanish", "pause reminders until the
15th", "solo en español", "no me manden mensajes los domingos".

`read_wish` finds a window (after/before/between a time, mornings, evenings), weekdays
to avoid (named with "no"/"not"/"except", or the complement of "only weekdays"), a
language, and a pause (until a date, or for some days or weeks); what it cannot tell
— "after 9" could be morning or night — is left for the bot to ask. It changes nothing:
bot/dialogue/preference_flow.py acts on the wish through bot/contact_preferences.py.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from difflib import get_close_matches

from bot.nlu.dates import find_dates, resolve_date
from bot.nlu.numwords import parse_number_word
from bot.nlu.text import fold
from bot.nlu.vocab import WEEKDAYS

WEEKEND = frozenset({5, 6})
WEEKDAYS_ONLY = frozenset(range(5))
ALL_DAYS = frozenset(range(7))


@dataclass(frozen=True)
class Wish:
    """What a text asks for; None: not mentioned. `avoid_days` empty set: any day again."""

    window_start: dt.time | None = None
    window_end: dt.time | None = None
    any_time: bool = False  # "any time is fine": the window goes
    avoid_days: frozenset[int] | None = None
    language: str | None = None
    pause_until: dt.date | None = None
    resume: bool = False  # "you can send reminders again": the pause goes
    unclear_hour: int | None = None  # "after 9": 9 am or 9 pm? (asked, nothing changes)

    @property
    def understood(self) -> bool:
        """Whether the text says something the bot can act on."""
        return self.unclear_hour is None and any((
            self.window_start, self.window_end, self.any_time, self.avoid_days is not None,
            self.language, self.pause_until, self.resume))


# A clause: what one "no" or "only" governs ("after 6, and not on weekends").
_CLAUSE_BREAK = re.compile(r"[,.;!?\n]|\b(?:and|but|y|pero|also|tambien|plus)\b")
_NEGATION = re.compile(
    r"\b(?:no|not|dont|don'?t|do not|never|nothing|none|except|excepto|menos|nunca|nada"
    r"|ningun\w*|avoid|stop|without|sin|nor|ni)\b|n't\b")
_ONLY = re.compile(r"\b(?:only|just|solo|solamente|nomas|unicamente|exclusively)\b")

_MARK_WORDS = (r"a\.?m\.?|p\.?m\.?|in the (?:morning|evening|afternoon)|at night"
               r"|(?:de|en|por) la (?:manana|tarde|noche)|am|pm|a|p")
_HOUR = r"(?P<h{n}>\d{{1,2}}|[a-z]+)(?::(?P<m{n}>\d\d))?(?!\s*(?:st|nd|rd|th)\b)"
_AFTER = (r"(?:after|aftr|afer|atfer|past|later than|not before|no earlier than|despues de"
          r"|a partir de|desde)")
_BEFORE = r"(?:before|befor|bfore|b4|not after|no later than|earlier than|antes de|hasta)"
_LAS = r"(?:\s+(?:las?|la una))?"


def _time(n: int) -> str:
    """An hour (digits or words), minutes, and am/pm or "de la tarde", as groups h/m/mark<n>."""
    return (_LAS + r"\s+" + _HOUR.format(n=n)
            + rf"\s*(?P<mark{n}>(?:{_MARK_WORDS})\b)?")


_BETWEEN = re.compile(r"\b(?:between|from|entre|de)" + _time(1)
                      + r"\s*(?:and|to|till|until|-|y|a|hasta)" + _time(2))
# "after work like 7ish": the end of a working day, then the words people put
# before a rough hour. "After work" makes an hour of 8 to 11 the evening; with
# no hour at all it is not a window (when does their work end?): the bot asks.
_WORKDAY = (r"(?P<work>\s+(?:work|my shift|school|class|el trabajo|del trabajo"
            r"|mi turno|salir del trabajo))?")
_ROUGHLY = r"(?:\s*,?\s+(?:like|around|about|approx\w*|at|maybe|como a|como|tipo))?"
_AFTER_TIME = re.compile(r"\b" + _AFTER + _WORKDAY + _ROUGHLY + _time(1))
_BEFORE_TIME = re.compile(r"\b" + _BEFORE + _ROUGHLY + _time(1))
# Parts of the day: (start, end) inside the legal hours.
_PARTS = (
    (re.compile(r"\b(?:mornings?|(?:en|por) las? mananas?|in the am)\b"), (8, 12)),
    (re.compile(r"\b(?:afternoons?|(?:en|por) las? tardes?)\b"), (12, 18)),
    (re.compile(r"\b(?:evenings?|nights?|(?:en|por) las? noches?)\b"), (17, 21)),
)
_PM = re.compile(r"p|pm|p\.m\.?|.*(?:evening|afternoon|night|tarde|noche)")
_AM = re.compile(r"a|am|a\.m\.?|.*manana|.*morning")
_ANY_TIME = re.compile(r"\b(?:any ?time|whenever|any hour|a cualquier hora|cuando sea"
                       r"|a toda hora)\b")

_SPANISH = re.compile(r"\b(?:spanish|spansih|spanis|espanish|espanol|espaol|castellano)\b")
_ENGLISH = re.compile(r"\b(?:english|englsh|inglish|ingles|engles)\b")

_DAY_WORDS = {**{name: frozenset({day}) for name, day in WEEKDAYS.items()},
              "weekend": WEEKEND, "weekday": WEEKDAYS_ONLY, "sat": frozenset({5}),
              "sun": frozenset({6}), "sab": frozenset({5}), "dom": frozenset({6})}
_DAY_PHRASES = (
    (re.compile(r"\bfin(?:es)? de semana\b"), WEEKEND),
    (re.compile(r"\b(?:entre semana|dias? de semana|dias? habiles|dias? laborales)\b"),
     WEEKDAYS_ONLY),
    (re.compile(r"\bweek ?ends?\b"), WEEKEND),
)
_TOKEN = re.compile(r"[a-z]+")

_PAUSE = re.compile(r"\b(?:paus\w*|hold (?:off|on)|wait|espera\w*|until|till|til|untill"
                    r"|hasta|no (?:more )?reminders?|stop (?:the )?reminders?"
                    r"|dont remind|don'?t remind|sin recordatorios|break)\b")
_FOR_SPAN = re.compile(r"\b(?:for|por|durante)\s+(?P<n>\d{1,2}|a|an|one|two|three|four|un|una"
                       r"|dos|tres|cuatro|a couple of|un par de)\s+(?P<unit>days?|weeks?"
                       r"|months?|dias?|semanas?|mes(?:es)?)\b")
_RESUME = re.compile(r"\b(?:resume|unpause|start (?:the )?reminders (?:again|back)"
                     r"|send (?:the )?reminders again|reanud\w*|ya pueden (?:mandar|enviar))\b")


def _clauses(folded: str) -> list[tuple[int, int]]:
    spans, start = [], 0
    for match in _CLAUSE_BREAK.finditer(folded):
        spans.append((start, match.start()))
        start = match.end()
    spans.append((start, len(folded)))
    return spans


def clauses(text: str) -> list[str]:
    """The parts of a text one "no" or "only" governs ("after 6" / "not on weekends")."""
    return [text[start:end] for start, end in _clauses(fold(text))]


def _clause_of(folded: str, position: int) -> str:
    for start, end in _clauses(folded):
        if start <= position <= end:
            return folded[start:end]
    return folded


def _negated(folded: str, position: int) -> bool:
    clause = _clause_of(folded, position)
    return bool(_NEGATION.search(clause)) and not _ONLY.search(clause)


def _hour_value(word: str) -> int | None:
    if word.isdigit():
        return int(word)
    if word in ("noon", "mediodia"):
        return 12
    if word in ("una",):
        return 1
    return parse_number_word(word)


def _clock(hour_word: str | None, minute: str | None, mark: str | None,
           default_mark: str | None = None) -> dt.time | int | None:
    """The time named, None if not a time, or the hour when am/pm cannot be told."""
    if hour_word is None:
        return None
    hour = _hour_value(hour_word)
    if hour is None or hour > 23 or (minute and int(minute) > 59):
        return None
    minutes = int(minute or 0)
    mark = (mark or default_mark or "").strip()
    if hour >= 13 or hour == 0:
        return dt.time(hour, minutes)
    if mark and _PM.fullmatch(mark):
        return dt.time(hour % 12 + 12, minutes)
    if mark and _AM.fullmatch(mark):
        return dt.time(hour % 12, minutes)
    if hour == 12:
        return dt.time(12, minutes)
    if hour <= 7:  # nobody is texted at 6 in the morning: "after 6" is the evening
        return dt.time(hour + 12, minutes)
    return hour  # 8 to 11: morning or night?


def _window(folded: str) -> tuple[dt.time | None, dt.time | None, int | None]:
    """(start, end, unclear hour) of a time window in the text."""
    for match in _BETWEEN.finditer(folded):
        mark2 = match["mark2"]
        first = _clock(match["h1"], match["m1"], match["mark1"], mark2)
        second = _clock(match["h2"], match["m2"], mark2)
        if isinstance(first, dt.time) and isinstance(second, dt.time):
            return first, second, None
        if first is not None and second is not None:
            return None, None, first if isinstance(first, int) else second
    start = end = unclear = None
    for pattern, is_after in ((_AFTER_TIME, True), (_BEFORE_TIME, False)):
        for found in pattern.finditer(folded):
            after_work = "pm" if found.groupdict().get("work") else None
            value = _clock(found["h1"], found["m1"], found["mark1"], after_work)
            if value is None:
                continue
            if isinstance(value, int):
                unclear = value
                continue
            if is_after != _negated(folded, found.start()):  # "don't text after 6": before
                start = value
            else:
                end = value
    if start is None and end is None and unclear is None:
        for pattern, (first, last) in _PARTS:
            if pattern.search(folded) and not _negated(folded, pattern.search(folded).start()):
                return dt.time(first), dt.time(last), None
    return start, end, unclear


def _day_mentions(folded: str,
                  skip: tuple[int, int] | None) -> list[tuple[int, int, frozenset]]:
    found: list[tuple[int, int, frozenset]] = []
    taken: list[tuple[int, int]] = [skip] if skip else []
    for pattern, days in _DAY_PHRASES:
        for match in pattern.finditer(folded):
            if not any(a <= match.start() < b for a, b in taken):
                found.append((match.start(), match.end(), days))
                taken.append(match.span())
    for match in _TOKEN.finditer(folded):
        if any(a <= match.start() < b for a, b in taken):
            continue
        word = match.group()
        base = word[:-1] if word.endswith("s") and word[:-1] in _DAY_WORDS else word
        if base not in _DAY_WORDS and len(word) >= 6:  # "saturdys", "domigos": typos
            close = get_close_matches(base, [w for w in _DAY_WORDS if len(w) >= 6], 1, 0.8)
            base = close[0] if close else base
        if base in _DAY_WORDS and (len(base) > 3 or _short_day_ok(folded, match.start())):
            found.append((match.start(), match.end(), _DAY_WORDS[base]))
    return _ranges(folded, sorted(found, key=lambda mention: mention[0]))


_RANGE = re.compile(r"\s*(?:through|thru|to|till|until|-|a|al|hasta)\s*")


def _ranges(folded: str, mentions: list[tuple[int, int, frozenset]]
            ) -> list[tuple[int, int, frozenset]]:
    """"monday through friday" / "de lunes a viernes": every day from one to the other."""
    merged: list[tuple[int, int, frozenset]] = []
    for start, end, days in mentions:
        if merged and len(days) == 1 and len(merged[-1][2]) == 1 \
                and _RANGE.fullmatch(folded[merged[-1][1]:start]):
            first, last = min(merged[-1][2]), min(days)
            span = frozenset((first + step) % 7 for step in range((last - first) % 7 + 1))
            merged[-1] = (merged[-1][0], end, span)
        else:
            merged.append((start, end, days))
    return merged


def _short_day_ok(folded: str, position: int) -> bool:
    """"sat"/"sun" are days only after "on"/"no"/"or"/"," ("not on sat or sun")."""
    return bool(re.search(r"(?:\bon|\bno|\bor|\bni|\by|,|\band)\s*$", folded[:position]))


def _avoid_days(folded: str, skip: tuple[int, int] | None) -> frozenset[int] | None:
    avoid: set[int] = set()
    allowed: set[int] = set()
    for position, _end, days in _day_mentions(folded, skip):
        clause = _clause_of(folded, position)
        if _ONLY.search(clause):
            allowed |= days
        elif _NEGATION.search(clause):
            avoid |= days
    if not avoid and not allowed:
        return None
    if allowed:
        avoid |= ALL_DAYS - allowed
    return frozenset(avoid)


def _language(folded: str) -> str | None:
    spanish, english = _SPANISH.search(folded), _ENGLISH.search(folded)
    if spanish and english:  # "not in english, in spanish": the one not refused
        keep = [lang for lang, m in (("es", spanish), ("en", english))
                if not _negated(folded, m.start())]
        return keep[0] if len(keep) == 1 else None
    if spanish:
        return "es"
    if english:
        return "en"
    return None


def _amount_of(word: str) -> int | None:
    few = {"a": 1, "an": 1, "one": 1, "un": 1, "una": 1, "a couple of": 2, "un par de": 2,
           "two": 2, "dos": 2, "three": 3, "tres": 3, "four": 4, "cuatro": 4}
    return int(word) if word.isdigit() else few.get(word)


def _pause(text: str, folded: str, today: dt.date,
           language: str | None) -> tuple[dt.date | None, tuple[int, int] | None]:
    """The last day of a pause asked for, and where its date phrase is in the text."""
    cue = _PAUSE.search(folded)
    if cue is None:
        return None, None
    span = _FOR_SPAN.search(folded)
    if span:
        count, unit = _amount_of(span["n"]), span["unit"]
        if count:
            days = count * (7 if unit.startswith(("week", "semana")) else
                            30 if unit.startswith("m") else 1)
            return today + dt.timedelta(days=days), span.span()
    for phrase in find_dates(text):
        if phrase.end <= cue.start() and not _PAUSE.search(folded[phrase.end:cue.start()]):
            continue  # a date before the cue: "on friday i pay, hold off": not the pause
        day = resolve_date(phrase.value, today, language)
        if day is not None and day > today:
            return day, (phrase.start, phrase.end)
    return None, None


def read_wish(text: str, today: dt.date, language: str | None = None) -> Wish:
    """What `text` asks about being texted (`today`: the borrower's local date)."""
    folded = fold(text or "")
    pause_until, pause_span = _pause(text or "", folded, today, language)
    start, end, unclear = _window(folded)
    days = _avoid_days(folded, pause_span)
    return Wish(window_start=start, window_end=end, any_time=bool(_ANY_TIME.search(folded)),
                avoid_days=days, language=_language(folded), pause_until=pause_until,
                resume=bool(_RESUME.search(folded)), unclear_hour=unclear)
