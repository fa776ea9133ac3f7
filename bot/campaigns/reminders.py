"""`textpay send-reminders`: one run of every dealer's campaign at a moment.

A run (1) finds the schedule steps that are due (bot/campaigns/planner.py),
(2) judges them, with every earlier reminder whose moment has come — skipped
with a reason, deferred for quiet hours, or enqueued — and writes them down
once (bot/campaigns/dispatch.py), (3) sends the enqueued ones in batches, on
RQ workers when REDIS_URL is set (waiting for them, reporting progress) or
here, (4) sends texts that quiet hours held back and asks due satisfaction
surveys. Running it again at the same moment sends nothing new.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot import jobs
from bot.campaigns.dispatch import judge_ready, send_batch
from bot.campaigns.experiments import assign_variants
from bot.campaigns.planner import due_steps, fill_phone_zones
from bot.campaigns.survey import ask_due_surveys
from bot.clock import iso_utc, utcnow
from bot.messaging.outbound import send_deferred
from bot.messaging.quiet_hours import AVOIDED_DAY, PREFERRED_HOURS, QUIET_HOURS
from bot.models import Dealer

BATCH_SIZE = 100  # reminders per job: at 1 text/s a job takes under two minutes
# progress(advance, total): reminders just finished, out of how many enqueued so far.
Progress = Callable[[int, int], None]


@dataclass
class ReminderSummary:
    """What a run did: reminders sent, skipped (by reason; quiet hours = deferred)."""

    sent: int = 0
    skipped: Counter = field(default_factory=Counter)
    planned: int = 0
    enqueued: int = 0
    held_texts_sent: int = 0
    surveys: int = 0
    paced: Counter = field(default_factory=Counter)  # held for the team: {hour: n}
    variants: Counter = field(default_factory=Counter)  # experiments: {(kind, label): n}

    @property
    def deferred(self) -> int:
        """Reminders put off to the next allowed moment by quiet hours."""
        return self.skipped.get(QUIET_HOURS, 0)

    @property
    def deferred_for_borrowers(self) -> int:
        """Reminders put off to the hours and days their borrowers asked for."""
        return self.skipped.get(PREFERRED_HOURS, 0) + self.skipped.get(AVOIDED_DAY, 0)

    def add(self, result: dict | None) -> None:
        """Fold in one batch's `{"sent", "skipped"}` (None: the job itself failed)."""
        if result is None:
            self.skipped["error"] += 1
            return
        self.sent += result.get("sent", 0)
        self.skipped.update(result.get("skipped", {}))

    def as_json(self) -> dict[str, Any]:
        """The contract's summary: `{"sent": N, "skipped": {"<reason>": N, ...}}`, plus,
        when they apply, `held_back` (paced to the team: how many, until when, per hour)
        and `variants` (experiments: reminders per kind and variant)."""
        summary: dict[str, Any] = {"sent": self.sent,
                                   "skipped": dict(sorted(self.skipped.items()))}
        if self.paced:
            summary["held_back"] = {
                "paced": sum(self.paced.values()), "until": iso_utc(max(self.paced)),
                "by_hour": {iso_utc(hour): n for hour, n in sorted(self.paced.items())}}
        if self.variants:
            by_kind: dict[str, dict[str, int]] = {}
            for (kind, label), n in sorted(self.variants.items()):
                by_kind.setdefault(kind, {})[label] = n
            summary["variants"] = by_kind
        return summary


@contextmanager
def _session(source: Any) -> Iterator[Session]:
    if isinstance(source, Session):
        yield source
        source.commit()
        return
    session = source()
    try:
        yield session
        session.commit()
    finally:
        session.close()  # which rolls back whatever was not committed


def _dealers(session: Session, dealer_id: int | None) -> list[Dealer]:
    query = select(Dealer).order_by(Dealer.id)
    if dealer_id is not None:
        query = query.where(Dealer.id == dealer_id)
    return list(session.execute(query).scalars())


def plan_and_judge(session: Session, dealer: Dealer, at: datetime,
                   summary: ReminderSummary) -> list[list[int]]:
    """Plan and judge one dealer's reminders and commit; the batches of ids to send."""
    fill_phone_zones(session, dealer.id)
    planned = due_steps(session, dealer, at)
    summary.planned += len(planned)
    judgement = judge_ready(session, dealer, at, planned=planned)
    summary.skipped.update(judgement.skipped)
    summary.paced.update(judgement.held)
    summary.variants.update(assign_variants(session, dealer, at))
    session.commit()  # workers (or inline batches) read these rows from their own sessions
    ids = judgement.sendable
    summary.enqueued += len(ids)
    return [ids[i:i + BATCH_SIZE] for i in range(0, len(ids), BATCH_SIZE)]


def run_batches(batches: list[list[int]], at: datetime, summary: ReminderSummary,
                progress: Progress | None = None) -> None:
    """Send the batches: through RQ (waiting for the workers) or, without Redis, here."""
    total = sum(map(len, batches))
    report = progress or (lambda _advance, _total: None)
    report(0, total)
    calls = [(batch, at.isoformat(), utcnow().isoformat()) for batch in batches]
    if not jobs.queue_configured():
        for call in calls:
            summary.add(send_batch(*call))
            report(len(call[0]), total)
        return
    enqueued = jobs.enqueue_many(send_batch, calls)
    sizes = {job.id: len(call[0]) for job, call in zip(enqueued, calls, strict=True)}

    def finished(done: list) -> None:
        report(sum(sizes[job.id] for job in done), total)

    for result in jobs.wait_for(enqueued, on_progress=finished):
        summary.add(result)


def send_due_reminders(session_factory_or_session: Any, at: datetime,
                       dealer_id: int | None = None,
                       progress: Progress | None = None) -> ReminderSummary:
    """Send every reminder due at `at` (naive UTC) for one dealer or all of them."""
    summary = ReminderSummary()
    with _session(session_factory_or_session) as session:
        dealers = _dealers(session, dealer_id)
        batches = [batch for dealer in dealers
                   for batch in plan_and_judge(session, dealer, at, summary)]
        run_batches(batches, at, summary, progress)
        for dealer in dealers:
            summary.held_texts_sent += send_deferred(session, at, dealer.id)["sent"]
            summary.surveys += ask_due_surveys(session, dealer, at)
    return summary
