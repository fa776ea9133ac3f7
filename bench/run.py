"""`make bench`: textpay against plain `rasa run`, same model, same traffic, one table.

    .venv/bin/python -m bench.run          (BENCH_SECONDS per cell, default 10)

For each server in turn (never both at once, so each has the machine):
  (a) a pay conversation ("pay 20", "YES" against localstripe) and (b) a mix
  of the other intents, each at 1, 8 and 32 concurrent senders, driven from
  a separate process (bench/load.py); then one borrower's 300-turn
  conversation (mean latency of the last 50 turns over the first 50); cold
  start to ready and resident memory per process.
textpay runs as `textpay serve` (gunicorn, 2 workers: one per core here) on
PostgreSQL and Redis when they answer; plain Rasa as `rasa run --enable-api`
with its REST channel and our actions behind `rasa run actions`.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from dataclasses import dataclass

from bench.report import Cell, growth, table
from bench.stack import Stack, action_server, bench_stack, plain_rasa_server, textpay_server
from tests.support.processes import ChildServer, rss_mb

CONCURRENCY = (1, 8, 32)
TRAFFIC = {
    "pay → YES": ["pay 20", "YES"],
    "mix of intents": [
        "what's my balance", "hi", "pay 20", "no", "I already paid", "how much do I owe",
        "can I split it into 3 payments", "no", "I can pay on friday", "that amount is wrong",
        "I lost my job and can't pay", "can I talk to a person", "thanks", "bye",
    ],
}
CONVERSATION_TURNS = 300
WORKERS = 2
TARGETS = {"p50_ms": 15.0, "p99_ms": 60.0, "throughput_ratio": 1.5, "cold_start_s": 10.0,
           "rss_mb": 600.0, "growth": 1.5}


@dataclass
class ServerRun:
    """Everything measured on one server."""

    cells: dict[tuple[str, int], Cell]
    conversation: list[float]
    cold_start_s: float
    memory: list[tuple[str, float]]


def drive(spec: dict) -> dict:
    """Run the load driver in its own process and return its result."""
    result = subprocess.run([sys.executable, "-m", "bench.load"], input=json.dumps(spec),
                            capture_output=True, text=True, check=True)
    return json.loads(result.stdout)


def measure(target: str, server: ChildServer, stack: Stack, seconds: float) -> ServerRun:
    """All traffic against one running server."""
    senders = [[s.phone, s.borrower_id] for s in stack.senders[target]]
    cells = {}
    for traffic, script in TRAFFIC.items():
        for concurrency in CONCURRENCY:
            print(f"  {target}: {traffic}, {concurrency} senders ...", flush=True)
            cells[traffic, concurrency] = Cell.of(drive({
                "target": target, "url": server.url, "senders": senders[:concurrency],
                "script": script, "concurrency": concurrency, "seconds": seconds,
                "warmup": 2.0}))
    print(f"  {target}: one borrower, {CONVERSATION_TURNS} turns ...", flush=True)
    conversation = drive({"target": target, "url": server.url, "senders": senders[-1:],
                          "script": TRAFFIC["mix of intents"], "turns": CONVERSATION_TURNS})
    return ServerRun(cells, conversation["latencies_ms"], 0.0, [])


def run_textpay(stack: Stack, seconds: float) -> ServerRun:
    """textpay under gunicorn."""
    server = textpay_server(stack, WORKERS)
    print("starting textpay (gunicorn) ...", flush=True)
    try:
        cold = server.start()
        run = measure("textpay", server, stack, seconds)
        run.cold_start_s = cold
        run.memory = [(f"gunicorn worker {pid}", rss_mb(pid)) for pid in server.pids()[1:]]
    finally:
        server.stop()
    return run


def run_plain_rasa(stack: Stack, seconds: float) -> ServerRun:
    """`rasa run` plus its action server."""
    actions = action_server(stack)
    print("starting plain rasa run (and rasa run actions) ...", flush=True)
    try:
        actions.start()
        server = plain_rasa_server(stack, actions)
        try:
            cold = server.start()
            run = measure("rasa", server, stack, seconds)
            run.cold_start_s = cold
            run.memory = [("rasa run", rss_mb(server.pids()[0])),
                          ("rasa run actions", rss_mb(actions.pids()[0]))]
        finally:
            server.stop()
    finally:
        actions.stop()
    return run


def verdicts(ours: ServerRun, theirs: ServerRun) -> list[str]:
    """The targets from the issue, each with the measured figure."""
    latency = ours.cells["mix of intents", 1]
    ratios = [ours.cells[k].per_second / theirs.cells[k].per_second for k in ours.cells
              if theirs.cells[k].per_second]
    worst_rss = max(mb for _, mb in ours.memory) if ours.memory else 0.0
    checks = [
        ("non-payment turn p50 (1 sender)", latency.p50, TARGETS["p50_ms"], "ms"),
        ("non-payment turn p99 (1 sender)", latency.p99, TARGETS["p99_ms"], "ms"),
        ("cold start to /readyz", ours.cold_start_s, TARGETS["cold_start_s"], "s"),
        ("RSS per worker", worst_rss, TARGETS["rss_mb"], "MB"),
        ("300-turn growth (last 50 / first 50)", growth(ours.conversation)[2],
         TARGETS["growth"], "x"),
    ]
    lines = [f"- {name}: {value:.1f} {unit} (target ≤ {target:g} {unit}) "
             f"{'OK' if value <= target else 'MISSED'}" for name, value, target, unit in checks]
    lowest = min(ratios) if ratios else 0.0
    lines.append(f"- throughput textpay ÷ rasa run: lowest {lowest:.2f}x "
                 f"(target ≥ {TARGETS['throughput_ratio']:g}x) "
                 f"{'OK' if lowest >= TARGETS['throughput_ratio'] else 'MISSED'}")
    return lines


def print_report(stack: Stack, ours: ServerRun, theirs: ServerRun, seconds: float) -> None:
    """The table and the other figures."""
    rows = [(traffic, n, ours.cells[traffic, n], theirs.cells[traffic, n])
            for traffic in TRAFFIC for n in CONCURRENCY]
    first, last, ratio = growth(ours.conversation)
    r_first, r_last, r_ratio = growth(theirs.conversation)
    print()
    print(f"textpay {WORKERS} gunicorn workers on {stack.database_kind}"
          f"{' + Redis' if stack.redis_url else ''}; plain rasa run (in-memory tracker) "
          f"+ rasa run actions; localstripe on loopback; {os.cpu_count()} CPUs; "
          f"{seconds:g} s per cell after 2 s warm-up; load driven from a separate process.")
    print()
    print(table(rows))
    print()
    print(f"| {CONVERSATION_TURNS}-turn conversation, one borrower | first 50 turns | "
          "last 50 turns | last ÷ first |")
    print("|---|---:|---:|---:|")
    print(f"| textpay | {first:.1f} ms | {last:.1f} ms | {ratio:.2f}x |")
    print(f"| rasa run | {r_first:.1f} ms | {r_last:.1f} ms | {r_ratio:.2f}x |")
    print()
    print("| start and memory | textpay | rasa run |")
    print("|---|---:|---:|")
    print(f"| cold start to ready | {ours.cold_start_s:.1f} s (/readyz) | "
          f"{theirs.cold_start_s:.1f} s (/status) |")
    ours_memory = ", ".join(f"{mb:.0f} MB" for _, mb in ours.memory)
    theirs_memory = ", ".join(f"{name} {mb:.0f} MB" for name, mb in theirs.memory)
    print(f"| resident memory | {ours_memory} (per worker) | {theirs_memory} |")
    print()
    print("\n".join(verdicts(ours, theirs)))


def campaign_figures() -> None:
    """The campaign planner's own benchmark (bench/campaign.py), when present."""
    try:
        from bench import campaign
    except ImportError:
        print("\n(bench/campaign.py not present: no campaign figures)")
        return
    print("\n== campaign planning and sending pace (bench/campaign.py) ==", flush=True)
    campaign.main()


def main() -> None:
    """Run everything and print the table."""
    seconds = float(os.environ.get("BENCH_SECONDS", "10"))
    started = time.monotonic()
    with bench_stack(senders_per_server=max(CONCURRENCY) + 1) as stack:
        ours = run_textpay(stack, seconds)
        theirs = run_plain_rasa(stack, seconds)
        print_report(stack, ours, theirs, seconds)
    print(f"\n(benchmark took {time.monotonic() - started:.0f} s)")
    campaign_figures()


if __name__ == "__main__":
    main()
