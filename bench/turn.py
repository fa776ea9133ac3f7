"""Where one webhook turn's time goes, in process (no HTTP, no gunicorn).

    .venv/bin/python -m bench.turn [--sqlite] [--no-redis] [--rounds N]

Seeds one borrower the way `make bench` does, then sends the "mix of intents"
script through the Flask app's test client, signed like Twilio, and prints
the latency per text plus the database statements and Redis commands each
turn costs. `--sqlite` and `--no-redis` show what PostgreSQL and Redis add.
"""

from __future__ import annotations

import argparse
import os
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import redis
from sqlalchemy import event
from twilio.request_validator import RequestValidator

from bench import stack as bench_stacks
from bench.report import percentile
from bench.run import TRAFFIC

SCRIPT = TRAFFIC["mix of intents"]


class Tally:
    """SQL statements (count and seconds, by kind) and Redis commands seen."""

    def __init__(self) -> None:
        self.sql_count: Counter[str] = Counter()
        self.sql_seconds: Counter[str] = Counter()
        self.redis_count: Counter[str] = Counter()
        self.redis_round_trips: Counter[str] = Counter()

    def reset(self) -> None:
        """Forget the warm-up."""
        for counter in (self.sql_count, self.sql_seconds, self.redis_count,
                        self.redis_round_trips):
            counter.clear()


@contextmanager
def counting(engine: object, tally: Tally) -> Iterator[None]:
    """Count every SQL statement on `engine` and every Redis command while inside."""
    started: dict[int, float] = {}

    def before(conn: Any, _cursor: Any, _statement: str, *_args: Any) -> None:
        started[id(conn)] = time.perf_counter()

    def after(conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        kind = " ".join(statement.split()[:3])[:60]
        tally.sql_count[kind] += 1
        tally.sql_seconds[kind] += time.perf_counter() - started.pop(id(conn), time.perf_counter())

    original = redis.Redis.execute_command
    original_send = redis.connection.Connection.send_packed_command

    def execute_command(client: redis.Redis, *args: object, **options: object) -> object:
        tally.redis_count[str(args[0])] += 1
        return original(client, *args, **options)

    def send_packed_command(connection: Any, *args: Any, **options: Any) -> None:
        # One write is one round trip, whether it carries a command or a pipeline.
        tally.redis_round_trips["all"] += 1
        return original_send(connection, *args, **options)

    event.listen(engine, "before_cursor_execute", before)
    event.listen(engine, "after_cursor_execute", after)
    redis.Redis.execute_command = execute_command
    redis.connection.Connection.send_packed_command = send_packed_command
    try:
        yield
    finally:
        redis.Redis.execute_command = original
        redis.connection.Connection.send_packed_command = original_send
        event.remove(engine, "before_cursor_execute", before)
        event.remove(engine, "after_cursor_execute", after)


def run(rounds: int, use_redis: bool) -> None:
    """Seed, warm up, send the script `rounds` times and print the breakdown."""
    with bench_stacks.bench_stack(senders_per_server=1) as stack:
        os.environ.update(stack.env)
        if not use_redis:
            os.environ.pop("REDIS_URL", None)
        from bot import db
        from bot.settings import load_settings
        from bot.web import create_app

        client = create_app(load_settings()).test_client()
        sender = stack.senders["textpay"][0]
        validator = RequestValidator(bench_stacks.AUTH_TOKEN)

        def send(text: str) -> float:
            form = {"From": sender.phone, "To": bench_stacks.DEALER_NUMBER, "Body": text,
                    "MessageSid": "SM" + uuid.uuid4().hex, "AccountSid": "ACbench"}
            signature = validator.compute_signature(bench_stacks.PUBLIC_URL + "/twilio/sms", form)
            begin = time.perf_counter()
            response = client.post("/twilio/sms", data=form,
                                   headers={"X-Twilio-Signature": signature})
            if response.status_code != 200:
                raise SystemExit(f"{text!r} answered {response.status_code}")
            return (time.perf_counter() - begin) * 1000

        tally = Tally()
        latencies: dict[str, list[float]] = {text: [] for text in SCRIPT}
        with counting(db.engine(), tally):
            for text in SCRIPT * 2:
                send(text)
            tally.reset()
            for text in SCRIPT * rounds:
                latencies[text].append(send(text))
        report(stack.database_kind, use_redis, latencies, tally, len(SCRIPT) * rounds)


def report(database: str, use_redis: bool, latencies: dict[str, list[float]], tally: Tally,
           turns: int) -> None:
    """Print latency per text and the per-turn database and Redis costs."""
    every = [ms for values in latencies.values() for ms in values]
    print(f"\n{database}{' + Redis' if use_redis else ', no Redis'}; {turns} turns in process")
    print(f"all texts: p50 {percentile(every, 0.5):.1f} ms, p99 {percentile(every, 0.99):.1f} ms")
    for text, values in latencies.items():
        print(f"  {percentile(values, 0.5):6.1f} ms  {text}")
    statements = sum(tally.sql_count.values()) / turns
    sql_ms = sum(tally.sql_seconds.values()) / turns * 1000
    print(f"SQL per turn: {statements:.1f} statements, {sql_ms:.1f} ms waiting on them")
    for kind, count in tally.sql_count.most_common(8):
        ms = tally.sql_seconds[kind] / count * 1000
        print(f"  {count / turns:5.2f} x {kind:<45} {ms:5.2f} ms each")
    round_trips = tally.redis_round_trips["all"] / turns
    by_name = ", ".join(f"{name} {n / turns:.1f}" for name, n in tally.redis_count.most_common())
    print(f"Redis per turn: {round_trips:.1f} round trips; outside transactions: {by_name}")


def main() -> None:
    """Parse the options and run."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sqlite", action="store_true", help="SQLite even if PostgreSQL answers")
    parser.add_argument("--no-redis", action="store_true", help="in-process locks and trackers")
    parser.add_argument("--rounds", type=int, default=10, help="times through the script")
    options = parser.parse_args()
    if options.sqlite:
        bench_stacks.postgres_answers = lambda: False
    run(options.rounds, use_redis=not options.no_redis)


if __name__ == "__main__":
    main()
