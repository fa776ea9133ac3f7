"""Campaign benchmark: plan and enqueue a 100,000-account campaign, and measure the
sender's per-number pace against the recording Twilio fake.

    .venv/bin/python -m bench.campaign            (`make bench` calls main())

1. Import 100,000 accounts (CSV, five US time zones, a few opted out) into a
   scratch SQLite database (BENCH_DATABASE_URL for PostgreSQL).
2. Time `plan_and_judge` (which step is due for each account, skips, quiet
   hours, the weekly cap) plus enqueueing the batches on RQ (Redis db 14).
   Goal: at least 10,000 accounts a second.
3. Send 100 reminders from two sending numbers at 5 messages/s per number,
   with two workers sharing the Redis token bucket, and measure the pace of
   each number from the times the fake received them.
"""

from __future__ import annotations

import os
import tempfile
import threading
import time
from bisect import bisect_right
from collections import defaultdict
from datetime import date, datetime
from pathlib import Path

ACCOUNTS = 100_000
GOAL_PER_SECOND = 10_000
AT = datetime(2026, 12, 1, 20, 0)  # 15:00 New York ... 10:00 Honolulu: all inside the window
DUE = date(2026, 12, 1)
# (area code, zone): borrowers in five zones; every 10th has a phone from another zone.
REGIONS = [("212", "America/New_York"), ("312", "America/Chicago"), ("303", "America/Denver"),
           ("213", "America/Los_Angeles"), ("808", "Pacific/Honolulu")]
PACE_RATE = 5.0
PACE_MESSAGES = 100
BENCH_REDIS = "redis://127.0.0.1:6379/14"


def _redis_url() -> str | None:
    import redis

    try:
        redis.Redis.from_url(BENCH_REDIS, socket_connect_timeout=1).ping()
    except redis.ConnectionError:
        return None
    return BENCH_REDIS


def _csv(count: int, prefix: str, first_line: int = 0) -> str:
    lines = ["reference,name,phone,balance,amount_due,due_date,timezone"]
    for n in range(first_line, first_line + count):
        area, _ = REGIONS[n % len(REGIONS)]
        _, zone = REGIONS[(n + (n % 10 == 0)) % len(REGIONS)]
        lines.append(f"{prefix}{n},Borrower {n},+1{area}55{n % 100000:05d},\"1,200.00\","
                     f"250.00,{DUE.isoformat()},{zone}")
    return "\n".join(lines)


def _setup(database_url: str, fake_url: str, redis_url: str | None) -> None:
    from bot import db
    from bot.migrate import upgrade
    from bot.settings import Settings, set_settings

    set_settings(Settings(database_url=database_url, redis_url=redis_url,
                          twilio_account_sid="ACbench", twilio_auth_token="bench",  # noqa: S106 - the fake
                          twilio_api_base=fake_url, outbound_texts_per_hour=1000))
    upgrade(database_url)
    db.configure(database_url)


def _import_accounts(dealer_id: int) -> float:
    """Import ACCOUNTS rows; returns rows per second. Welcomes count as long done."""
    from sqlalchemy import update

    from bot import db
    from bot.campaigns.imports import import_csv
    from bot.models import Borrower, Dealer, Reminder

    text = _csv(ACCOUNTS, "LN-")
    started = time.perf_counter()
    with db.session_scope() as session:
        import_csv(session, session.get(Dealer, dealer_id), text)
    rate = ACCOUNTS / (time.perf_counter() - started)
    with db.session_scope() as session:
        session.execute(update(Reminder).values(status="sent", sent_at=datetime(2026, 1, 1)))
        session.execute(update(Borrower).where(Borrower.id % 50 == 0).values(opted_out=True))
    return rate


def _plan(dealer_id: int) -> dict:
    """Time planning + judging + enqueueing every batch of one dealer's campaign."""
    from bot import db, jobs
    from bot.campaigns.dispatch import send_batch
    from bot.campaigns.reminders import ReminderSummary, plan_and_judge
    from bot.models import Dealer

    if jobs.queue_configured():
        jobs.queue().count  # connect before the clock starts  # noqa: B018

    summary = ReminderSummary()
    started, cpu_started = time.perf_counter(), time.process_time()
    with db.session_scope() as session:
        batches = plan_and_judge(session, session.get(Dealer, dealer_id), AT, summary)
    planned = time.perf_counter()
    enqueued = 0
    if jobs.queue_configured():
        calls = [(batch, AT.isoformat(), AT.isoformat()) for batch in batches]
        enqueued = len(jobs.enqueue_many(send_batch, calls))
    done, cpu = time.perf_counter(), time.process_time() - cpu_started
    if jobs.queue_configured():
        jobs.queue().empty()  # measured, not sent: the pacing run sends for real
    return {"planned": summary.planned, "enqueued": summary.enqueued, "jobs": enqueued,
            "skipped": dict(summary.skipped), "plan_seconds": planned - started,
            "total_seconds": done - started, "cpu_seconds": cpu}


class _TimedFake:
    """The recording fake, noting when each message arrived."""

    def __init__(self) -> None:
        from tests.support.twilio_fake import TwilioFake

        self.fake = TwilioFake()
        self.arrivals: list[tuple[str, float]] = []
        self._lock = threading.Lock()
        original = self.fake._create

        def create(path: str, form: dict) -> tuple[int, dict]:
            status, body = original(path, form)
            if status == 201:
                with self._lock:
                    self.arrivals.append((form.get("From", ""), time.monotonic()))
            return status, body

        self.fake._create = create
        self.url = self.fake.url


