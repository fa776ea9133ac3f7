"""Stripe webhook events signed as Stripe signs them (t=..., v1=HMAC-SHA256)."""

from __future__ import annotations

import hashlib
import hmac
import json
import time
import uuid

WEBHOOK_SECRET = "whsec_test"


def stripe_signature(payload: bytes, secret: str = WEBHOOK_SECRET,
                     timestamp: int | None = None) -> str:
    """The Stripe-Signature header Stripe would send for this payload."""
    timestamp = timestamp or int(time.time())
    signed = f"{timestamp}.".encode() + payload
    digest = hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"


def event(event_type: str, obj: dict, event_id: str | None = None) -> dict:
    """A Stripe event envelope around `obj` (a Stripe object as a dict)."""
    return {"id": event_id or f"evt_{uuid.uuid4().hex[:24]}", "object": "event",
            "type": event_type, "created": int(time.time()), "data": {"object": obj}}


def post_event(client, body: dict, secret: str = WEBHOOK_SECRET):
    """POST a signed event to /stripe/webhook through a Flask test client."""
    payload = json.dumps(body).encode()
    return client.post("/stripe/webhook", data=payload, content_type="application/json",
                       headers={"Stripe-Signature": stripe_signature(payload, secret)})
