"""Reminder experiments: a dealer's variants of one reminder, which reminder carries which,
and how each variant is doing.

A dealer starts an experiment on a reminder kind (say `reminder_due`) with two
to five variants; each variant must be a valid template that passes the
compliance checks (an opt-out instruction, no opt-out reply word, no link
shortener). From then on `send-reminders` gives every reminder of that kind a
variant when it is handed to the sender (bot/campaigns/bandit.py decides
which), and the sender renders that variant's text. Spanish-speaking
borrowers take part only when every variant has a Spanish text.

Results count what followed each reminder within 3 days
(bot/campaigns/attribution.py); the bandit learns only from reminders whose
3 days are over, so a variant sent more recently is not judged on a partial
window.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import numpy as np
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from bot.campaigns import bandit
from bot.campaigns.attribution import ATTRIBUTION, ledger_payments, reminder_outcomes
from bot.campaigns.schedule import REMINDER_KINDS
from bot.clock import iso_utc, utcnow
from bot.models import (
    Account,
    Dealer,
    Experiment,
    ExperimentAllocation,
    ExperimentVariant,
    Reminder,
    ReminderStatus,
)
from bot.sms_templates.checks import compliance_problems
from bot.sms_templates.templates import TemplateError, preview

RUNNING, STOPPED = "running", "stopped"
MIN_VARIANTS, MAX_VARIANTS = 2, 5
MAX_LABEL = 40
UPDATE_CHUNK = 500


class ExperimentError(ValueError):
    """An experiment that cannot be saved; the message names the problem."""


@dataclass(frozen=True)
class VariantIn:
    """A variant as a dealer writes it."""

    label: str
    body_en: str
    body_es: str | None = None


def check_body(session: Session, dealer: Dealer, body: str, language: str) -> None:
    """Raise ExperimentError unless `body` is a usable template that passes the
    compliance checks once rendered for a sample borrower."""
    try:
        shown = preview(session, dealer, body, language)
    except TemplateError as error:
        raise ExperimentError(str(error)) from None
    problems = compliance_problems(dealer.collector_mode, shown["text"])
    if problems:
        raise ExperimentError("; ".join(problems))


def _check_variants(session: Session, dealer: Dealer, variants: Sequence[VariantIn]) -> None:
    if not MIN_VARIANTS <= len(variants) <= MAX_VARIANTS:
        raise ExperimentError(f"an experiment needs {MIN_VARIANTS} to {MAX_VARIANTS} variants")
    labels = [v.label.strip() for v in variants]
    if any(not label or len(label) > MAX_LABEL for label in labels):
        raise ExperimentError(f"each variant needs a label of 1 to {MAX_LABEL} characters")
    if len(set(labels)) != len(labels):
        raise ExperimentError("two variants have the same label")
    for variant in variants:
        for language, body in (("en", variant.body_en), ("es", variant.body_es)):
            if language == "es" and not (body or "").strip():
                continue
            try:
                check_body(session, dealer, body, language)
            except ExperimentError as error:
                raise ExperimentError(f"variant {variant.label} ({language}): {error}") from None


def running_experiment(session: Session, dealer: Dealer, kind: str) -> Experiment | None:
    """The dealer's running experiment on a reminder kind, if any."""
    return session.execute(
        select(Experiment).where(Experiment.dealer_id == dealer.id, Experiment.kind == kind,
                                 Experiment.status == RUNNING)
    ).scalars().first()


