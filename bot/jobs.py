"""The job queue: RQ on Redis when REDIS_URL is set, otherwise the work runs inline.

Large campaigns are cut into jobs so several workers (`textpay worker`) can
send at once while the shared per-number token bucket keeps the pace. A job
function must be importable by name and take plain arguments (ids, ISO
dates), because RQ pickles the call and a worker in another process runs it.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache
from typing import Any

from bot.settings import get_settings

QUEUE_NAME = "textpay"
# Generous: a batch of texts at one per second per number takes minutes.
JOB_TIMEOUT_SECONDS = 3600


class QueueUnavailable(RuntimeError):
    """There is no Redis to queue jobs on (REDIS_URL is unset)."""


@dataclass
class InlineJob:
    """A job that already ran in this process (no REDIS_URL): its result is known."""

    result: Any
    id: str = "inline"

    def is_done(self) -> bool:
        """Always true: it ran before enqueue returned."""
        return True


@cache
def _redis(url: str) -> Any:
    import redis

    return redis.Redis.from_url(url)


def queue(redis_url: str | None = None) -> Any:
    """The RQ queue for this deployment; QueueUnavailable without REDIS_URL."""
    from rq import Queue

    url = redis_url or get_settings().redis_url
    if not url:
        raise QueueUnavailable("REDIS_URL is not set: there is no job queue to work on. "
                               "Set REDIS_URL (e.g. redis://127.0.0.1:6379/0) to use workers; "
                               "without it every job runs inline.")
    return Queue(QUEUE_NAME, connection=_redis(url), default_timeout=JOB_TIMEOUT_SECONDS)


def queue_configured() -> bool:
    """Whether jobs go to RQ (REDIS_URL is set) rather than running inline."""
    return bool(get_settings().redis_url)


def enqueue(func: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """Queue `func(*args, **kwargs)` on RQ when REDIS_URL is set; otherwise run it now.

    Returns the RQ job, or an InlineJob holding the result.
    """
    if not get_settings().redis_url:
        return InlineJob(func(*args, **kwargs))
    return queue().enqueue(func, args=args, kwargs=kwargs)


def enqueue_many(func: Callable[..., Any], calls: Iterable[tuple]) -> list[Any]:
    """Queue one job per argument tuple in a single round trip (inline without Redis)."""
    if not get_settings().redis_url:
        return [InlineJob(func(*args)) for args in calls]
    from rq import Queue

    jobs = [Queue.prepare_data(func, args=args, timeout=JOB_TIMEOUT_SECONDS) for args in calls]
    return queue().enqueue_many(jobs)


def is_done(job: Any) -> bool:
    """Whether a job finished (successfully or not)."""
    if isinstance(job, InlineJob):
        return True
    from rq.job import JobStatus

    return job.get_status() in {JobStatus.FINISHED, JobStatus.FAILED, JobStatus.STOPPED,
                                JobStatus.CANCELED}


def wait_for(jobs: list[Any], on_progress: Callable[[list[Any]], None] | None = None,
             poll_seconds: float = 0.5, timeout: float | None = None) -> list[Any]:
    """Wait until every job is done, passing each newly finished group to `on_progress`;
    returns their results in order (None for a job that failed)."""
    pending = list(jobs)
    deadline = None if timeout is None else time.monotonic() + timeout
    while pending:
        finished = [job for job in pending if is_done(job)]
        pending = [job for job in pending if job not in finished]
        if on_progress and finished:
            on_progress(finished)
        if pending:
            if deadline is not None and time.monotonic() > deadline:
                raise TimeoutError(f"{len(pending)} jobs still running")
            time.sleep(poll_seconds)
    return [job.result if isinstance(job, InlineJob) else job.return_value() for job in jobs]


def run_worker(burst: bool = False) -> None:
    """Work on the queue until stopped (or, with `burst`, until it is empty)."""
    from rq import Worker

    from bot import db
    from bot.logging_setup import configure_logging

    # JSON lines like the web app's (RQ adds its own text handler only when none exists).
    configure_logging(get_settings().log_level)
    db.configure(get_settings().database_url)
    job_queue = queue()
    Worker([job_queue], connection=job_queue.connection).work(burst=burst)
