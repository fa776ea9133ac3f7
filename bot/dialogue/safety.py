"""Act only on what was clearly said.

A text that changes an account (stops our texts, opens a dispute, marks a
wrong number, pauses reminders, pages staff, offers a plan or a payment, sets
the hours, days or language we text in) is
acted on only when the understanding is confident *and* specific: the model
is at least ACT_AT sure, and the text carries the words that say it
(bot/nlu/evidence.py: "don't text me", "I don't owe this", a date for a
promise, an amount for a payment). Otherwise the bot asks one short question
about it, remembers the words, and changes nothing; YES acts on those words,
NO (or anything else) leaves the account as it was. STOP and its family are
keywords and act at once, before any of this (bot/messaging/keywords.py).

The README's "Acting only on what was clearly said" table lists, per intent,
what must be present and the question asked otherwise.
"""

from __future__ import annotations

from collections.abc import Callable

from bot.dialogue import (
    not_borrower,
    pay_request,
    plan_flow,
    preference_flow,
    promise_flow,
    questions,
    support_flow,
)
from bot.dialogue.context import Turn
from bot.models import ConversationState
from bot.nlu.entities import entity_dicts
from bot.nlu.evidence import ACT_AT, carries, guarded

# What each state change does once it is clear (its flow, given the turn).
CARRY_OUT: dict[str, Callable[[Turn], None]] = {
    "opt_out": support_flow.opt_out,
    "dispute": support_flow.dispute,
    "wrong_number": support_flow.wrong_number,
    "already_paid": support_flow.ask_payment_details,
    "hardship": support_flow.hardship,
    "arrange_plan": plan_flow.propose_plan,
    "promise_to_pay": promise_flow.record_promise,
    "pay": pay_request.answer_pay_request,
    "request_human": support_flow.request_human,
    "set_contact_preference": preference_flow.set_preferences,
}


def clearly_said(turn: Turn, intent: str) -> bool:
    """Whether the turn may act on `intent` without asking first."""
    if not guarded(intent):
        return True
    return turn.confidence >= ACT_AT and carries(intent, turn.text, turn.entities)


def ask_first(turn: Turn, intent: str) -> None:
    """One short question about `intent`; the words are kept, nothing changes yet."""
    questions.ask(turn.session, turn.borrower.id, questions.CLARIFYING + intent, None,
                  turn.now, text=turn.text)
    turn.say(f"clarify_{intent}")


def asked_about(state: ConversationState | None) -> str | None:
    """The intent a fresh clarifying question is about, if that is what is open."""
    if state is None or not (state.awaiting or "").startswith(questions.CLARIFYING):
        return None
    return state.awaiting[len(questions.CLARIFYING):]


def act_on_answer(turn: Turn, state: ConversationState) -> None:
    """YES to a clarifying question: act on the words it was about, as if clearly said."""
    intent = asked_about(state)
    words = state.awaiting_text or ""
    questions.clear(turn.session, turn.borrower.id)
    if intent not in CARRY_OUT or not questions.is_fresh(state, turn.now):
        turn.say("nothing_to_confirm")
        return
    turn.text, turn.intent, turn.confidence = words, intent, 1.0
    turn.entities = entity_dicts(words)
    CARRY_OUT[intent](turn)


def leave_unanswered(turn: Turn) -> None:
    """A message that is not YES or NO moves on: the clarifying question is dropped, so
    a later YES never acts on old words."""
    state = questions.open_question(turn.session, turn.borrower.id)
    if asked_about(state) is not None:
        questions.clear(turn.session, turn.borrower.id)


def drop_question(turn: Turn, state: ConversationState) -> None:
    """NO to a clarifying question: nothing changes, and the bot says what it can do.

    NO to "Did we text the wrong number?" ("i'm not jordan" ... "no") says the
    number is right but the person is not: no account details from then on.
    """
    intent = asked_about(state)
    questions.clear(turn.session, turn.borrower.id)
    if intent == "wrong_number":
        not_borrower.start(turn)
        return
    turn.say("clarify_declined")
