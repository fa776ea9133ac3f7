"""GET /api/v1/stats?from=&to=: the dealer's results over a range of its local days."""

from __future__ import annotations

from datetime import date, timedelta

from flask import g, jsonify, request
from flask.typing import ResponseReturnValue

from bot.campaigns.experiments import experiments_json
from bot.campaigns.stats import dealer_stats
from bot.localtime import dealer_today
from bot.web.api import ApiError, api

DEFAULT_DAYS = 30


def date_param(name: str, default: date) -> date:
    """A YYYY-MM-DD query parameter (default when absent); 400 when unreadable."""
    raw = request.args.get(name)
    if not raw:
        return default
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise ApiError(400, "invalid_request", f"{name} must be a date like 2026-12-01") from None


@api.get("/stats")
def stats() -> ResponseReturnValue:
    """Results from `from` to `to` (inclusive; default: the last 30 days)."""
    end = date_param("to", dealer_today(g.dealer))
    start = date_param("from", end - timedelta(days=DEFAULT_DAYS - 1))
    try:
        results = dealer_stats(g.db, g.dealer, start, end)
    except ValueError as error:
        raise ApiError(400, "invalid_request", str(error)) from None
    # Experiments are judged over their whole life, not the range (see the description).
    return jsonify({**results, "experiments": experiments_json(g.db, g.dealer)})