def _pace(shop_id: int, fake: _TimedFake) -> dict[str, tuple[float, int]]:
    """Send PACE_MESSAGES with two workers; per number, the mean messages/s between its
    first and last text and the most texts it sent within any one second."""
    from bot import db
    from bot.campaigns.dispatch import send_batch
    from bot.campaigns.reminders import ReminderSummary, plan_and_judge
    from bot.models import Dealer

    with db.session_scope() as session:
        batches = plan_and_judge(session, session.get(Dealer, shop_id), AT, ReminderSummary())
    ids = [i for batch in batches for i in batch]
    halves = [ids[0::2], ids[1::2]]
    workers = [threading.Thread(target=send_batch, args=(half, AT.isoformat(), AT.isoformat()))
               for half in halves]
    started = time.monotonic()
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    elapsed = time.monotonic() - started
    by_number: dict[str, list[float]] = defaultdict(list)
    for number, at in fake.arrivals:
        by_number[number].append(at)
    rates = {number: ((len(times) - 1) / (max(times) - min(times)), _peak(times))
             for number, times in sorted(by_number.items()) if len(times) > 1}
    rates["all numbers"] = (len(fake.arrivals) / elapsed, _peak([a for _, a in fake.arrivals]))
    return rates


def _peak(times: list[float]) -> int:
    """The most messages that arrived within any one second."""
    times = sorted(times)
    return max(bisect_right(times, t + 1.0) - i for i, t in enumerate(times))


def _pacing_dealer() -> int:
    from bot import db
    from bot.campaigns.imports import import_csv
    from bot.dealers import create_dealer
    from bot.models import DealerNumber, Reminder

    with db.session_scope() as session:
        dealer, _ = create_dealer(session, name="Pacing Motors", number="+15550190001")
        dealer.numbers.append(DealerNumber(phone="+15550190002"))
        dealer.messages_per_second = PACE_RATE
        session.flush()
        import_csv(session, dealer, _csv(PACE_MESSAGES, "PM-", first_line=200_000))
        session.query(Reminder).filter_by(dealer_id=dealer.id).update({"status": "sent"})
        return dealer.id


def main() -> None:
    """Run the campaign benchmark and print its table."""
    from bot import clock, db
    from bot.dealers import create_dealer

    os.environ.setdefault("SQLALCHEMY_SILENCE_UBER_WARNING", "1")
    # The campaign happens at AT, whatever the hour here: the sender's quiet-hours check
    # reads the product's clock, which runs on from AT at the real pace.
    clock.pin(AT)
    redis_url = _redis_url()
    fake = _TimedFake()
    fake.fake.start()
    with tempfile.TemporaryDirectory() as scratch:
        url = os.environ.get("BENCH_DATABASE_URL") or f"sqlite:///{Path(scratch) / 'bench.db'}"
        _setup(url, fake.url, redis_url)
        if redis_url:
            from bot import jobs

            jobs.queue().empty()
        with db.session_scope() as session:
            dealer, _ = create_dealer(session, name="Bench Auto", number="+15550180001")
            dealer_id = dealer.id
        import_rate = _import_accounts(dealer_id)
        plan = _plan(dealer_id)
        pace = _pace(_pacing_dealer(), fake)
        db.engine().dispose()
    fake.fake.stop()
    _print(url, redis_url, import_rate, plan, pace)


def _print(url: str, redis_url: str | None, import_rate: float, plan: dict,
           pace: dict[str, tuple[float, int]]) -> None:
    per_second = ACCOUNTS / plan["total_seconds"]
    per_cpu_second = ACCOUNTS / plan["cpu_seconds"]
    verdict = "meets" if per_second >= GOAL_PER_SECOND else "MISSES"
    backend = url.split(":", 1)[0]
    load = os.getloadavg()[0]
    print(f"\nCampaign benchmark ({ACCOUNTS:,} accounts, {backend}, "
          f"queue: {'RQ on Redis' if redis_url else 'none (REDIS_URL unset: inline)'}; "
          f"{os.cpu_count()} CPUs, load average {load:.1f})")
    print(f"  {'import (CSV upsert)':<38}{import_rate:>12,.0f} rows/s")
    print(f"  {'plan + judge':<38}{plan['plan_seconds']:>12.2f} s")
    print(f"  {'plan + judge + enqueue':<38}{plan['total_seconds']:>12.2f} s  "
          f"({plan['enqueued']:,} reminders in {plan['jobs']:,} jobs)")
    print(f"  {'accounts planned and enqueued':<38}{per_second:>12,.0f} /s  "
          f"({verdict} the goal of {GOAL_PER_SECOND:,}/s)")
    print(f"  {'  the same per CPU second':<38}{per_cpu_second:>12,.0f} /s  "
          "(this process's own CPU time, whatever else the machine runs)")
    print(f"  {'skipped':<38}{plan['skipped']}")
    print(f"\nSender pace ({PACE_MESSAGES} texts, 2 numbers, 2 workers, configured "
          f"{PACE_RATE:g} msg/s per number, measured at the fake)")
    print(f"  {'number':<24}{'mean msg/s':>14}{'most in 1 s':>14}")
    for number, (rate, peak) in pace.items():
        print(f"  {number:<24}{rate:>14.2f}{peak:>14}")


if __name__ == "__main__":
    main()
