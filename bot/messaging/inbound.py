"""One inbound text, from arrival to reply: the turn (the hot path; see DESIGN.md).

Every way a text arrives (Twilio's webhook, the demo's phone simulator) calls
`receive`, which owns the whole turn:

    1. clean the text (control characters, length) and its MessageSid
    2. take the conversation's lock (this phone, this dealer number): one text
       at a time, in arrival order, in every worker
    3. one database session for the turn; its only commit before the end is
       the claim before Stripe is called (bot/payments/charging.py)
    4. find the dealer by the number texted (`To`) and the borrower by phone
    5. redact card data before anything is stored or parsed: card numbers (also
       one typed over two texts: the previous text is redacted too), their
       expiry and security code, and a security code sent on its own
    6. store the text; a MessageSid seen before gets the first delivery's
       replies, at once, without processing it again
    7. compliance keywords (STOP / START / HELP) before any NLU; opted-out
       numbers and staff-held conversations get no bot reply; a text with card
       data (a number, a security code, an expiry) gets a warning; a text with no
       words (a picture, a blank) is told that only text is read
    8. everything else goes to the Rasa agent for this borrower
    9. finish the replies (bot/messaging/outbound.py `finish`) and store them
"""

from __future__ import annotations

import hashlib
import logging
import re
import time
import uuid
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import and_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, contains_eager

from bot import consent, escalations, live_events
from bot.clock import utcnow
from bot.collection import primary_account
from bot.db import session_scope
from bot.dialogue import not_borrower, questions
from bot.dialogue.account_link import link_reply
from bot.dialogue.conversation import answer, forget_text
from bot.messaging import keywords, number_limits, survey_answers
from bot.messaging.conversation_lock import conversation_key, conversation_locks
from bot.messaging.outbound import finish
from bot.models import Borrower, ConversationState, Dealer, DealerNumber, Message
from bot.payments import charging, links
from bot.phones import mask, sender_number, to_e164
from bot.redaction import Redaction, redact_card_data, split_card, starts_with_digits
from bot.settings import get_settings
from bot.wording.catalog import reply

log = logging.getLogger(__name__)

# Control characters (NUL breaks PostgreSQL text) except tab and newlines.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
MAX_BODY = 1600  # Twilio's own limit for one message
MAX_SID = 64
MAX_NUMBER = 40
# The two halves of a card number typed over two texts arrive within minutes.
SPLIT_CARD_WINDOW = timedelta(minutes=15)


@dataclass(frozen=True)
class InboundSms:
    """The fields of Twilio's inbound webhook that we use."""

    from_number: str
    to_number: str
    body: str
    message_sid: str | None


class _AlreadyReceived(Exception):
    """The MessageSid was stored before: this delivery is a copy."""


def clean_body(body: str) -> str:
    """The text as we store and parse it: no control characters, at most 1,600 characters."""
    return _CONTROL.sub("", body or "")[:MAX_BODY]


def clean_sid(sid: str | None) -> str:
    """Twilio's MessageSid (34 characters); anything odd is replaced by a stable digest."""
    if not sid:
        return f"missing-{uuid.uuid4().hex}"
    if len(sid) <= MAX_SID and not _CONTROL.search(sid):
        return sid
    return "h" + hashlib.sha256(sid.encode("utf-8", "replace")).hexdigest()[:MAX_SID - 1]


def receive(sms: InboundSms) -> list[str]:
    """Answer one inbound text; the reply texts (possibly none), never an exception."""
    sms = InboundSms(from_number=(sms.from_number or "")[:MAX_NUMBER],
                     to_number=(sms.to_number or "")[:MAX_NUMBER],
                     body=clean_body(sms.body), message_sid=clean_sid(sms.message_sid))
    started = time.perf_counter()
    try:
        locks = conversation_locks(get_settings().redis_url)
        with locks.hold(conversation_key(sms.from_number, sms.to_number)):
            texts = _turn(sms)
    except Exception:
        # Never a stack trace to the caller: apologise, keep the details in the log.
        log.exception("inbound text failed")
        texts = [reply("system_error", "en")]
    log.info("inbound text from %s answered with %d text(s)", mask(to_e164(sms.from_number)),
             len(texts), extra={"event": "sms_inbound", "message_sid": sms.message_sid,
                                "ms": round((time.perf_counter() - started) * 1000, 1)})
    return texts


