"""/api/v1/accounts: create and read a dealer's accounts."""

from __future__ import annotations

import base64
import binascii

from flask import g, jsonify, request
from flask.typing import ResponseReturnValue

from bot.accounts import (
    AccountInputError,
    account_json,
    create_account,
    parse_account,
    set_approved_payers,
)
from bot.campaigns.welcome import after_creation
from bot.clock import parse_instant
from bot.console.account_filters import (
    MAX_API_PAGE,
    PAGE_SIZE,
    SEGMENTS,
    STATUSES,
    accounts_after,
)
from bot.localtime import dealer_today
from bot.models import Account
from bot.web.api import MAX_ID, ApiError, api, json_body

STATUS_FOR_CODE = {"duplicate_reference": 409, "stripe_not_connected": 409,
                   "stripe_unavailable": 503}


def owned_account(account_id: int) -> Account:
    """The dealer's account, or 404 (also for another dealer's account: never 403)."""
    account = g.db.get(Account, account_id) if 0 < account_id <= MAX_ID else None
    if account is None or account.dealer_id != g.dealer.id:
        raise ApiError(404, "not_found", f"no account {account_id}")
    return account


@api.post("/accounts")
def create() -> ResponseReturnValue:
    """Create an account; its card must be in the dealer's own Stripe account, which gives
    the card's brand and last4."""
    try:
        data = parse_account(json_body())
        account = create_account(g.db, g.dealer, data)
    except AccountInputError as error:
        g.db.rollback()
        raise ApiError(STATUS_FOR_CODE.get(error.code, 400), error.code, error.message) from None
    g.db.commit()
    after_creation(g.dealer.id, [account.id])
    return jsonify(account_json(account)), 201


def _cursor(raw: str | None) -> int:
    """The id a cursor continues after (opaque to callers; 0 starts from the beginning)."""
    if not raw:
        return 0
    try:
        text = base64.urlsafe_b64decode(raw.encode("ascii") + b"=" * (-len(raw) % 4))
        kind, _, value = text.decode("ascii").partition(":")
        after = int(value)
    except (ValueError, UnicodeError, binascii.Error):
        kind, after = "", -1
    if kind != "after" or not 0 < after <= MAX_ID:
        raise ApiError(400, "invalid_request", "cursor is not one this API gave out")
    return after


def _next_cursor(after: int | None) -> str | None:
    if after is None:
        return None
    return base64.urlsafe_b64encode(f"after:{after}".encode()).decode().rstrip("=")


def _choice(name: str, allowed: dict) -> str | None:
    value = request.args.get(name) or None
    if value is not None and value not in allowed:
        raise ApiError(400, "invalid_request", f"{name} must be one of {', '.join(allowed)}")
    return value


def _limit() -> int:
    raw = request.args.get("limit") or str(PAGE_SIZE)
    if not raw.isdigit() or not 1 <= int(raw) <= MAX_API_PAGE:
        raise ApiError(400, "invalid_request", f"limit must be from 1 to {MAX_API_PAGE}")
    return int(raw)


@api.get("/accounts")
def list_accounts() -> ResponseReturnValue:
    """The dealer's accounts in id order, a page at a time, filtered by segment, status
    and change time; `next_cursor` fetches the next page (null on the last)."""
    since = request.args.get("updated_since") or None
    try:
        updated_since = parse_instant(since).replace(tzinfo=None) if since else None
    except ValueError:
        raise ApiError(400, "invalid_request", "updated_since must be an ISO 8601 moment "
                       "like 2026-12-01T00:00:00Z") from None
    page = accounts_after(g.db, g.dealer.id, dealer_today(g.dealer),
                          after=_cursor(request.args.get("cursor")), limit=_limit(),
                          segment=_choice("segment", SEGMENTS),
                          status=_choice("status", STATUSES), updated_since=updated_since)
    return jsonify(accounts=[account_json(a) for a in page.rows],
                   next_cursor=_next_cursor(page.next_after))


@api.get("/accounts/<int:account_id>")
def show(account_id: int) -> ResponseReturnValue:
    """One account."""
    return jsonify(account_json(owned_account(account_id)))


@api.put("/accounts/<int:account_id>/approved_payers")
def put_approved_payers(account_id: int) -> ResponseReturnValue:
    """Replace who may pay on the account for the borrower (enforced when the dealer's
    `payers_must_be_approved` setting is on)."""
    account = owned_account(account_id)
    try:
        set_approved_payers(account, json_body())
    except AccountInputError as error:
        g.db.rollback()
        raise ApiError(400, error.code, error.message) from None
    g.db.commit()
    return jsonify(account_json(account))
