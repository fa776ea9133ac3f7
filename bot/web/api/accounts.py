"""/api/v1/accounts: create and read a dealer's accounts."""

from __future__ import annotations

from flask import g, jsonify
from flask.typing import ResponseReturnValue

from bot.accounts import AccountInputError, account_json, create_account, parse_account
from bot.campaigns.welcome import after_creation
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


@api.get("/accounts/<int:account_id>")
def show(account_id: int) -> ResponseReturnValue:
    """One account."""
    return jsonify(account_json(owned_account(account_id)))
