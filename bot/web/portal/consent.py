"""The consent ledger's CSV export for dealer admins (the dashboard links here)."""

from __future__ import annotations

from datetime import date, timedelta

from flask import Response, g, request
from flask.typing import ResponseReturnValue

from bot.console.consent_report import MAX_DAYS, ledger_csv
from bot.web.portal import bp
from bot.web.portal.helpers import admin_required, dealer_today

DEFAULT_DAYS = 30


def _day(name: str, default: date) -> date:
    try:
        return date.fromisoformat(request.args.get(name) or "")
    except ValueError:
        return default


@bp.get("/consent.csv")
@admin_required
def consent_export() -> ResponseReturnValue:
    """Every consent entry from `from` to `to` (local days, inclusive; at most a year)."""
    end = _day("to", dealer_today())
    start = _day("from", end - timedelta(days=DEFAULT_DAYS - 1))
    start = min(max(start, end - timedelta(days=MAX_DAYS - 1)), end)
    name = f"consent-{start.isoformat()}-{end.isoformat()}.csv"
    return Response(ledger_csv(g.db, g.dealer, start, end), mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})