def _turn(sms: InboundSms) -> list[str]:
    """The turn inside the conversation's lock: one session, committed at the end."""
    safe = redact_card_data(sms.body)
    try:
        with session_scope() as session:
            return _answer(session, sms, safe)
    except _AlreadyReceived:
        return _replay(sms)
    except Exception:
        # Whatever half happened is rolled back; the text itself is kept for staff.
        log.exception("inbound turn failed; storing the text with an apology")
        return _store_with_apology(sms, safe.text)


def _answer(session: Session, sms: InboundSms, safe: Redaction) -> list[str]:
    dealer, borrower = _find_parties(session, sms)
    if dealer is None:
        log.warning("text to a number no dealer owns: %s", mask(sms.to_number))
        return []
    body, warning = safe.text, _card_warning_key(safe)
    if not safe.card_number:
        body, split = _redact_split_card(session, dealer, borrower,
                                         to_e164(sms.from_number) or "", body)
        warning = "card_number_warning" if split else warning
    inbound = _store_inbound(session, sms, dealer, borrower, body)
    if not number_limits.inbound_allowed(sms.from_number):
        return []  # a flood from one number: stored for staff, not answered (logged)
    if borrower is None:
        texts = [reply("unknown_sender", "en", dealer=dealer.name,
                       contact=dealer.contact_phone or "")]
    else:
        texts = _before_nlu(session, borrower, dealer, body, warning)
        if texts is None:
            texts = answer(session, borrower.id, body)
        texts = _finished(session, dealer, borrower, texts)
    _store_replies(session, inbound, texts)
    return texts


def _find_dealer(session: Session, to_number: str) -> Dealer | None:
    number = sender_number(to_number)
    if number is None:
        return None
    return session.execute(
        select(Dealer).join(DealerNumber).where(DealerNumber.phone == number)
    ).scalar_one_or_none()


def _find_borrower(session: Session, dealer: Dealer, from_number: str) -> Borrower | None:
    phone = to_e164(from_number, dealer.country)
    if phone is None:
        return None
    return session.execute(
        select(Borrower).where(Borrower.dealer_id == dealer.id, Borrower.phone == phone)
    ).scalar_one_or_none()


def _find_parties(session: Session, sms: InboundSms) -> tuple[Dealer | None, Borrower | None]:
    """The dealer owning the number texted and the borrower texting it, in one query
    that also brings the borrower's conversation state into the session (the dialogue
    reads it several times a turn; the session then answers from memory)."""
    to_number, from_number = sender_number(sms.to_number), to_e164(sms.from_number)
    if to_number is None:
        return None, None
    row = session.execute(
        select(Dealer, Borrower).join(DealerNumber)
        .outerjoin(Borrower, and_(Borrower.dealer_id == Dealer.id, Borrower.phone == from_number))
        .outerjoin(ConversationState, ConversationState.borrower_id == Borrower.id)
        .options(contains_eager(Borrower.conversation_state))
        .where(DealerNumber.phone == to_number)
    ).first()
    if row is None:
        return None, None
    dealer, borrower = row
    if borrower is None and dealer.country != "US" and not sms.from_number.startswith("+"):
        borrower = _find_borrower(session, dealer, sms.from_number)  # a local number abroad
    if borrower is not None and borrower.conversation_state is None:
        session.add(ConversationState(borrower_id=borrower.id, fallback_count=0))
        session.flush()  # once in a borrower's life; from now on it comes with the borrower
    return dealer, borrower


def _store_inbound(session: Session, sms: InboundSms, dealer: Dealer,
                   borrower: Borrower | None, body: str) -> Message:
    """Store the text; raises _AlreadyReceived for a MessageSid stored before."""
    message = Message(
        dealer_id=dealer.id, borrower_id=borrower.id if borrower else None,
        direction="inbound", author="borrower", kind="reply", body=body,
        message_sid=sms.message_sid or None, from_number=to_e164(sms.from_number) or "",
        to_number=sender_number(sms.to_number) or "", status="received",
    )
    session.add(message)
    try:
        session.flush()
    except IntegrityError:
        raise _AlreadyReceived() from None
    _announce_to_console(session, message)
    return message


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
                to_e164(sms.from_number) or "", sender_number(sms.to_number) or ""):
            return []
        return list(session.execute(
            select(Message.body).where(Message.in_reply_to_id == inbound.id)
            .order_by(Message.id)
        ).scalars())


