"""Twilio's webhooks: inbound texts (answered with TwiML) and delivery status."""

from __future__ import annotations

import logging

from flask import Blueprint, Response, abort, request
from twilio.request_validator import RequestValidator
from twilio.twiml.messaging_response import MessagingResponse

from bot.db import session_scope
from bot.messaging.inbound import InboundSms, receive
from bot.messaging.status import apply_status_callback
from bot.settings import get_settings

log = logging.getLogger(__name__)
bp = Blueprint("twilio", __name__, url_prefix="/twilio")


def signed_url() -> str:
    """The URL Twilio signed: PUBLIC_URL + path when behind a proxy, else the request URL."""
    public = get_settings().public_url
    if not public:
        return request.url
    query = request.query_string.decode()
    return f"{public}{request.path}" + (f"?{query}" if query else "")


def require_twilio_signature() -> None:
    """403 unless X-Twilio-Signature is valid for this URL and these fields."""
    settings = get_settings()
    token = settings.twilio_auth_token
    signature = request.headers.get("X-Twilio-Signature", "")
    if not token or not signature:
        log.warning("twilio webhook without signature or auth token")
        abort(403)
    if not RequestValidator(token).validate(signed_url(), request.form.to_dict(), signature):
        log.warning("twilio webhook with a forged signature")
        abort(403)


def twiml(texts: list[str]) -> Response:
    """A TwiML answer with one <Message> per text (none: an empty <Response/>)."""
    response = MessagingResponse()
    for text in texts:
        response.message(text)
    return Response(str(response), mimetype="application/xml")


@bp.post("/sms")
def inbound_sms() -> Response:
    """An inbound text: check the signature, hand it to the turn, answer in TwiML."""
    require_twilio_signature()
    form = request.form
    return twiml(receive(InboundSms(from_number=form.get("From", ""),
                                    to_number=form.get("To", ""),
                                    body=form.get("Body", ""),
                                    message_sid=form.get("MessageSid"))))


@bp.post("/status")
def status_callback() -> Response:
    """Twilio's delivery report for a message we sent."""
    require_twilio_signature()
    form = request.form
    with session_scope() as session:
        apply_status_callback(
            session,
            message_sid=form.get("MessageSid", ""),
            status=form.get("MessageStatus", ""),
            error_code=form.get("ErrorCode"),
        )
    return Response(status=204)
