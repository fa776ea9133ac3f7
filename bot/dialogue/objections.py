"""A borrower objecting to what the bot has just done for them: "no i said 125 not
100", "wait no i meant the 11th", "QUE?? yo dije el 15!! no hoy", "i didnt ask for
that", "why did you charge me".

Soon after the bot took a payment or recorded a promise or a plan, such a text goes
straight to a person, with an apology. The bot does not guess at a correction, and
never reads the objection as a new request: before this, "no i said 125 not 100"
was asked "Did we text the wrong number?", and "yo dije el 15" got the line for
unrelated texts (found by texting the demo).
"""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import select, union_all

from bot.dialogue import support_flow
from bot.dialogue.context import Turn
from bot.models import EscalationReason, Payment, PaymentStatus, Plan, PlanStatus, Promise
from bot.nlu.text import fold

# How long after the bot acted an objection is taken as being about what it did.
RECENT = timedelta(minutes=30)

_OBJECTION = re.compile(
    r"\bi (said|meant|mean|ment|asked for)\b"
    r"|\bi (did ?n'?t|didnt|never|did not) (say|mean|ask|agree|want|authori[sz]e)"
    r"|\bnot what i (said|meant|asked|wanted|agreed)"
    r"|\b(that'?s|thats|that is|this is) (not right|wrong|not what)"
    r"|\bwait,? no\b|\bwhy did (you|u|yall|ya'?ll) (charge|take|put)"
    r"|\byo (dije|pedi|queria)\b|\b(quise|queria) decir\b|\bno (dije|pedi|quise|autorice)\b"
    r"|\beso no\b|\bno era (eso|asi)\b|\bpor que me (cobraron|cobro|cobran)\b|\bno hoy\b"
)


def objects_to_what_was_just_done(turn: Turn) -> bool:
    """Whether the text objects to a payment, promise or plan made in the last half hour."""
    if turn.account is None or not _OBJECTION.search(fold(turn.text)):
        return False
    since = turn.now - RECENT
    account_id = turn.account.id
    done = union_all(
        select(Payment.id).where(Payment.account_id == account_id,
                                 Payment.status == PaymentStatus.SUCCEEDED,
                                 Payment.updated_at >= since),
        select(Promise.id).where(Promise.account_id == account_id, Promise.created_at >= since),
        # An active plan only: a plan still on offer is corrected by asking again
        # ("no i meant 4 payments"), not by a person.
        select(Plan.id).where(Plan.account_id == account_id, Plan.status == PlanStatus.ACTIVE,
                              Plan.updated_at >= since),
    )
    return turn.session.execute(done.limit(1)).first() is not None


def hand_to_a_person(turn: Turn) -> None:
    """Apologise and escalate: a person checks what was set up and puts it right."""
    support_flow.escalate(turn, EscalationReason.HUMAN, detail=f"objected: {turn.text}")
    turn.say("objection_reply", dealer=turn.dealer.name, when=support_flow.when_a_person(turn))
