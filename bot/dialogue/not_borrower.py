"""Someone who is not the borrower, on the borrower's phone: no account details.

"this is his girlfriend, he's at work. how much does he owe", "soy su mamá":
the number is the borrower's (else it is a wrong number), the person is not.
Nothing about the account (amounts, balance, due dates, references, what is
arranged) may go out to them. From that text on, and for NOT_BORROWER_HOURS
after the last text in that state, every reply that would show the account
is replaced by one line: we can only discuss the account with its holder,
who can call the dealer, and whoever texts may pay for them through a
single-use payer link (the someone-else-pays link, worded for the person
paying). The state is a column of the borrower's conversation state in the
database, so every worker agrees on it; it lifts by itself once the phone has
been quiet that long (the real borrower texting the next day is answered as
usual), or sooner when the holder calls and staff confirm who they are.

The model's intent `not_the_borrower` starts it. So do the clearest words
whatever intent the model picked ("how much does he owe", "soy su esposa"),
because a text that also asks for the balance may be read as `check_balance`,
and a NO to "Did we text the wrong number?" (the number is right, the person
is not: bot/dialogue/safety.py).
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from bot.dialogue import questions, support_flow
from bot.dialogue.context import Turn
from bot.models import ConversationState
from bot.nlu.text import fold
from bot.payments import links, merchant

# Long enough that the person holding the phone cannot simply wait a Rasa session
# (60 minutes) out; short enough that the borrower is answered again the next day.
NOT_BORROWER_HOURS = 12

ACTION = "action_not_the_borrower"
# Actions that show nothing of the account: they run as usual in the state. (A STOP,
# a wrong number, a person to call, the dealer's general policy and the menu.)
_DISCLOSE_NOTHING = frozenset({
    "action_opt_out", "action_request_human", "action_ask_policy", "action_help",
})
# The same, while the state has not started: the clearest words do not start it for these.
_NEVER_START = _DISCLOSE_NOTHING
# A request to pay, from someone who is not the borrower: the payer link.
_PAYING = frozenset({"action_pay", "action_someone_else_pays"})
_CLOSING = frozenset({"action_thank", "action_goodbye"})

# Relations and "about the borrower" words (folded: no accents, lower case).
_RELATION = (
    r"(girl ?friend|gf|boy ?friend|bf|wife|husband|hubby|mom|mother|mama|dad|father|papa"
    r"|sister|brother|son|daughter|aunt|uncle|grand(ma|pa|mother|father)|cousin|fiance|fiancee"
    r"|partner|roommate|caregiver|niece|nephew)"
)
_RELACION = (
    r"(esposa|esposo|novia|novio|mama|madre|papa|padre|hermana|hermano|hija|hijo|tia|tio"
    r"|abuela|abuelo|prima|primo|pareja|suegra|suegro|nuera|yerno|sobrina|sobrino)"
)
_SOMEONE_ELSE = tuple(re.compile(p) for p in (
    # "this is his girlfriend", "i'm her mom", "its jordan's wife", "im his gf"
    rf"\b(this is|it'?s|its|i'?m|im|i am)( (his|her|their|the|[a-z]+'?s))+ {_RELATION}\b",
    # "how much does he owe", "what does she still owe", "is she behind"
    r"\b(does|do|did|is|has) (he|she) (still )?(owe|behind|late|paid|pay)",
    r"\b(his|her) (balance|account|payoff|car payment|loan)\b",
    r"\b(i'?m|im|i am) not the (account holder|borrower|one with the (loan|account))\b",
    # "soy su esposa", "habla la mamá de kevin", "le escribe su hermana"
    rf"\b(soy|habla|le escribe|aqui) (su|la|el) {_RELACION}\b",
    rf"\bsoy (la|el) {_RELACION} de\b",
    r"\bno soy (el|la) titular\b",
    r"\bcuanto (le )?debe (el|ella|mi (hijo|hija|esposo|esposa))\b",
))
# Wanting to pay for the borrower: "i'll pay for him", "PAY FOR THEM", "yo pago por él".
# Not "how much does he need to pay": that asks for the amount, which is withheld.
_PAY_WORDS = re.compile(
    r"^\W*(pay|pagar|pago)\W*$|\bpay (it |what \w+ owes? |the \w+ )?for\b"
    r"|\b(i'?ll|ill|i will|i can|i want to|i'd like to|let me|can i|how do i|how can i"
    r"|i wanna|i'm going to|im going to|im gonna|i'm gonna) (make a )?pay"
    r"|\blink to pay\b|\bpay (it|the (car|payment|bill))\b"
    r"|\b(yo )?(le )?pago (por|yo|el carro|la cuenta)\b|\byo (le )?pago\b"
    r"|\b(quiero|puedo|voy a|podria|como) (le )?(pagar|hacer (un|el) pago)"
    r"|\bpagar (yo )?por (el|ella)\b|\bpara pagar\b"
)


def speaks_for_someone_else(text: str) -> bool:
    """Whether a text says its writer is not the borrower ("this is his wife")."""
    folded = fold(text or "")
    return any(pattern.search(folded) for pattern in _SOMEONE_ELSE)


def wants_to_pay(text: str) -> bool:
    """Whether a text asks to pay ("i'll pay for him", "PAY FOR THEM", "yo pago")."""
    return bool(_PAY_WORDS.search(fold(text or "")))


def holds(state: ConversationState | None, now: datetime) -> bool:
    """Whether the state row says this phone is, at `now`, someone else's to answer."""
    until = state.not_borrower_until if state is not None else None
    return until is not None and until > now


