"""/api/v1/payments: what was charged, per account."""

from __future__ import annotations

from flask import g, jsonify, request
from flask.typing import ResponseReturnValue
from sqlalchemy import select

from bot.clock import iso_utc
from bot.models import Payment
from bot.web.api import ApiError, api
from bot.web.api.accounts import owned_account


def payment_json(payment: Payment) -> dict:
    """The API's view of a payment."""
    return {
        "id": payment.id,
        "account_id": payment.account_id,
        "amount_cents": payment.amount_cents,
        "status": payment.status,
        "source": payment.source,
        "stripe_payment_intent_id": payment.stripe_payment_intent_id,
        "confirmation": payment.confirmation_code or None,
        "created_at": iso_utc(payment.created_at),
    }


@api.get("/payments")
def list_payments() -> ResponseReturnValue:
    """Payments of one account (`?account_id=`), oldest first."""
    raw = request.args.get("account_id", "")
    if not raw.isdigit():
        raise ApiError(400, "invalid_request", "account_id (an integer) is required")
    account = owned_account(int(raw))
    rows = g.db.execute(
        select(Payment).where(Payment.account_id == account.id).order_by(Payment.id)
    ).scalars()
    return jsonify(payments=[payment_json(p) for p in rows])
