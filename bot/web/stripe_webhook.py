"""POST /stripe/webhook: Stripe's events, signature verified.

Two Stripe webhook endpoints may point here: the deployment's own account's
(signed with STRIPE_WEBHOOK_SECRET) and the Connect endpoint for dealers'
connected accounts (STRIPE_CONNECT_WEBHOOK_SECRET), whose events name the
account they come from (`account`); bot/payments/webhook_events.py routes them.
"""

from __future__ import annotations

import json
import logging

import stripe
from flask import Blueprint, jsonify, request
from flask.typing import ResponseReturnValue

from bot.clock import epoch_seconds
from bot.db import session_scope
from bot.messaging.notices import carry_out
from bot.payments.webhook_events import Applied, apply_event
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


def _signed_by_us(payload: bytes, signature: str, secrets: list[str]) -> bool:
    for secret in secrets:
        try:
            stripe.Webhook.construct_event(payload, signature, secret,
                                           tolerance=TOLERANCE_SECONDS)
        except stripe.SignatureVerificationError:
            continue
        except ValueError:
            return False
        return True
    return False


@bp.post("/stripe/webhook")
def stripe_webhook() -> ResponseReturnValue:
    """Verify Stripe-Signature (400 when wrong), then apply the event once.

    500 when applying failed, so that Stripe delivers it again.
    """
    settings = get_settings()
    secrets = [s for s in (settings.stripe_webhook_secret,
                           settings.stripe_connect_webhook_secret) if s]
    if not secrets:
        log.warning("stripe webhook refused: STRIPE_WEBHOOK_SECRET is not set")
        return jsonify(error={"code": "not_configured", "message": "webhooks not configured"}), 400
    payload = request.get_data()
    header = request.headers.get("Stripe-Signature", "")
    if not _signed_by_us(payload, header, secrets):
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
            applied = apply_event(session, event)
    except Exception:
        # Nothing was kept (the event row rolls back with its effects): Stripe retries.
        log.exception("stripe event %s (%s) failed", event["id"], event.get("type"))
        return jsonify(error={"code": "retry", "message": "not applied; retry later"}), 500
    _carry_out(event, applied)
    log.info("stripe event %s: %s", event.get("type"), applied.outcome,
             extra={"stripe_event": event["id"], "outcome": applied.outcome})
    return jsonify(received=True, outcome=applied.outcome)


def _carry_out(event: dict, applied: Applied) -> None:
    """Texts and staff alerts that follow an applied event. The money is recorded
    already, so a failure here is logged, not retried by Stripe (which would only
    find the event a duplicate)."""
    if not applied.followups:
        return
    try:
        with session_scope() as session:
            carry_out(session, applied.followups)
    except Exception:
        log.exception("follow-ups of stripe event %s failed", event["id"])