def said_so(session: Session, borrower_id: int, now: datetime) -> bool:
    """`holds` for a borrower, read from the session (the row may be new this turn)."""
    return holds(session.get(ConversationState, borrower_id), now)


def active(turn: Turn) -> bool:
    """Whether someone on this phone said, recently enough, they are not the borrower."""
    return holds(questions.conversation_state(turn.session, turn.borrower.id), turn.now)


def start(turn: Turn) -> None:
    """From now on no account details to this phone; the first reply says why.

    A payment prompt or a plan waiting for YES is canceled: a YES from this
    person must never charge the borrower's card.
    """
    support_flow.stop_payment_prompts(turn)
    _keep(turn)
    if wants_to_pay(turn.text) and _payable(turn):
        turn.say("not_borrower_ack")
        _send_payer_link(turn)
        return
    turn.say("not_borrower", contact=turn.dealer.contact_phone or "")


def answered_instead(turn: Turn, action: str) -> bool:
    """Answer for `action` without a word of the account, if this is not the borrower.

    True when the turn was answered here (the action must not run); False
    when the action runs as usual: the borrower, or an action that shows
    nothing of the account.
    """
    if action == ACTION:
        return False  # it starts the state itself
    if not active(turn):
        if action in _NEVER_START or not speaks_for_someone_else(turn.text):
            return False
        start(turn)
        return True
    _keep(turn)
    if action in _DISCLOSE_NOTHING or _answers_safe_question(turn, action):
        return False
    if action == "action_ask_identity":
        turn.say("identity_not_borrower", dealer=turn.dealer.name,
                 contact=turn.dealer.contact_phone or "")
    elif action in _CLOSING:
        turn.say("not_borrower_goodbye")
    elif (action in _PAYING or wants_to_pay(turn.text)) and _payable(turn):
        _send_payer_link(turn)
    else:
        turn.say("not_borrower_withheld", contact=turn.dealer.contact_phone or "")
    return True


def _keep(turn: Turn) -> None:
    """The state lasts NOT_BORROWER_HOURS after the last text sent in it."""
    state = questions.conversation_state(turn.session, turn.borrower.id)
    state.not_borrower_until = turn.now + timedelta(hours=NOT_BORROWER_HOURS)


def _answers_safe_question(turn: Turn, action: str) -> bool:
    """YES / NO to a clarifying question asked in this state ("stop texting?")."""
    if action not in ("action_affirm", "action_deny"):
        return False
    question = questions.open_question(turn.session, turn.borrower.id)
    return question is not None and (question.awaiting or "").startswith(questions.CLARIFYING)


def _payable(turn: Turn) -> bool:
    """Whether a payer link can go: a balance, and card payments for the dealer. (Else
    the caller says only that we cannot discuss it: "nothing owed on LN-1003" would be
    an account detail too.)"""
    account = turn.account
    return (account is not None and account.balance_cents > 0
            and merchant.for_dealer_or_none(turn.dealer) is not None)


def _send_payer_link(turn: Turn) -> None:
    """The someone-else-pays link, worded for the person paying (never "your account")."""
    url = links.create_link(turn.session, links.PAYER, turn.account.id)
    turn.say("payer_link_for_them", link=url)
