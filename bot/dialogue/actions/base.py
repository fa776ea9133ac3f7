"""The base of every textpay action: load the borrower, answer, save."""

from __future__ import annotations

import asyncio
import logging
from abc import ABC, abstractmethod
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import FollowupAction
from rasa_sdk.executor import CollectingDispatcher

from bot.dialogue import not_borrower, objections, questions, safety, second_request
from bot.dialogue.context import Turn, load_turn
from bot.dialogue.conversation import action_session
from bot.dialogue.routing import answer_open_question, remind_open_confirmation
from bot.wording.catalog import reply

log = logging.getLogger(__name__)

ACTION_LISTEN = "action_listen"


class BorrowerAction(Action, ABC):
    """An action that answers one borrower from the database.

    Subclasses set NAME and implement `respond(turn)`, calling `turn.say(...)`.
    The work runs in a worker thread: it talks to the database and to
    Stripe, and must not block the agent's event loop for other borrowers.
    """

    NAME = ""
    # The intent this action changes an account for: acted on only when clearly said
    # (bot/dialogue/safety.py), else a short question first. Empty: nothing to guard.
    INTENT = ""
    # Actions that are themselves about the open YES/NO question (no reminder after them).
    ANSWERS_CONFIRMATIONS = False
    # YES and NO answer a clarifying question; any other message leaves it behind.
    ANSWERS_CLARIFYING = False

    def name(self) -> str:
        """The action name used in domain.yml and the rules."""
        return self.NAME

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        """Run `respond` off the event loop and send its replies."""
        try:
            replies, events = await asyncio.to_thread(self._run_in_transaction, tracker)
        except Exception:
            # The borrower gets an apology, never silence; the details go to the log.
            log.exception("action %s failed", self.NAME)
            replies, events = [reply("system_error", "en")], []
        for text in replies:
            dispatcher.utter_message(text=text)
        # Every rule ends with listening, so say so instead of asking the
        # policies a second time each turn (about a fifth of Rasa's work).
        return [*events, FollowupAction(ACTION_LISTEN)]

    def _run_in_transaction(self, tracker: Tracker) -> tuple[list[str], list[dict]]:
        with action_session(tracker.sender_id) as session:
            turn = load_turn(session, tracker)
            if turn is None:
                log.warning("action %s for unknown conversation", self.NAME)
                return [reply("system_error", "en")], []
            if not self.ANSWERS_CLARIFYING:
                safety.leave_unanswered(turn)
            if not_borrower.answered_instead(turn, self.NAME):
                pass  # not the borrower: no word of the account (bot/dialogue/not_borrower.py)
            elif objections.objects_to_what_was_just_done(turn):
                objections.hand_to_a_person(turn)  # "no i said 125": a person puts it right
            elif not answer_open_question(turn):
                if self.INTENT and not safety.clearly_said(turn, self.INTENT):
                    safety.ask_first(turn, self.INTENT)
                else:
                    self.respond(turn)
                    second_request.follow_up(turn)
                if not self.ANSWERS_CONFIRMATIONS:
                    remind_open_confirmation(turn)
            self.count_misunderstanding(turn)
            return turn.replies, turn.events

    def count_misunderstanding(self, turn: Turn) -> None:
        """Any understood message resets the count of misunderstood ones in a row."""
        questions.conversation_state(turn.session, turn.borrower.id).fallback_count = 0

    @abstractmethod
    def respond(self, turn: Turn) -> None:
        """Decide the reply to this turn (and change the database if needed)."""
