"""The one outbound sender: every text we start (not a webhook reply) goes here.

It refuses to text a number that opted out or is not the borrower's, logs the
message (redacted), and hands it to a transport: Twilio's REST API through the
official client, or, in demo mode, a capture that the phone simulator shows.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from functools import cache

from sqlalchemy.orm import Session
from twilio.rest import Client

from bot.messaging.redaction import redact_card_numbers
from bot.models import Borrower, DealerNumber, Message
from bot.phones import mask
from bot.settings import get_settings

log = logging.getLogger(__name__)

# Twilio error codes that mean "never text this number again" / "not a phone".
OPTED_OUT_ERRORS = {21610}
INVALID_NUMBER_ERRORS = {21211, 21614}


class SendRefused(Exception):
    """The message may not be sent; `reason` says why (opted_out, wrong_number, ...)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


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


def _sending_number(session: Session, dealer_id: int) -> str:
    number = session.query(DealerNumber).filter_by(dealer_id=dealer_id).order_by(
        DealerNumber.id).first()
    if number is None:
        raise SendRefused("no_sending_number")
    return number.phone


def apply_carrier_error(borrower: Borrower, error_code: int | None) -> None:
    """A carrier's verdict on a number sticks: opted out (21610) or invalid."""
    if error_code in OPTED_OUT_ERRORS:
        borrower.opted_out = True
    elif error_code in INVALID_NUMBER_ERRORS:
        borrower.wrong_number = True


def send_sms(session: Session, borrower: Borrower, body: str, *, kind: str,
             author: str = "bot", account_id: int | None = None) -> Message:
    """Send one text to a borrower now, or raise SendRefused saying why not."""
    if borrower.opted_out:
        raise SendRefused("opted_out")
    if borrower.wrong_number:
        raise SendRefused("wrong_number")
    body, _ = redact_card_numbers(body)
    from_number = _sending_number(session, borrower.dealer_id)
    if get_settings().demo_mode:
        result = SendResult(None, "captured")
    else:
        result = _send_with_twilio(from_number, borrower.phone, body)
    apply_carrier_error(borrower, result.error_code)
    message = Message(
        dealer_id=borrower.dealer_id, borrower_id=borrower.id, account_id=account_id,
        direction="outbound", author=author, kind=kind, body=body,
        message_sid=result.sid, from_number=from_number, to_number=borrower.phone,
        status=result.status, error_code=result.error_code,
    )
    session.add(message)
    session.flush()
    return message
