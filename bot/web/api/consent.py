"""The consent ledger through the API: one phone number's history, and a CSV of every
entry over a range of the dealer's local days (bot/consent.py keeps the ledger)."""

from __future__ import annotations

from datetime import timedelta

from flask import Response, g, jsonify, request
from flask.typing import ResponseReturnValue
from sqlalchemy import select

from bot import consent
from bot.console.consent_report import MAX_DAYS, event_json, ledger_csv
from bot.localtime import dealer_today
from bot.models import Borrower
from bot.phones import to_e164
from bot.web.api import ApiError, api
from bot.web.api.stats import DEFAULT_DAYS, date_param


@api.get("/consent")
def consent_history() -> ResponseReturnValue:
    """Every consent entry for `phone`, oldest first, and whether it may be texted now."""
    raw = request.args.get("phone") or ""
    phone = to_e164(raw.strip(), g.dealer.country or "US")
    if phone is None:
        raise ApiError(400, "invalid_request", "phone must be a phone number, e.g. +15551230001")
    borrower = g.db.execute(select(Borrower).where(Borrower.dealer_id == g.dealer.id,
                                                   Borrower.phone == phone)).scalar_one_or_none()
    return jsonify(phone=phone, opted_out=borrower.opted_out if borrower else None,
                   events=[event_json(e) for e in consent.history(g.db, g.dealer.id, phone)])


@api.get("/consent/export")
def consent_export() -> ResponseReturnValue:
    """The ledger from `from` to `to` (the dealer's local days, inclusive) as CSV."""
    end = date_param("to", dealer_today(g.dealer))
    start = date_param("from", end - timedelta(days=DEFAULT_DAYS - 1))
    if start > end or (end - start).days >= MAX_DAYS:
        raise ApiError(400, "invalid_request",
                       f"from must be on or before to, at most {MAX_DAYS} days apart")
    body = ledger_csv(g.db, g.dealer, start, end)
    name = f"consent-{start.isoformat()}-{end.isoformat()}.csv"
    return Response(body, mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})
