"""Campaigns through the real job queue: RQ on the real Redis, a worker sending the batches."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from datetime import date, datetime
from pathlib import Path

import pytest

from bot import db, jobs
from bot.campaigns.reminders import send_due_reminders
from bot.settings import set_settings
from tests.support.servers import REDIS_URL, redis_or_skip

pytestmark = pytest.mark.redis

TEXTPAY = str(Path(sys.executable).with_name("textpay"))


@pytest.fixture
def queued(settings):
    """Settings with REDIS_URL (a test database), the queue emptied before and after."""
    redis_or_skip()
    set_settings(settings.with_overrides(redis_url=REDIS_URL))
    jobs.queue().empty()
    yield
    jobs.queue().empty()
    set_settings(settings)


def test_a_campaign_runs_through_rq_workers_and_reports_progress(shop, twilio_fake, queued):
    from rq import SimpleWorker

    phones = [f"+1212555{n:04d}" for n in range(300, 420)]  # 120: three batches
    for n, phone in enumerate(phones):
        shop.add_account(f"LN-{n}", phone, zone="America/New_York", due=date(2026, 12, 1))
    progress: list[tuple[int, int]] = []
    outcome = {}

    def run() -> None:
        outcome["summary"] = send_due_reminders(db.new_session, datetime(2026, 12, 1, 15),
                                                progress=lambda a, t: progress.append((a, t)))

    campaign = threading.Thread(target=run)
    campaign.start()
    queue = jobs.queue()
    while campaign.is_alive():
        SimpleWorker([queue], connection=queue.connection).work(burst=True)
        campaign.join(timeout=0.2)
    assert outcome["summary"].as_json() == {"sent": 120, "skipped": {}}
    assert sorted(m["To"] for m in twilio_fake.sent) == phones
    assert progress[0] == (0, 120) and sum(a for a, _ in progress) == 120
    again = send_due_reminders(db.new_session, datetime(2026, 12, 1, 15))
    assert again.as_json() == {"sent": 0, "skipped": {}} and len(twilio_fake.sent) == 120


def test_textpay_worker_needs_redis_and_drains_the_queue(settings):
    env = {**os.environ, "DATABASE_URL": settings.database_url, "REDIS_URL": ""}
    refused = subprocess.run([TEXTPAY, "worker", "--burst"], capture_output=True, text=True,
                             env=env, timeout=60)
    assert refused.returncode != 0 and "REDIS_URL is not set" in refused.stderr
    redis_or_skip()
    env["REDIS_URL"] = REDIS_URL
    drained = subprocess.run([TEXTPAY, "worker", "--burst"], capture_output=True, text=True,
                             env=env, timeout=120)
    assert drained.returncode == 0, drained.stderr
