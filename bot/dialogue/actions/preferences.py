"""Contact preferences by text: "text me after 6", "no texts on weekends", "solo en
español", "pause reminders until the 15th" (bot/dialogue/preference_flow.py)."""

from __future__ import annotations

from bot.dialogue import preference_flow, safety
from bot.dialogue.actions.base import BorrowerAction
from bot.dialogue.context import Turn
from bot.nlu.evidence import carries


class ActionSetContactPreference(BorrowerAction):
    """When, how and whether to text: honoured and confirmed in one line, or one short
    question when the words do not say."""

    NAME = "action_set_contact_preference"
    INTENT = "set_contact_preference"

    def respond(self, turn: Turn) -> None:
        """Honour the wish; words that only ask us to stop are asked about as an opt-out
        (never a question about hours to someone who wants no texts at all)."""
        wish = preference_flow.read(turn)
        if not wish.understood and wish.unclear_hour is None \
                and carries("opt_out", turn.text, turn.entities):
            safety.ask_first(turn, "opt_out")
            return
        preference_flow.set_preferences(turn)
