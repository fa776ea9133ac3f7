"""Experiments (admins): try two to five wordings of a reminder against each other; the
results are on the dashboard."""

from __future__ import annotations

from flask import abort, flash, g, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from bot.audit import record
from bot.campaigns.experiments import (
    MAX_VARIANTS,
    ExperimentError,
    VariantIn,
    change_experiment,
    create_experiment,
    experiments_json,
)
from bot.campaigns.schedule import REMINDER_KINDS
from bot.models import Experiment, ExperimentAllocation
from bot.web.portal import bp
from bot.web.portal.helpers import admin_required
from bot.web.portal.templates_editor import KIND_LABELS


def _page(status: int = 200, error: str | None = None) -> ResponseReturnValue:
    return render_template("portal/experiments.html", experiments=experiments_json(g.db, g.dealer),
                           kinds=KIND_LABELS, reminder_kinds=REMINDER_KINDS,
                           rows=MAX_VARIANTS, error=error, form=request.form), status


def _variants_from_form() -> list[VariantIn]:
    labels, english, spanish = (request.form.getlist(name)
                                for name in ("label", "body_en", "body_es"))
    return [VariantIn(label, en, es) for label, en, es in zip(labels, english, spanish,
                                                              strict=False)
            if label.strip() or en.strip()]


@bp.get("/experiments")
@admin_required
def experiments() -> ResponseReturnValue:
    """The experiments and the form to start one."""
    return _page()


@bp.post("/experiments")
@admin_required
def start_experiment() -> ResponseReturnValue:
    """Start an experiment; a variant that fails the checks is named in the error."""
    try:
        share = float(request.form.get("min_share_percent") or 10) / 100
        experiment = create_experiment(
            g.db, g.dealer, kind=request.form.get("kind", ""), name=request.form.get("name", ""),
            variants=_variants_from_form(), min_share=share,
            allocation=request.form.get("allocation") or ExperimentAllocation.THOMPSON)
    except (ExperimentError, ValueError) as error:
        g.db.rollback()
        return _page(400, str(error))
    record(g.db, g.dealer.id, current_user.actor, "experiment_started",
           details=f"{experiment.name} ({experiment.kind}): "
                   + ", ".join(v.label for v in experiment.variants))
    g.db.commit()
    flash(f"Experiment “{experiment.name}” started: the next reminders use its wordings.")
    return redirect(url_for("portal.experiments"))


@bp.post("/experiments/change")
@admin_required
def change_experiment_view() -> ResponseReturnValue:
    """Switch an experiment to an equal split or back, or stop it."""
    raw = request.form.get("experiment_id", "")
    experiment = g.db.get(Experiment, int(raw)) if raw.isdigit() else None
    if experiment is None or experiment.dealer_id != g.dealer.id:
        abort(404)
    action = request.form.get("action")
    if action not in ("equal", "thompson", "stop"):
        abort(400)
    change_experiment(g.db, experiment, allocation=None if action == "stop" else action,
                      stop=action == "stop")
    record(g.db, g.dealer.id, current_user.actor, "experiment_changed",
           details=f"{experiment.name}: {action}")
    g.db.commit()
    flash("Experiment stopped." if action == "stop" else "Experiment updated.")
    return redirect(url_for("portal.experiments"))
