"""Liveness and readiness for load balancers and Kubernetes probes."""

from __future__ import annotations

from flask import Blueprint, jsonify
from flask.typing import ResponseReturnValue
from sqlalchemy import text

from bot import db
from bot.dialogue.agent import loaded_runner

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz() -> ResponseReturnValue:
    """The process answers."""
    return jsonify(status="ok")


@bp.get("/readyz")
def readyz() -> ResponseReturnValue:
    """Ready to take texts: the model is loaded and the database answers."""
    problems = []
    if loaded_runner() is None:
        problems.append("model not loaded")
    try:
        with db.engine().connect() as connection:
            connection.execute(text("SELECT 1"))
    except Exception as error:
        problems.append(f"database: {type(error).__name__}")
    if problems:
        return jsonify(status="unavailable", problems=problems), 503
    return jsonify(status="ready")
