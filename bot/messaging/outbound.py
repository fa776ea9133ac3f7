"""The one outbound sender: every text we start (not a webhook reply) goes here.

Reminders, receipts, plan and promise notices and staff replies all pass the
same checks at the moment they go, not only when they were planned:

1. a number that opted out, is not the borrower's, or is not textable: refused;
2. `finish`: a collection agency's text gets the debt-collector disclosure
   and an opt-out instruction when it lacks them (TwiML replies pass the
   same step);
3. quiet hours and the borrower's own hours and days (bot/messaging/quiet_hours.py,
   bot/contact_preferences.py): outside them the text is kept as `deferred` until
   the next allowed moment (or refused, for callers that defer on their own) —
   unless the borrower wrote to us in the last hour, since answering someone
   mid-conversation (a receipt for the payment they just made, a staff reply to
   their question) is not a cold text;
4. the per-recipient cap against SMS pumping (bot/messaging/number_limits.py),
   then pacing per sending number (a token bucket, shared through Redis when
   REDIS_URL is set, so every worker keeps the carrier's per-number rate);
5. the transport: Twilio's REST API through the official client (with the
   status callback), or in demo mode a capture that the phone simulator shows.

The message is logged (card data redacted) whatever happens.
"""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache

from sqlalchemy import select
from sqlalchemy.orm import Session
from twilio.rest import Client

from bot import consent
from bot.clock import utcnow
from bot.messaging import number_limits
from bot.messaging.quiet_hours import hold_reason, next_allowed
from bot.messaging.rate_limit import TokenBucket
from bot.models import Borrower, Dealer, DealerNumber, Message
from bot.phones import mask
from bot.redaction import redact_card_data
from bot.settings import get_settings
from bot.wording.compliance import with_required_notices

log = logging.getLogger(__name__)

# Twilio error codes that mean "never text this number again" / "not a phone".
OPTED_OUT_ERRORS = {21610}
INVALID_NUMBER_ERRORS = {21211, 21614}
# A borrower who wrote this recently is in a conversation: answers may go at any hour.
CONVERSATION_WINDOW = timedelta(hours=1)
# How long a send waits for its sending number's next free slot before giving up.
MAX_PACING_WAIT_SECONDS = 30.0
DEFERRED = "deferred"


