"""One inbound text, from arrival to reply (the hot path; see DESIGN.md).

    1. find the dealer by the number texted (`To`)
    2. a MessageSid seen before gets the same reply, without re-processing
    3. card numbers are redacted before anything is stored or parsed (also one
       typed over two texts: the previous text is redacted too)
    4. compliance keywords (STOP / START / HELP) before any NLU
    5. opted-out numbers get nothing; a text with a card number gets a warning; a
       text with no words (a picture, a blank) is told that only text is read
    6. everything else goes to the Rasa agent for this borrower
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot import escalations, events
from bot.campaigns import survey
from bot.campaigns.compliance import with_required_notices
from bot.clock import utcnow
from bot.db import session_scope
from bot.dialogue import questions
from bot.dialogue.context import primary_account
from bot.dialogue.replies import reply
from bot.messaging import keywords, number_limits
from bot.messaging.redaction import redact_card_numbers, split_card, starts_with_digits
from bot.models import Borrower, Dealer, DealerNumber, Message
from bot.payments import charging, links
from bot.phones import mask, to_e164

log = logging.getLogger(__name__)

# Rasa turn: (borrower id as conversation id, redacted text) -> reply texts.
Responder = Callable[[str, str], list[str]]
# The two halves of a card number typed over two texts arrive within minutes.
SPLIT_CARD_WINDOW = timedelta(minutes=15)


@dataclass(frozen=True)
class InboundSms:
    """The fields of Twilio's inbound webhook that we use."""

    from_number: str
    to_number: str
    body: str
    message_sid: str


def _find_dealer(session: Session, to_number: str) -> Dealer | None:
    number = to_e164(to_number)
    if number is None:
        return None
    return session.execute(
        select(Dealer).join(DealerNumber).where(DealerNumber.phone == number)
    ).scalar_one_or_none()


def _replay(sms: InboundSms) -> list[str]:
    """The replies a MessageSid's first delivery got (none is an answer too), at once.

    Twilio retries a delivery it did not see answered. The copy waited for this
    phone's conversation lock, so the first delivery has finished by now: there
    is nothing to wait for. A copy that claims another sender or another dealer
    number is not a copy (a forged or colliding SID) and gets nothing.
    """
    with session_scope() as session:
        inbound = session.execute(
            select(Message).where(Message.message_sid == sms.message_sid)
        ).scalar_one_or_none()
        if inbound is None or (inbound.from_number, inbound.to_number) != (
                to_e164(sms.from_number) or "", to_e164(sms.to_number) or ""):
            return []
        return list(session.execute(
            select(Message.body).where(Message.in_reply_to_id == inbound.id)
            .order_by(Message.id)
        ).scalars())


def _store_inbound(session: Session, sms: InboundSms, dealer: Dealer,
                   borrower: Borrower | None, body: str) -> Message:
    message = Message(
        dealer_id=dealer.id, borrower_id=borrower.id if borrower else None,
        direction="inbound", author="borrower", kind="reply", body=body,
        message_sid=sms.message_sid or None, from_number=to_e164(sms.from_number) or "",
        to_number=to_e164(sms.to_number) or "", status="received",
    )
    session.add(message)
    session.flush()
    _announce_to_console(session, message)
    return message


def _announce_to_console(session: Session, message: Message) -> None:
    """Live consoles show the text once it is committed (bot/events.py)."""
    if message.borrower_id is not None:
        events.announce(session, message.dealer_id, events.MESSAGE, id=message.id,
                        borrower_id=message.borrower_id, direction=message.direction,
                        author=message.author)


def _store_replies(session: Session, inbound: Message, texts: list[str]) -> None:
    for text in texts:
        message = Message(
            dealer_id=inbound.dealer_id, borrower_id=inbound.borrower_id,
            direction="outbound", author="bot", kind="reply", body=text,
            in_reply_to_id=inbound.id, from_number=inbound.to_number,
            to_number=inbound.from_number, status="sent",
        )
        session.add(message)
    if texts:
        session.flush()
        _announce_to_console(session, message)


def _keyword_reply(session: Session, borrower: Borrower, dealer: Dealer, word: str) -> list[str]:
    if word == keywords.OPT_OUT:
        if borrower.opted_out:
            return []  # one confirmation only, ever
        borrower.opted_out, borrower.opted_out_at = True, utcnow()
        log.info("opt-out from %s", mask(borrower.phone))
        return [reply("opted_out", borrower.language, dealer=dealer.name)]
    if word == keywords.OPT_IN:
        borrower.opted_out, borrower.opted_out_at = False, None
        return [reply("opted_in", borrower.language, dealer=dealer.name)]
    return [reply("help", borrower.language, dealer=dealer.name,
                  contact=dealer.contact_phone or "")]


def _previous_inbound(session: Session, dealer: Dealer, borrower: Borrower | None,
                      phone: str) -> Message | None:
    """The last text this phone sent this dealer (before the one being handled)."""
    query = select(Message).where(Message.direction == "inbound")
    if borrower is not None:
        query = query.where(Message.borrower_id == borrower.id)
    else:
        query = query.where(Message.dealer_id == dealer.id, Message.from_number == phone)
    return session.execute(query.order_by(Message.id.desc()).limit(1)).scalar_one_or_none()


