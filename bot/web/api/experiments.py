"""/api/v1/experiments: variants of a reminder tried against each other, and how each does."""

from __future__ import annotations

from typing import Any

from flask import g, jsonify
from flask.typing import ResponseReturnValue

from bot.campaigns.experiments import (
    RUNNING,
    STOPPED,
    ExperimentError,
    VariantIn,
    change_experiment,
    create_experiment,
    experiment_json,
    experiments_json,
)
from bot.models import Experiment, ExperimentAllocation
from bot.web.api import ApiError, api, json_body


def _invalid(message: str) -> ApiError:
    return ApiError(400, "invalid_experiment", message)


def _text(data: dict, name: str, *, required: bool = True) -> str | None:
    value = data.get(name)
    if value is None and not required:
        return None
    if not isinstance(value, str) or (required and not value.strip()):
        raise _invalid(f"{name} must be a non-empty string")
    return value


def _variants(data: dict) -> list[VariantIn]:
    raw = data.get("variants")
    if not isinstance(raw, list):
        raise _invalid("variants must be a list of {label, body_en, body_es}")
    variants = []
    for number, item in enumerate(raw, start=1):
        if not isinstance(item, dict) or set(item) - {"label", "body_en", "body_es"}:
            raise _invalid(f"variant {number}: an object with label, body_en and body_es")
        variants.append(VariantIn(_text(item, "label"), _text(item, "body_en"),
                                  _text(item, "body_es", required=False)))
    return variants


def _allocation(data: dict) -> str:
    value = data.get("allocation") or ExperimentAllocation.THOMPSON
    if value not in ExperimentAllocation.ALL:
        raise _invalid("allocation must be thompson or equal")
    return value


def _share(data: dict) -> float:
    value = data.get("min_share", 0.1)
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise _invalid("min_share must be a number from 0 to 0.5")
    return float(value)


def _owned(experiment_id: int) -> Experiment:
    experiment = g.db.get(Experiment, experiment_id)
    if experiment is None or experiment.dealer_id != g.dealer.id:
        raise ApiError(404, "not_found", f"no experiment {experiment_id}")
    return experiment


@api.get("/experiments")
def list_experiments() -> ResponseReturnValue:
    """Every experiment, newest first, with each variant's results."""
    return jsonify(experiments=experiments_json(g.db, g.dealer))


@api.post("/experiments")
def start_experiment() -> ResponseReturnValue:
    """Start an experiment on a reminder kind with 2 to 5 variants."""
    data: dict[str, Any] = json_body()
    unknown = set(data) - {"kind", "name", "allocation", "min_share", "variants"}
    if unknown:
        raise _invalid(f"unknown field: {', '.join(sorted(unknown))}")
    try:
        experiment = create_experiment(
            g.db, g.dealer, kind=_text(data, "kind"),
            name=_text(data, "name", required=False) or "",
            variants=_variants(data), min_share=_share(data),
            allocation=_allocation(data))
    except ExperimentError as error:
        g.db.rollback()
        raise _invalid(str(error)) from None
    g.db.commit()
    return jsonify(experiment_json(g.db, experiment)), 201


@api.get("/experiments/<int:experiment_id>")
def show_experiment(experiment_id: int) -> ResponseReturnValue:
    """One experiment with each variant's results."""
    return jsonify(experiment_json(g.db, _owned(experiment_id)))


@api.patch("/experiments/<int:experiment_id>")
def update_experiment(experiment_id: int) -> ResponseReturnValue:
    """Switch the allocation (thompson / equal) or stop the experiment."""
    experiment = _owned(experiment_id)
    data = json_body()
    if set(data) - {"allocation", "status"} or not data:
        raise _invalid("send allocation and/or status")
    status = data.get("status")
    if status not in (None, RUNNING, STOPPED):
        raise _invalid("status can only be set to stopped")
    if status == RUNNING and experiment.status != RUNNING:
        raise ApiError(409, "conflict", "a stopped experiment cannot be started again")
    allocation = _allocation(data) if "allocation" in data else None
    try:
        change_experiment(g.db, experiment, allocation=allocation, stop=status == STOPPED)
    except ExperimentError as error:
        g.db.rollback()
        raise _invalid(str(error)) from None
    g.db.commit()
    return jsonify(experiment_json(g.db, experiment))
