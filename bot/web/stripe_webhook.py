"""POST /stripe/webhook: Stripe's events, signature verified."""

from __future__ import annotations

import json
import logging

import stripe
from flask import Blueprint, jsonify, request
from flask.typing import ResponseReturnValue

from bot.clock import epoch_seconds
from bot.db import session_scope
from bot.payments.webhook_events import apply_event
from bot.settings import get_settings

log = logging.getLogger(__name__)
bp = Blueprint("stripe_webhook", __name__)
# How far a signature's timestamp may be from now, either way (Stripe's own check
# refuses only old ones; one signed in the future is as suspect as a replay).
TOLERANCE_SECONDS = 300


def _signed_at(header: str) -> int | None:
    """The t= of a Stripe-Signature header."""
    for part in header.split(","):
        key, _, value = part.strip().partition("=")
        if key == "t" and value.isdigit():
            return int(value)
    return None


@bp.post("/stripe/webhook")
def stripe_webhook() -> ResponseReturnValue:
    """Verify Stripe-Signature (400 when wrong), then apply the event once.

    500 when applying failed, so that Stripe delivers it again.
    """
    secret = get_settings().stripe_webhook_secret
    if not secret:
        log.warning("stripe webhook refused: STRIPE_WEBHOOK_SECRET is not set")
        return jsonify(error={"code": "not_configured", "message": "webhooks not configured"}), 400
    payload = request.get_data()
    header = request.headers.get("Stripe-Signature", "")
    try:
        stripe.Webhook.construct_event(payload, header, secret, tolerance=TOLERANCE_SECONDS)
    except (ValueError, stripe.SignatureVerificationError):
        return jsonify(error={"code": "bad_signature", "message": "invalid signature"}), 400
    signed_at = _signed_at(header)
    if signed_at is None or signed_at > epoch_seconds() + TOLERANCE_SECONDS:
        log.warning("stripe webhook signed in the future refused")
        return jsonify(error={"code": "bad_signature", "message": "invalid signature"}), 400
    event = json.loads(payload)
    if not isinstance(event.get("id"), str) or not isinstance(event.get("data"), dict):
        return jsonify(error={"code": "bad_event", "message": "not a Stripe event"}), 400
    try:
        with session_scope() as session:
            outcome = apply_event(session, event)
    except Exception:
        # Nothing was kept (the event row rolls back with its effects): Stripe retries.
        log.exception("stripe event %s (%s) failed", event["id"], event.get("type"))
        return jsonify(error={"code": "retry", "message": "not applied; retry later"}), 500
    log.info("stripe event %s: %s", event.get("type"), outcome,
             extra={"stripe_event": event["id"], "outcome": outcome})
    return jsonify(received=True, outcome=outcome)
