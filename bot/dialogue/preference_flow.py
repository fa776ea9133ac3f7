"""Contact preferences by text: "text me after 6", "no texts on weekends", "solo en
español", "pause reminders until the 15th".

The wish is read from the words (bot/nlu/contact_wishes.py) and honoured through
bot/contact_preferences.py, which notes it in the consent ledger with the borrower's
words and our confirmation. The confirmation is one line saying what we understood
("OK — we'll only text you after 6 pm, and not on weekends."). When the words do not
say what to change ("after work", "after 9" — morning or night?), or the wish cannot
be honoured (after 10 pm, every day), the bot asks one short question and changes
nothing.
"""

from __future__ import annotations

from datetime import time

from bot import consent, contact_preferences
from bot.contact_preferences import CLEAR, Outcome, Preferences
from bot.dialogue.context import Turn
from bot.localtime import local_today, sending_window
from bot.nlu.contact_wishes import WEEKDAYS_ONLY, WEEKEND, Wish, clauses, read_wish
from bot.nlu.evidence import carries

_PROBLEM_REPLIES = {
    contact_preferences.WINDOW_OUTSIDE_HOURS: "pref_outside_hours",
    # "from 9 pm to 6 pm" cannot be a window either: ask again the same way.
    contact_preferences.WINDOW_BACKWARDS: "pref_outside_hours",
    contact_preferences.EVERY_DAY: "pref_every_day",
    contact_preferences.PAUSE_NOT_AFTER_TODAY: "pref_pause_past",
}


def read(turn: Turn) -> Wish:
    """What the turn's words ask about being texted."""
    today = local_today(turn.borrower, turn.dealer, turn.now)
    return read_wish(turn.text, today, turn.language)


def _limits_when(wish: Wish) -> bool:
    return bool(wish.window_start or wish.window_end or wish.avoid_days)


def names_hours_or_days(turn: Turn) -> bool:
    """Whether the words only limit when to text ("don't text me on sundays"): a wish
    about hours or days, not a request to stop every text. Any part that asks to stop
    without naming hours or days ("stop texting me, i'll pay friday") is an opt-out."""
    today = local_today(turn.borrower, turn.dealer, turn.now)
    for part in clauses(turn.text):
        if carries("opt_out", part) and not _limits_when(read_wish(part, today)):
            return False
    return _limits_when(read(turn))


def _arguments(wish: Wish) -> dict[str, object]:
    """`contact_preferences.change` arguments for what the wish names."""
    arguments: dict[str, object] = {}
    if wish.window_start or wish.window_end:
        arguments.update(window_start=wish.window_start, window_end=wish.window_end)
    elif wish.any_time:
        arguments["window_start"] = CLEAR
    if wish.avoid_days is not None:
        arguments["avoid_days"] = wish.avoid_days
    if wish.language:
        arguments["language"] = wish.language
    if wish.pause_until:
        arguments["paused_until"] = wish.pause_until
    elif wish.resume:
        arguments["paused_until"] = CLEAR
    return arguments


def clock_text(moment: time, language: str) -> str:
    """"6 pm", "6:30 pm", "12 pm" (both languages write texts this way)."""
    hour = moment.hour % 12 or 12
    minutes = f":{moment.minute:02d}" if moment.minute else ""
    return f"{hour}{minutes} {'am' if moment.hour < 12 else 'pm'}"


def _days_text(turn: Turn, days: frozenset[int]) -> str:
    if days == WEEKEND:
        return turn.render("pref_weekends")
    if days == WEEKDAYS_ONLY:
        return turn.render("pref_weekdays")
    names = [turn.render(f"pref_day_{day}") for day in sorted(days)]
    if len(names) == 1:
        return names[0]
    return f"{', '.join(names[:-1])} {turn.render('pref_or')} {names[-1]}"


def _window_text(turn: Turn, preferences: Preferences) -> str:
    legal_start, legal_end = sending_window(turn.dealer)
    start = clock_text(preferences.window_start, turn.language)
    end = clock_text(preferences.window_end, turn.language)
    if preferences.window_end >= legal_end:
        return turn.render("pref_window_after", start=start)
    if preferences.window_start <= legal_start:
        return turn.render("pref_window_before", end=end)
    return turn.render("pref_window_between", start=start, end=end)


def _when_clause(turn: Turn, preferences: Preferences) -> str:
    """The hours and days we may text in, as they are now."""
    if preferences.has_window:
        window = _window_text(turn, preferences)
        if preferences.avoid_days:
            return turn.render("pref_window_and_days", window=window,
                               days=_days_text(turn, preferences.avoid_days))
        return window
    if preferences.avoid_days:
        return turn.render("pref_days", days=_days_text(turn, preferences.avoid_days))
    start, end = sending_window(turn.dealer)
    return turn.render("pref_any_time", start=clock_text(start, turn.language),
                       end=clock_text(end, turn.language))


def confirmation(turn: Turn, outcome: Outcome, asked: dict[str, object]) -> str:
    """One line: what we will do now, for what the borrower asked about."""
    preferences = outcome.preferences
    clauses = []
    if {"window_start", "window_end", "avoid_days"} & set(asked):
        clauses.append(_when_clause(turn, preferences))
    if "language" in asked:
        clauses.append(turn.render("pref_language", name=turn.render(
            f"pref_language_{preferences.language}")))
    if "paused_until" in asked:
        clauses.append(turn.render("pref_pause", date=turn.day(preferences.paused_until))
                       if preferences.paused_until else turn.render("pref_resume"))
    text = turn.render("pref_confirm", what=(turn.render("pref_join") + " ").join(clauses))
    if outcome.capped:
        text += " " + turn.render("pref_pause_capped", days=outcome.max_pause_days)
    return text


def _ask_again(turn: Turn, outcome: Outcome) -> None:
    key = _PROBLEM_REPLIES.get(outcome.problem, "pref_unclear")
    start, end = sending_window(turn.dealer)
    turn.say(key, start=clock_text(start, turn.language), end=clock_text(end, turn.language))


def set_preferences(turn: Turn) -> None:
    """Honour what the words ask about being texted, confirming it in one line; or ask
    one short question and change nothing."""
    wish = read(turn)
    if wish.unclear_hour is not None:
        turn.say("pref_which_hour", hour=wish.unclear_hour)
        return
    asked = _arguments(wish)
    if not asked:
        turn.say("pref_unclear")
        return
    outcome = contact_preferences.check(turn.borrower, at=turn.now, **asked)
    if not outcome.ok:
        _ask_again(turn, outcome)
        return
    turn.language = outcome.preferences.language  # "solo en español" is answered in it
    text = confirmation(turn, outcome, asked)
    contact_preferences.change(turn.session, turn.borrower, source=consent.WORDS,
                               evidence=turn.text, confirmation=text, **asked)
    turn.replies.append(text)