class SendRefused(Exception):
    """The message may not be sent; `reason` says why (opted_out, quiet_hours, ...).

    For quiet hours and the borrower's hours or days (quiet_hours.HOLD_REASONS),
    `retry_at` is the next moment it may go (naive UTC).
    """

    def __init__(self, reason: str, retry_at: datetime | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.retry_at = retry_at


@dataclass(frozen=True)
class SendResult:
    """What the transport said: Twilio's SID and status, or an error code."""

    sid: str | None
    status: str
    error_code: int | None = None


@cache
def _twilio_client(sid: str, token: str, api_base: str | None) -> Client:
    client = Client(sid, token)
    if api_base:
        client.api.base_url = api_base.rstrip("/")
    return client


def _send_with_twilio(from_number: str, to_number: str, body: str) -> SendResult:
    from twilio.base.exceptions import TwilioRestException

    settings = get_settings()
    settings.require("twilio_account_sid", "twilio_auth_token")
    client = _twilio_client(settings.twilio_account_sid, settings.twilio_auth_token,
                            settings.twilio_api_base)
    callback = f"{settings.public_url}/twilio/status" if settings.public_url else None
    try:
        message = client.messages.create(to=to_number, from_=from_number, body=body,
                                         status_callback=callback)
    except TwilioRestException as error:
        log.warning("twilio refused a message to %s: %s", mask(to_number), error.code)
        return SendResult(None, "failed", error.code)
    return SendResult(message.sid, message.status or "queued")


def finish(dealer: Dealer, borrower: Borrower, text: str, *,
           opted_out: bool | None = None, to_consumer: bool = True) -> str:
    """The one last step of every text we send, a reply or one we start: a
    collection agency's text gets the debt-collector disclosure and the opt-out
    instruction it lacks (never to a number that said it is not the borrower's:
    the disclosure would reveal the debt), and no card data ever leaves.

    `opted_out` overrides the borrower's flag (a START confirmation is finished
    as the text to a number that may be texted again). `to_consumer` False: a
    reply to someone who said they are not the borrower gets no debt-collector
    disclosure, for the same reason (bot/dialogue/not_borrower.py)."""
    opted_out = borrower.opted_out if opted_out is None else opted_out
    if not (borrower.wrong_number or opted_out):
        text = with_required_notices(dealer.collector_mode, borrower.language, text,
                                     to_consumer=to_consumer)
    return redact_card_data(text).text


def sending_number(session: Session, borrower: Borrower) -> str:
    """The dealer number this borrower is texted from (always the same one for them)."""
    numbers = session.execute(
        select(DealerNumber.phone).where(DealerNumber.dealer_id == borrower.dealer_id)
        .order_by(DealerNumber.id)
    ).scalars().all()
    if not numbers:
        raise SendRefused("no_sending_number")
    return numbers[(borrower.id or 0) % len(numbers)]


@cache
def _bucket(rate: float, redis_url: str | None) -> TokenBucket:
    # One token at most saved up: the carrier's per-number rate is a steady pace.
    return TokenBucket(rate=rate, burst=1.0, redis_url=redis_url, prefix="textpay:send")


def pace(dealer: Dealer, from_number: str) -> bool:
    """Wait for the sending number's next slot at the dealer's rate; False if none came."""
    rate = dealer.messages_per_second or 1.0
    bucket = _bucket(float(rate), get_settings().redis_url)
    return bucket.take(from_number, max_wait=MAX_PACING_WAIT_SECONDS)


def apply_carrier_error(session: Session, borrower: Borrower, error_code: int | None,
                        message_sid: str | None = None) -> None:
    """A carrier's verdict on a number sticks: opted out (21610, in the consent ledger)
    or not textable."""
    if error_code in OPTED_OUT_ERRORS:
        consent.revoke(session, borrower, consent.CARRIER,
                       f"Twilio error {error_code}" + (f" on message {message_sid}"
                                                       if message_sid else ""))
    elif error_code in INVALID_NUMBER_ERRORS:
        borrower.invalid_number = True


def refusal(borrower: Borrower) -> str | None:
    """Why nothing at all may be texted to this borrower, or None."""
    if borrower.opted_out:
        return "opted_out"
    if borrower.wrong_number or borrower.invalid_number:
        return "wrong_number"
    return None


def in_conversation(session: Session, borrower: Borrower, at: datetime) -> bool:
    """Whether the borrower texted us within the last hour before `at`."""
    last = session.execute(
        select(Message.created_at).where(Message.borrower_id == borrower.id,
                                         Message.direction == "inbound")
        .order_by(Message.id.desc()).limit(1)
    ).scalar_one_or_none()
    return last is not None and at - CONVERSATION_WINDOW <= last <= at


def transmit(session: Session, message: Message, borrower: Borrower, dealer: Dealer) -> None:
    """Pace and hand a prepared message to the transport; record what it said."""
    if not number_limits.outbound_allowed(borrower.phone):
        raise SendRefused("number_cap")  # no number is texted over and over (SMS pumping)
    if not pace(dealer, message.from_number):
        raise SendRefused("rate_limited")
    if get_settings().demo_mode:
        result = SendResult(None, "captured")
    else:
        result = _send_with_twilio(message.from_number, borrower.phone, message.body)
    apply_carrier_error(session, borrower, result.error_code, result.sid)
    message.message_sid, message.status = result.sid, result.status
    message.error_code, message.send_after = result.error_code, None


def send_sms(session: Session, borrower: Borrower, body: str, *, kind: str,
             author: str = "bot", account_id: int | None = None,
             at: datetime | None = None, defer: bool = True) -> Message:
    """Send one text to a borrower now (or, in quiet hours, at the next allowed moment).

    Raises SendRefused saying why not: opted_out, wrong_number, no_sending_number,
    rate_limited, or when `defer` is False quiet_hours, preferred_hours or avoided_day
    (`retry_at` says when).
    """
    at = at or utcnow()
    reason = refusal(borrower)
    if reason:
        raise SendRefused(reason)
    dealer = session.get(Dealer, borrower.dealer_id)
    body = finish(dealer, borrower, body)
    message = Message(
        dealer_id=borrower.dealer_id, borrower_id=borrower.id, account_id=account_id,
        direction="outbound", author=author, kind=kind, body=body,
        from_number=sending_number(session, borrower), to_number=borrower.phone,
        status="queued", created_at=at,
    )
    held = hold_reason(borrower, dealer, at)
    if held and not in_conversation(session, borrower, at):
        retry_at = next_allowed(borrower, dealer, at)
        if not defer:
            raise SendRefused(held, retry_at)
        message.status, message.send_after = DEFERRED, retry_at
    else:
        transmit(session, message, borrower, dealer)
    session.add(message)
    session.flush()
    return message


# A deferred text that still could not go after this long is dropped, not retried forever.
MAX_DEFERRAL = timedelta(days=3)


def _settle_deferred(session: Session, message: Message, at: datetime) -> str:
    borrower = session.get(Borrower, message.borrower_id)
    dealer = session.get(Dealer, message.dealer_id)
    reason = refusal(borrower)
    if reason is None and at - message.created_at > MAX_DEFERRAL:
        reason = "expired"
    if reason is not None:
        message.status, message.send_after = "canceled", None
        return reason
    held = hold_reason(borrower, dealer, at)
    if held:
        message.send_after = next_allowed(borrower, dealer, at)
        return held
    try:
        transmit(session, message, borrower, dealer)
    except SendRefused as refused:
        message.send_after = at + timedelta(minutes=1)
        return refused.reason
    return "sent" if message.status != "failed" else "failed"


def send_deferred(session: Session, at: datetime, dealer_id: int | None = None) -> Counter:
    """Send the texts quiet hours held back whose moment has come; outcomes counted.

    Commits after each text, so a crash never sends one twice.
    """
    query = select(Message.id).where(Message.status == DEFERRED, Message.send_after <= at)
    if dealer_id is not None:
        query = query.where(Message.dealer_id == dealer_id)
    outcomes: Counter = Counter()
    for message_id in session.execute(query.order_by(Message.id)).scalars().all():
        message = session.get(Message, message_id)
        outcomes[_settle_deferred(session, message, at)] += 1
        session.commit()
    return outcomes