def create_experiment(session: Session, dealer: Dealer, *, kind: str, name: str,
                      variants: Sequence[VariantIn],
                      allocation: str = ExperimentAllocation.THOMPSON,
                      min_share: float = 0.1) -> Experiment:
    """Start an experiment on a reminder kind (one running experiment per kind)."""
    if kind not in REMINDER_KINDS:
        raise ExperimentError(f"kind must be one of {', '.join(REMINDER_KINDS)}")
    if allocation not in ExperimentAllocation.ALL:
        raise ExperimentError("allocation must be thompson or equal")
    if not 0.0 <= min_share <= 1.0 / len(variants or [None]):
        raise ExperimentError("min_share must be from 0 to 1 / the number of variants")
    name = (name or "").strip()[:100] or f"{kind} test"
    _check_variants(session, dealer, variants)
    if running_experiment(session, dealer, kind) is not None:
        raise ExperimentError(f"an experiment on {kind} is already running; stop it first")
    experiment = Experiment(dealer_id=dealer.id, kind=kind, name=name, allocation=allocation,
                            min_share=min_share, status=RUNNING)
    for position, variant in enumerate(variants):
        experiment.variants.append(ExperimentVariant(
            label=variant.label.strip(), position=position, body_en=variant.body_en,
            body_es=(variant.body_es or "").strip() or None))
    session.add(experiment)
    session.flush()
    return experiment


def change_experiment(session: Session, experiment: Experiment, *,
                      allocation: str | None = None, stop: bool = False) -> None:
    """Switch between Thompson sampling and an equal split, or stop the experiment
    (its reminders keep their results; new reminders get the template again)."""
    if allocation is not None:
        if allocation not in ExperimentAllocation.ALL:
            raise ExperimentError("allocation must be thompson or equal")
        experiment.allocation = allocation
    if stop and experiment.status == RUNNING:
        experiment.status, experiment.stopped_at = STOPPED, utcnow()
    session.flush()


def dealer_experiments(session: Session, dealer: Dealer) -> list[Experiment]:
    """Every experiment of the dealer, newest first."""
    return list(session.execute(
        select(Experiment).where(Experiment.dealer_id == dealer.id)
        .order_by(Experiment.id.desc())).scalars())


# --- assigning variants to reminders -------------------------------------------------


def _rng(experiment: Experiment, at: datetime) -> np.random.Generator:
    """Seeded by the experiment and the moment: a run can be repeated exactly."""
    return np.random.default_rng([experiment.id, int(at.timestamp())])


def _eligible(experiment: Experiment, language: str) -> bool:
    return language != "es" or all(v.body_es for v in experiment.variants)


def assign_variants(session: Session, dealer: Dealer, at: datetime) -> Counter:
    """Give each enqueued reminder of an experiment's kind its variant; counts by
    (kind, variant label).

    Called once a wave is judged, before it is sent: every reminder of the wave
    draws from the same posteriors (what was known when the wave went out).
    """
    running = {e.kind: e for e in session.execute(
        select(Experiment).where(Experiment.dealer_id == dealer.id,
                                 Experiment.status == RUNNING)).scalars()}
    chosen: Counter = Counter()
    if not running:
        return chosen
    rows = session.execute(
        select(Reminder.id, Reminder.template, Reminder.language)
        .where(Reminder.dealer_id == dealer.id, Reminder.status == ReminderStatus.ENQUEUED,
               Reminder.variant_id.is_(None), Reminder.template.in_(list(running)))
        .order_by(Reminder.id)
    ).all()
    by_experiment: dict[int, list[int]] = defaultdict(list)
    for row in rows:
        experiment = running[row.template]
        if _eligible(experiment, row.language):
            by_experiment[experiment.id].append(row.id)
    for experiment in running.values():
        ids = by_experiment.get(experiment.id, [])
        if not ids:
            continue
        results = variant_results(session, experiment, at)
        arms = [r.arm for r in results]
        picks = bandit.assign(arms, len(ids), experiment.allocation, experiment.min_share,
                              _rng(experiment, at), already=[r.sent for r in results])
        per_variant: dict[int, list[int]] = defaultdict(list)
        for reminder_id, index in zip(ids, picks, strict=True):
            per_variant[experiment.variants[index].id].append(reminder_id)
            chosen[(experiment.kind, experiment.variants[index].label)] += 1
        for variant_id, reminder_ids in per_variant.items():
            for start in range(0, len(reminder_ids), UPDATE_CHUNK):
                chunk = reminder_ids[start:start + UPDATE_CHUNK]
                session.execute(update(Reminder).where(Reminder.id.in_(chunk))
                                .values(variant_id=variant_id)
                                .execution_options(synchronize_session=False))
    return chosen