def _redact_split_card(session: Session, dealer: Dealer, borrower: Borrower | None,
                       phone: str, body: str) -> tuple[str, bool]:
    """A card number begun at the end of the phone's previous text and finished at the
    start of this one is removed from both (the stored text and the agent's tracker)."""
    if not starts_with_digits(body):
        return body, False
    previous = _previous_inbound(session, dealer, borrower, phone)
    if previous is None or previous.created_at < utcnow() - SPLIT_CARD_WINDOW:
        return body, False
    redacted = split_card(previous.body, body)
    if redacted is None:
        return body, False
    said, previous.body = previous.body, redacted[0]
    if previous.borrower_id is not None:
        forget_text(str(previous.borrower_id), said, previous.body)
    log.info("card number split over two texts from %s removed", mask(phone))
    return redacted[1], True


def forget_text(conversation_id: str, said: str, redacted: str) -> None:
    """Rewrite a text the agent already saw in its tracker (a late-found card number)."""
    from bot.dialogue.agent import loaded_runner

    runner = loaded_runner()
    if runner is not None:
        runner.tracker_store.replace_text(conversation_id, said, redacted)


def _card_warning(session: Session, borrower: Borrower) -> list[str]:
    _drop_open_payment(session, borrower)
    account = primary_account(session, borrower)
    if account is None:
        return [reply("card_number_warning_no_link", borrower.language)]
    url = links.create_link(session, links.UPDATE_CARD, account.id)
    return [reply("card_number_warning", borrower.language, link=url)]


def _drop_open_payment(session: Session, borrower: Borrower) -> None:
    """A YES after a card number never charges an amount read from its digits."""
    question = questions.open_question(session, borrower.id)
    if question is None:
        return
    if question.awaiting == questions.PAYMENT_CONFIRMATION and question.awaiting_ref:
        charging.cancel_pending(session, question.awaiting_ref)
    questions.clear(session, borrower.id)


def handle_inbound(sms: InboundSms, respond: Responder) -> list[str]:
    """Process one inbound text and return the reply texts (possibly none).

    One session from start to end: the inbound row is committed before anything
    else happens (a replayed MessageSid then fails its unique constraint), and
    no transaction stays open while the agent thinks.
    """
    body, had_card = redact_card_numbers(sms.body or "")
    with session_scope() as session:
        dealer = _find_dealer(session, sms.to_number)
        if dealer is None:
            log.warning("text to a number no dealer owns: %s", mask(sms.to_number))
            return []
        phone = to_e164(sms.from_number, dealer.country)
        borrower = session.execute(
            select(Borrower).where(Borrower.dealer_id == dealer.id, Borrower.phone == phone)
        ).scalar_one_or_none() if phone else None
        if not had_card:
            body, had_card = _redact_split_card(session, dealer, borrower,
                                                to_e164(sms.from_number) or "", body)
        try:
            inbound = _store_inbound(session, sms, dealer, borrower, body)
            session.commit()
        except IntegrityError:
            session.rollback()
            replay = True
        else:
            replay = False
            if not number_limits.inbound_allowed(sms.from_number):
                return []  # a flood from one number: stored for staff, not answered (logged)
            texts = _answer(session, inbound, dealer, borrower, body, had_card, respond)
    if replay:
        return _replay(sms)
    return texts


def _answer(session: Session, inbound: Message, dealer: Dealer, borrower: Borrower | None,
            body: str, had_card: bool, respond: Responder) -> list[str]:
    """Decide the reply to a stored inbound message, and store the reply."""
    if borrower is None:
        texts = [reply("unknown_sender", "en", dealer=dealer.name,
                       contact=dealer.contact_phone or "")]
    else:
        texts = _borrower_reply(session, borrower, dealer, body, had_card)
        if texts is None:
            session.commit()
            texts = respond(str(borrower.id), body)
            texts = _with_collector_notices(session, borrower, dealer, texts)
    _store_replies(session, inbound, texts)
    return texts


def _with_collector_notices(session: Session, borrower: Borrower, dealer: Dealer,
                            texts: list[str]) -> list[str]:
    """A collection agency's replies carry the Reg F disclosure and opt-out, once per
    answer, but never to a number that just said it is not the borrower's (a
    disclosure there would reveal the debt) nor on an opt-out confirmation."""
    if not texts or dealer.collector_mode != "third_party":
        return texts
    session.refresh(borrower)  # the agent's actions may have just changed it
    if borrower.wrong_number or borrower.opted_out:
        return texts
    last = with_required_notices(dealer.collector_mode, borrower.language, texts[-1])
    return [*texts[:-1], last]


def _borrower_reply(session: Session, borrower: Borrower, dealer: Dealer, body: str,
                    had_card: bool) -> list[str] | None:
    """Replies decided before NLU, or None to hand the text to the agent."""
    word = keywords.classify(body, borrower.opted_out)
    if word is not None:
        return _keyword_reply(session, borrower, dealer, word)
    if borrower.opted_out or borrower.wrong_number:
        return []  # nothing is sent to an opted-out (or not-the-borrower's) number
    if escalations.taken_over(session, borrower.id) is not None:
        return []  # staff hold the conversation: stored and shown, never answered by the bot
    if had_card:
        return _card_warning(session, borrower)
    if not body.strip():
        return [reply("text_only", borrower.language)]  # a picture-only MMS, a blank text
    return survey.record_answer(session, borrower, body)  # a bare 1-5 answering our survey
