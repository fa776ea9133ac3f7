"""Latency figures and the one table `make bench` prints (Markdown, ready for the README)."""

from __future__ import annotations

import math
from dataclasses import dataclass


def percentile(values: list[float], fraction: float) -> float:
    """Nearest-rank percentile (0 < fraction <= 1) of a non-empty list."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(fraction * len(ordered)) - 1)]


@dataclass(frozen=True)
class Cell:
    """One server under one kind of traffic at one concurrency."""

    p50: float
    p95: float
    p99: float
    per_second: float
    answered: int
    unanswered: int
    errors: int

    @classmethod
    def of(cls, result: dict) -> Cell:
        """Summarise a load driver result."""
        latencies = result["latencies_ms"] or [math.nan]
        return cls(percentile(latencies, 0.50), percentile(latencies, 0.95),
                   percentile(latencies, 0.99), len(result["latencies_ms"]) / result["seconds"],
                   result["answered"], result["unanswered"], result["errors"])

    def latencies(self) -> str:
        """"p50 / p95 / p99" in milliseconds."""
        return f"{self.p50:.1f} / {self.p95:.1f} / {self.p99:.1f}"

    def health(self) -> str:
        """A note when not every text was answered."""
        problems = []
        if self.unanswered:
            problems.append(f"{self.unanswered} unanswered")
        if self.errors:
            problems.append(f"{self.errors} errors")
        return ", ".join(problems)


def growth(latencies: list[float], window: int = 50) -> tuple[float, float, float]:
    """Mean of the first and last `window` turns, and last / first."""
    first = sum(latencies[:window]) / window
    last = sum(latencies[-window:]) / window
    return first, last, last / first


def table(rows: list[tuple[str, int, Cell, Cell]]) -> str:
    """The comparison table: textpay vs plain `rasa run`, same traffic."""
    lines = [
        "| traffic | senders | textpay p50 / p95 / p99 ms | textpay msg/s "
        "| rasa run p50 / p95 / p99 ms | rasa run msg/s | msg/s textpay ÷ rasa |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for traffic, senders, ours, theirs in rows:
        notes = "; ".join(f"{name}: {n}" for name, n in
                          (("textpay", ours.health()), ("rasa", theirs.health())) if n)
        ratio = ours.per_second / theirs.per_second if theirs.per_second else math.inf
        lines.append(f"| {traffic} | {senders} | {ours.latencies()} | {ours.per_second:.1f} "
                     f"| {theirs.latencies()} | {theirs.per_second:.1f} | {ratio:.2f}x |"
                     + (f" {notes}" if notes else ""))
    return "\n".join(lines)
