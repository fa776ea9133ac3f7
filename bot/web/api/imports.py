"""POST /api/v1/accounts/import: a CSV of accounts, upserted by reference."""

from __future__ import annotations

from flask import g, jsonify, request
from flask.typing import ResponseReturnValue

from bot.campaigns.imports import ImportFileError, import_csv
from bot.campaigns.welcome import after_creation
from bot.web.api import ApiError, api


@api.post("/accounts/import")
def import_accounts() -> ResponseReturnValue:
    """Import a CSV body; 200 with counts and every bad row (line and reason)."""
    raw = request.get_data(cache=False)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ApiError(400, "invalid_csv", "the CSV must be UTF-8 text") from None
    try:
        report = import_csv(g.db, g.dealer, text)
    except ImportFileError as error:
        g.db.rollback()
        raise ApiError(400, "invalid_csv", str(error)) from None
    g.db.commit()
    after_creation(g.dealer.id, report.created_ids, report.cards_to_read)
    return jsonify(report.as_json())
