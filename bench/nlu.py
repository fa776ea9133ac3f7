"""Where the NLU's time and memory go: ``.venv/bin/python -m bench.nlu``.

Starts a fresh Python process (so nothing is imported yet) that imports what
the server imports, loads the trained model the way the webhook does, and
parses every held-out text once without the parse cache. It prints:

- cold start: the imports, the model load, and the first parse;
- parse time per text (p50 / p95 / max wall clock, and the p50 of CPU time,
  which other work on a shared machine disturbs less) and per pipeline
  component (p50);
- how many texts the n-gram first stage settled, and what the sentence
  embedding costs the others (``bot.nlu.classifier``);
- resident memory after loading (before the timing copy of the model).

Run it on one core's worth of load (nothing else busy) for figures that
compare; the README quotes them.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

MODEL = Path("models/textpay.tar.gz")


def _rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def _timed_components(spent: dict[str, list[float]]) -> None:
    """Wrap every NLU component's ``process`` to record its seconds per call."""
    from rasa.engine.graph import GraphComponent

    def wrap(cls: type) -> None:
        original = cls.__dict__.get("process")
        if original is None or getattr(original, "timed", False):
            return

        def process(self: Any, *args: Any, **kwargs: Any) -> Any:
            started = time.perf_counter()
            try:
                return original(self, *args, **kwargs)
            finally:
                spent[type(self).__name__].append(time.perf_counter() - started)

        process.timed = True  # type: ignore[attr-defined]
        cls.process = process

    pending = [GraphComponent]
    while pending:
        cls = pending.pop()
        pending.extend(cls.__subclasses__())
        wrap(cls)


def _timed_embedding(spent: list[float]) -> None:
    """Record the seconds of every sentence embedding of a text (``bot.nlu.embeddings``)."""
    from bot.nlu import embeddings

    original = embeddings.embed

    def embed(texts: list[str]) -> Any:
        started = time.perf_counter()
        try:
            return original(texts)
        finally:
            if texts:
                spent.append(time.perf_counter() - started)

    embeddings.embed = embed


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else 0.0


def measure(model: Path) -> dict[str, Any]:
    """Run in the child process: every figure, as a dict."""
    import asyncio
    import logging

    started = time.perf_counter()
    from bot.dialogue.agent import import_heavy_libraries, without_the_training_graph

    import_heavy_libraries()
    imported = time.perf_counter()
    logging.disable(logging.INFO)
    from rasa.core.agent import Agent

    with without_the_training_graph():  # as the webhook loads it
        agent = Agent.load(str(model))
    loaded = time.perf_counter()
    spent: dict[str, list[float]] = defaultdict(list)
    _timed_components(spent)  # now that loading has imported every component class...
    embedded: list[float] = []
    _timed_embedding(embedded)
    with without_the_training_graph():  # ...in a second copy: nodes bind methods at load
        timed_agent = Agent.load(str(model))
    rss_loaded = _rss_mb()
    from bot.nlu.eval_sets import load_sets

    texts = [e.text for s in load_sets(Path("nlu_eval")) if s.name.startswith("held-out")
             for e in s.examples]

    async def parse_all() -> tuple[float, list[float]]:
        first_started = time.perf_counter()
        await agent.parse_message("pay 150")
        first = time.perf_counter() - first_started
        each, cpu = [], []
        for text in texts:
            one, one_cpu = time.perf_counter(), time.process_time()
            await agent.parse_message(text)
            each.append(time.perf_counter() - one)
            cpu.append(time.process_time() - one_cpu)
        spent.clear()
        embedded.clear()
        for text in texts:
            await timed_agent.parse_message(text)
        return first, each, cpu

    first, each, cpu = asyncio.run(parse_all())
    return {
        "imports_s": imported - started, "model_load_s": loaded - imported,
        "first_parse_s": first, "cold_start_s": loaded - started + first,
        "texts": len(each), "parse_p50_ms": 1000 * _percentile(each, 0.5),
        "parse_p95_ms": 1000 * _percentile(each, 0.95), "parse_max_ms": 1000 * max(each),
        "parse_cpu_p50_ms": 1000 * _percentile(cpu, 0.5),
        "components_p50_ms": {name: 1000 * _percentile(times, 0.5)
                              for name, times in spent.items() if len(times) > 1},
        "embedded_texts": len(embedded),
        "embedding_p50_ms": 1000 * _percentile(embedded, 0.5),
        "rss_after_load_mb": rss_loaded,
    }


def report(figures: dict[str, Any]) -> str:
    """The figures as lines of text."""
    lines = [
        f"cold start {figures['cold_start_s']:.1f} s = imports {figures['imports_s']:.1f} s"
        f" + model load {figures['model_load_s']:.1f} s + first parse "
        f"{1000 * figures['first_parse_s']:.0f} ms",
        f"parse ({figures['texts']} held-out texts, no cache): p50 "
        f"{figures['parse_p50_ms']:.1f} ms, p95 {figures['parse_p95_ms']:.1f} ms, "
        f"max {figures['parse_max_ms']:.1f} ms; CPU time p50 {figures['parse_cpu_p50_ms']:.1f} ms",
        f"texts the n-grams settled: {figures['texts'] - figures['embedded_texts']} of "
        f"{figures['texts']}; the others were embedded, p50 "
        f"{figures['embedding_p50_ms']:.1f} ms each",
        "per component (p50 ms over all texts):",
    ]
    components = sorted(figures["components_p50_ms"].items(), key=lambda item: -item[1])
    lines += [f"  {name:<36} {ms:6.2f}" for name, ms in components]
    lines.append(f"resident memory after loading: {figures['rss_after_load_mb']:.0f} MB")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Measure in a fresh child process and print the report."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path, default=MODEL)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(measure(args.model)))
        return 0
    done = subprocess.run(
        [sys.executable, "-m", "bench.nlu", "--child", "--model", str(args.model)],
        capture_output=True, text=True, check=False)
    if done.returncode != 0:
        print(done.stderr[-3000:], file=sys.stderr)
        return done.returncode
    print(report(json.loads(done.stdout.strip().splitlines()[-1])))
    return 0


if __name__ == "__main__":
    sys.exit(main())
