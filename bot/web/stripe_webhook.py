"""POST /stripe/webhook: Stripe's events, signature verified."""

from __future__ import annotations

import json
import logging

import stripe
from flask import Blueprint, jsonify, request
from flask.typing import ResponseReturnValue

from bot.db import session_scope
from bot.payments.webhook_events import apply_event
from bot.settings import get_settings

log = logging.getLogger(__name__)
bp = Blueprint("stripe_webhook", __name__)


@bp.post("/stripe/webhook")
def stripe_webhook() -> ResponseReturnValue:
    """Verify Stripe-Signature (400 when wrong), then apply the event once."""
    secret = get_settings().stripe_webhook_secret
    if not secret:
        log.warning("stripe webhook refused: STRIPE_WEBHOOK_SECRET is not set")
        return jsonify(error={"code": "not_configured", "message": "webhooks not configured"}), 400
    payload = request.get_data()
    try:
        stripe.Webhook.construct_event(payload, request.headers.get("Stripe-Signature", ""), secret)
    except (ValueError, stripe.SignatureVerificationError):
        return jsonify(error={"code": "bad_signature", "message": "invalid signature"}), 400
    event = json.loads(payload)
    with session_scope() as session:
        outcome = apply_event(session, event)
    log.info("stripe event %s: %s", event.get("type"), outcome)
    return jsonify(received=True, outcome=outcome)
