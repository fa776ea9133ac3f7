"""Twilio's webhooks: inbound texts (answered with TwiML) and delivery status."""

from __future__ import annotations

import hashlib
import logging
import re
import time
import uuid

from flask import Blueprint, Response, abort, request
from twilio.request_validator import RequestValidator
from twilio.twiml.messaging_response import MessagingResponse

from bot.db import session_scope
from bot.dialogue.agent import get_runner
from bot.messaging.inbound import InboundSms, handle_inbound
from bot.messaging.status import apply_status_callback
from bot.phones import mask, to_e164
from bot.settings import get_settings
from bot.wording.catalog import reply

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


# Control characters (NUL breaks PostgreSQL text) except tab and newlines.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
MAX_BODY = 1600  # Twilio's own limit for one message
MAX_SID = 64


def clean_body(body: str) -> str:
    """The text as we store and parse it: no control characters, at most 1,600 characters."""
    return _CONTROL.sub("", body)[:MAX_BODY]


def clean_sid(sid: str | None) -> str:
    """Twilio's MessageSid (34 characters); anything odd is replaced by a stable digest."""
    if not sid:
        return f"missing-{uuid.uuid4().hex}"
    if len(sid) <= MAX_SID and not _CONTROL.search(sid):
        return sid
    return "h" + hashlib.sha256(sid.encode("utf-8", "replace")).hexdigest()[:MAX_SID - 1]


def conversation_key(sms: InboundSms) -> str:
    """The lock that keeps one phone's texts to one dealer number in arrival order.

    Hashed so that Redis keys carry no phone numbers.
    """
    to_number = to_e164(sms.to_number) or sms.to_number
    from_number = to_e164(sms.from_number) or sms.from_number
    pair = f"{to_number}|{from_number}"
    return "sms:" + hashlib.sha256(pair.encode("utf-8", "replace")).hexdigest()[:32]


def agent_responder(sender_id: str, text: str) -> list[str]:
    """Hand one text to the in-process Rasa agent."""
    settings = get_settings()
    return get_runner(settings.model_path, settings.redis_url).respond(sender_id, text)


@bp.post("/sms")
def inbound_sms() -> Response:
    """An inbound text: answer it in TwiML, one text per phone at a time, in arrival order."""
    require_twilio_signature()
    form = request.form
    sms = InboundSms(
        from_number=form.get("From", "")[:40],
        to_number=form.get("To", "")[:40],
        body=clean_body(form.get("Body", "")),
        message_sid=clean_sid(form.get("MessageSid")),
    )
    settings = get_settings()
    started = time.perf_counter()
    try:
        locks = get_runner(settings.model_path, settings.redis_url).locks
        with locks.hold(conversation_key(sms)):
            texts = handle_inbound(sms, agent_responder)
    except Exception:
        # Never a stack trace to the caller: apologise, keep the details in the log.
        log.exception("inbound text failed")
        texts = [reply("system_error", "en")]
    log.info("inbound text from %s answered with %d text(s)", mask(to_e164(sms.from_number)),
             len(texts), extra={"event": "sms_inbound", "message_sid": sms.message_sid,
                                "ms": round((time.perf_counter() - started) * 1000, 1)})
    return twiml(texts)


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
