"""Two requests in one text: answer both.

The classifier picks one request; bot/nlu/requests.py reads the other from
its words. The common pairs:

- "pay 100 and what do i owe after": the payment prompt says what will be
  left (bot/dialogue/payment_flow.py);
- "what's my balance and can I split it" / "...and I want to pay 50": the
  balance, then the plan offer or the payment prompt;
- "can I split it, how much do I owe?", a promise, "I already paid" or a new
  card with a balance question: the balance first, then the rest;
- "new card and pay 100": the card link, and a word on paying once it is
  saved (the card on file is never charged for it).

At most one YES/NO question is ever open, so a second offer is made only when
the first request left none.
"""

from __future__ import annotations

from bot.collection import open_dispute
from bot.dialogue import pay_request, plan_flow, questions
from bot.dialogue.context import Turn
from bot.nlu.requests import BALANCE, CARD, PAY, PLAN, requests_in
from bot.payments import links

# Requests after which a short balance line helps, said before their own answer.
_BALANCE_FIRST = {PLAN, "promise_to_pay", "already_paid", CARD}


def follow_up(turn: Turn) -> None:
    """Answer the text's other request, if it has one the first answer left open."""
    others = requests_in(turn.text, turn.entities) - {turn.intent}
    if not others or turn.account is None:
        return
    if turn.intent == BALANCE:
        _offer_after_balance(turn, others)
    elif turn.intent in _BALANCE_FIRST and BALANCE in others:
        _balance_first(turn)
    if turn.intent == CARD and PAY in others:
        turn.say("pay_after_card")


def new_card_first(turn: Turn) -> bool:
    """ "I got a new card and want to pay 100": never charge the old card; send the
    secure link and say how to pay once the new one is saved. True if it did."""
    if turn.account is None or CARD not in requests_in(turn.text, turn.entities):
        return False
    url = links.create_link(turn.session, links.UPDATE_CARD, turn.account.id)
    turn.say("update_card_link", link=url)
    turn.say("pay_after_card")
    return True


def _offer_after_balance(turn: Turn, others: set[str]) -> None:
    if questions.open_question(turn.session, turn.borrower.id) is not None:
        return  # a YES/NO is already waiting: one question at a time
    if PLAN in others:
        plan_flow.propose_plan(turn)
    elif PAY in others:
        pay_request.answer_pay_request(turn)


def _balance_first(turn: Turn) -> None:
    account = turn.account
    if open_dispute(turn.session, account.id) is not None:
        return  # the answer already says the account is under review
    turn.replies.insert(0, turn.render("balance_short", reference=account.reference,
                                       balance=turn.money(account.balance_cents)))
