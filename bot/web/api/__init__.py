"""The dealer REST API: /api/v1, Bearer API keys, JSON in and out.

Errors always have the shape {"error": {"code": ..., "message": ...}}.
"""

from __future__ import annotations

import logging

from flask import Blueprint, g, jsonify, request
from flask.typing import ResponseReturnValue
from werkzeug.exceptions import HTTPException

from bot.db import new_session
from bot.dealers import dealer_for_key

log = logging.getLogger(__name__)
api = Blueprint("api", __name__, url_prefix="/api/v1")


class ApiError(Exception):
    """An error answer: HTTP status, a stable code and a readable message."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


def error_response(status: int, code: str, message: str) -> ResponseReturnValue:
    """The contract's error JSON."""
    return jsonify(error={"code": code, "message": message}), status


@api.errorhandler(ApiError)
def _api_error(error: ApiError) -> ResponseReturnValue:
    return error_response(error.status, error.code, error.message)


@api.errorhandler(HTTPException)
def _http_error(error: HTTPException) -> ResponseReturnValue:
    code = (error.name or "error").lower().replace(" ", "_")
    return error_response(error.code or 500, code, error.description or error.name)


@api.app_errorhandler(404)
@api.app_errorhandler(405)
def _unrouted(error: HTTPException) -> ResponseReturnValue:
    """A URL under /api/v1 that matches no route still answers the contract's JSON."""
    if not request.path.startswith(api.url_prefix or "/api/v1"):
        return error
    body, status = _http_error(error)
    return body, status, {k: v for k, v in error.get_headers() if k == "Allow"}


@api.errorhandler(Exception)
def _unexpected(error: Exception) -> ResponseReturnValue:
    log.exception("api error")
    return error_response(500, "internal_error", "something went wrong on our side")


PUBLIC_ENDPOINTS = {"api.openapi_json"}
# The largest id a database row can have (a signed 64-bit integer).
MAX_ID = 2**63 - 1


@api.url_value_preprocessor
def _ids_in_range(_endpoint: str | None, values: dict | None) -> None:
    """An id no database can hold is simply not found (rather than a database error)."""
    for name, value in (values or {}).items():
        if isinstance(value, int) and not 0 < value <= MAX_ID:
            raise ApiError(404, "not_found", f"no {name.removesuffix('_id')} {value}")


@api.before_request
def _authenticate() -> None:
    """Every route needs `Authorization: Bearer <dealer API key>` (401 reveals nothing)."""
    g.db = new_session()
    if request.endpoint in PUBLIC_ENDPOINTS:
        return
    header = request.headers.get("Authorization", "")
    scheme, _, key = header.partition(" ")
    dealer = dealer_for_key(g.db, key.strip()) if scheme.lower() == "bearer" else None
    if dealer is None:
        raise ApiError(401, "unauthorized", "a valid API key is required")
    g.dealer = dealer
    g.db.commit()
    _each_parameter_once()


def _each_parameter_once() -> None:
    """No query parameter takes a list here, so one given twice ("?limit=&limit=5") is a
    mistake to report, not something to guess at by reading the first."""
    repeated = sorted(name for name in request.args if len(request.args.getlist(name)) > 1)
    if repeated:
        raise ApiError(400, "invalid_request",
                       f"give each query parameter once: {', '.join(repeated)} was repeated")


@api.teardown_request
def _close_session(error: BaseException | None) -> None:
    session = g.pop("db", None)
    if session is not None:
        if error is not None:
            session.rollback()
        session.close()


def json_body() -> dict:
    """The request's JSON object, or a 400 with a clear message."""
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        raise ApiError(400, "invalid_request", "the body must be a JSON object "
                       "(Content-Type: application/json)")
    return data


from bot.web.api import (  # noqa: E402,F401 - registers the routes
    accounts,
    consent,
    escalations,
    experiments,
    imports,
    openapi,
    payments,
    schedule,
    stats,
    templates,
)