def _store_with_apology(sms: InboundSms, body: str) -> list[str]:
    """After a failed turn: keep the text (staff see it) and apologise, in a fresh session."""
    texts = [reply("system_error", "en")]
    try:
        with session_scope() as session:
            dealer = _find_dealer(session, sms.to_number)
            if dealer is None:
                return texts
            borrower = _find_borrower(session, dealer, sms.from_number)
            inbound = _store_inbound(session, sms, dealer, borrower, body)
            if borrower is not None:
                texts = [reply("system_error", borrower.language)]
            _store_replies(session, inbound, texts)
    except _AlreadyReceived:
        return _replay(sms)
    return texts


def _announce_to_console(session: Session, message: Message) -> None:
    """Live consoles show the text once it is committed (bot/live_events.py)."""
    if message.borrower_id is not None:
        live_events.announce(session, message.dealer_id, live_events.MESSAGE, id=message.id,
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


def _finished(session: Session, dealer: Dealer, borrower: Borrower,
              texts: list[str]) -> list[str]:
    """The reply as it goes out: the last text passes the sender's `finish` step, so a
    collection agency's answer carries its notices once."""
    if not texts:
        return texts
    to_consumer = not not_borrower.said_so(session, borrower.id, utcnow())
    return [*texts[:-1], finish(dealer, borrower, texts[-1], to_consumer=to_consumer)]


def _card_warning_key(safe: Redaction) -> str | None:
    """The warning a text with card data gets (a security code or expiry on its own
    is not called a card number), or None."""
    if safe.card_number:
        return "card_number_warning"
    return "card_details_warning" if safe.card_details else None


def _before_nlu(session: Session, borrower: Borrower, dealer: Dealer, body: str,
                card_warning: str | None) -> list[str] | None:
    """Replies decided before NLU, or None to hand the text to the agent.

    `card_warning` is the reply key for a text that held card data (see
    `_card_warning_key`)."""
    word = keywords.classify(body, borrower.opted_out)
    if word is not None:
        return _keyword_reply(session, borrower, dealer, word, body)
    if borrower.opted_out or borrower.wrong_number:
        return []  # nothing is sent to an opted-out (or not-the-borrower's) number
    if escalations.taken_over(session, borrower.id) is not None:
        return []  # staff hold the conversation: stored and shown, never answered by the bot
    someone_else = not_borrower.said_so(session, borrower.id, utcnow())
    if keywords.asks_for_link(body):  # LINK / MENU / ENLACE: the self-service page
        if someone_else:  # it shows the whole account: not to someone who is not the borrower
            return [reply("not_borrower_withheld", borrower.language,
                          contact=dealer.contact_phone or "")]
        return link_reply(session, borrower)
    if card_warning is not None:
        return _card_warning(session, borrower, card_warning, link=not someone_else)
    if not body.strip():
        return [reply("text_only", borrower.language)]  # a picture-only MMS, a blank text
    return survey_answers.record_answer(session, borrower, body)  # a bare 1-5 to our survey


def _keyword_reply(session: Session, borrower: Borrower, dealer: Dealer, word: str,
                   body: str) -> list[str]:
    """STOP / START / HELP: the consent change is written to the consent ledger with the
    exact text and the confirmation as it goes out (finished here as it will be)."""
    if word == keywords.OPT_OUT:
        if borrower.opted_out:
            return []  # one confirmation only, ever
        confirmation = reply("opted_out", borrower.language, dealer=dealer.name)
        consent.revoke(session, borrower, consent.KEYWORD, body,
                       confirmation=finish(dealer, borrower, confirmation))
        log.info("opt-out from %s", mask(borrower.phone))
        return [confirmation]
    if word == keywords.OPT_IN:
        confirmation = reply("opted_in", borrower.language, dealer=dealer.name)
        consent.restore(session, borrower, consent.KEYWORD, body,
                        confirmation=finish(dealer, borrower, confirmation, opted_out=False))
        return [confirmation]
    return [reply("help", borrower.language, dealer=dealer.name,
                  contact=dealer.contact_phone or "")]


def _card_warning(session: Session, borrower: Borrower, key: str,
                  link: bool = True) -> list[str]:
    _drop_open_payment(session, borrower)
    account = primary_account(session, borrower)
    if account is None or not link:
        return [reply(f"{key}_no_link", borrower.language)]
    url = links.create_link(session, links.UPDATE_CARD, account.id)
    return [reply(key, borrower.language, link=url)]


def _drop_open_payment(session: Session, borrower: Borrower) -> None:
    """A YES after card data never charges an amount read from its digits."""
    question = questions.open_question(session, borrower.id)
    if question is None:
        return
    if question.awaiting == questions.PAYMENT_CONFIRMATION and question.awaiting_ref:
        charging.cancel_pending(session, question.awaiting_ref)
    questions.clear(session, borrower.id)


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