# --- results ---------------------------------------------------------------------------


@dataclass(frozen=True)
class VariantResult:
    """How one variant has done since the experiment started."""

    variant: ExperimentVariant
    sent: int
    replies: int
    paid: int  # reminders followed by a payment within 3 days
    collected_cents: int
    arm: bandit.Arm  # settled reminders only (their 3 days are over)


def variant_results(session: Session, experiment: Experiment,
                    at: datetime | None = None) -> list[VariantResult]:
    """Each variant's reminders and what followed them, in the variants' order."""
    at = at or utcnow()
    variants = list(experiment.variants)
    reminders = session.execute(
        select(Reminder.variant_id, Reminder.account_id, Reminder.sent_at, Account.borrower_id)
        .join(Account, Account.id == Reminder.account_id)
        .where(Reminder.variant_id.in_([v.id for v in variants]),
               Reminder.status == ReminderStatus.SENT, Reminder.sent_at <= at)
    ).all()
    totals: dict[int, Counter] = defaultdict(Counter)
    if reminders:
        lo = min(row.sent_at for row in reminders)
        until = at + timedelta(seconds=1)
        outcomes = reminder_outcomes(session, experiment.dealer_id, reminders, lo, until,
                                     ledger_payments(session, experiment.dealer_id, lo, until))
        for row, outcome in zip(reminders, outcomes, strict=True):
            paid = int(outcome["payments"] > 0)
            settled = row.sent_at + ATTRIBUTION <= at
            totals[row.variant_id].update(
                sent=1, replies=outcome["replies"], paid=paid,
                collected_cents=outcome["collected_cents"],
                settled_paid=paid if settled else 0, settled=int(settled))
    results = []
    for variant in variants:
        t = totals[variant.id]
        arm = bandit.Arm(paid=t["settled_paid"], unpaid=t["settled"] - t["settled_paid"])
        results.append(VariantResult(variant, t["sent"], t["replies"], t["paid"],
                                     t["collected_cents"], arm))
    return results


def experiment_json(session: Session, experiment: Experiment,
                    at: datetime | None = None) -> dict[str, Any]:
    """An experiment and, per variant: sent, replies, paid within 3 days, amount, the
    posterior mean with its 90 % interval, the probability of being best, and the share
    of the next reminders it can expect."""
    at = at or utcnow()
    results = variant_results(session, experiment, at)
    arms = [r.arm for r in results]
    # Seeded by what is known, so the same evidence always shows the same numbers.
    rng = np.random.default_rng([experiment.id, sum(a.settled for a in arms)])
    best = bandit.probability_best(arms, rng)
    shares = bandit.expected_shares(arms, experiment.allocation, experiment.min_share, rng) \
        if experiment.status == RUNNING else [0.0] * len(arms)
    variants = []
    for result, p_best, share in zip(results, best, shares, strict=True):
        low, high = result.arm.interval()
        variants.append({
            "id": result.variant.id, "label": result.variant.label,
            "body_en": result.variant.body_en, "body_es": result.variant.body_es,
            "sent": result.sent, "replies": result.replies,
            "paid_within_3_days": result.paid, "collected_cents": result.collected_cents,
            "settled": result.arm.settled, "settled_paid": result.arm.paid,
            "posterior_mean": round(result.arm.mean(), 4),
            "interval_90": [round(low, 4), round(high, 4)],
            "probability_best": round(p_best, 4), "next_share": round(share, 4),
        })
    return {"id": experiment.id, "kind": experiment.kind, "name": experiment.name,
            "allocation": experiment.allocation, "min_share": experiment.min_share,
            "status": experiment.status, "started_at": iso_utc(experiment.created_at),
            "stopped_at": iso_utc(experiment.stopped_at), "variants": variants}


def experiments_json(session: Session, dealer: Dealer,
                     at: datetime | None = None) -> list[dict[str, Any]]:
    """Every experiment of the dealer with its results, newest first."""
    return [experiment_json(session, e, at) for e in dealer_experiments(session, dealer)]
