"""Held-out NLU evaluation: ``python -m bot.nlu.evaluate`` (``make nlu-eval``).

For each ``nlu_eval/<language>.yml`` it runs Rasa's own evaluation
(``rasa test nlu``) against ``models/textpay.tar.gz`` into
``results/nlu-<language>/`` and prints the intent macro-F1, the accuracy,
the intents with F1 below 0.9 and the most frequent confusions.

``rasa test nlu`` undoes ``nlu_fallback`` predictions (it scores the best
real intent instead), so the script also loads the model once and reports
how many held-out texts would really go to ``nlu_fallback``, and whether a
few unrelated texts do (``--no-fallback`` skips that part).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import subprocess
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

MODEL = Path("models/textpay.tar.gz")
EVAL_DIR = Path("nlu_eval")
RESULTS_DIR = Path("results")
WEAK_F1 = 0.9
FALLBACK = "nlu_fallback"
# Texts no borrower means as an answer: they should all go to nlu_fallback.
UNRELATED = (
    "what time is it",
    "asdfgh",
    "who won the game",
    "what's the weather like",
    "tell me a joke",
    "who is the president",
    "qué hora es",
    "quién ganó el partido",
)
_SUMMARY_KEYS = {"accuracy", "macro avg", "weighted avg", "micro avg"}


@dataclass(frozen=True)
class Summary:
    """What one language's evaluation says."""

    macro_f1: float
    accuracy: float
    weak: list[tuple[str, float]]
    confusions: list[tuple[tuple[str, str], int]]


def summarize(report: dict, errors: list[dict], top: int = 8) -> Summary:
    """Summarise Rasa's ``intent_report.json`` and ``intent_errors.json`` contents."""
    per_intent = {
        name: scores["f1-score"]
        for name, scores in report.items()
        if name not in _SUMMARY_KEYS and isinstance(scores, dict) and scores.get("support")
    }
    weak = sorted((name, f1) for name, f1 in per_intent.items() if f1 < WEAK_F1)
    pairs = Counter((e["intent"], e["intent_prediction"]["name"]) for e in errors)
    return Summary(
        macro_f1=report["macro avg"]["f1-score"],
        accuracy=report["accuracy"],
        weak=sorted(weak, key=lambda item: item[1]),
        confusions=pairs.most_common(top),
    )


def format_summary(language: str, summary: Summary) -> str:
    """Human-readable lines for one language."""
    lines = [
        f"[{language}] intent macro-F1 {summary.macro_f1:.3f}  accuracy {summary.accuracy:.3f}",
        "  intents with F1 < 0.9: "
        + (", ".join(f"{name} {f1:.2f}" for name, f1 in summary.weak) or "none"),
        "  most frequent confusions (gold -> predicted):",
    ]
    lines += [f"    {gold} -> {pred}: {n}" for (gold, pred), n in summary.confusions] or [
        "    none"
    ]
    return "\n".join(lines)


def run_rasa_test(nlu_file: Path, model: Path, out_dir: Path) -> None:
    """Run ``rasa test nlu`` on one file; raise ``RuntimeError`` if it fails."""
    out_dir.mkdir(parents=True, exist_ok=True)
    command = [sys.executable, "-m", "rasa", "test", "nlu", "--nlu", str(nlu_file),
               "--model", str(model), "--out", str(out_dir)]  # fmt: skip
    env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3"}
    log = out_dir / "rasa-test.log"
    with log.open("w") as handle:
        done = subprocess.run(command, stdout=handle, stderr=subprocess.STDOUT, env=env)  # noqa: S603
    if done.returncode != 0:
        tail = "\n".join(log.read_text(errors="replace").splitlines()[-15:])
        raise RuntimeError(f"rasa test nlu failed on {nlu_file} (see {log}):\n{tail}")


def evaluate_file(nlu_file: Path, model: Path, results: Path) -> Summary:
    """Evaluate one language file and summarise Rasa's reports."""
    out_dir = results / f"nlu-{nlu_file.stem}"
    run_rasa_test(nlu_file, model, out_dir)
    report = json.loads((out_dir / "intent_report.json").read_text())
    errors_file = out_dir / "intent_errors.json"
    errors = json.loads(errors_file.read_text()) if errors_file.exists() else []
    return summarize(report, errors)


def held_out_texts(nlu_file: Path) -> list[tuple[str, str]]:
    """``(intent, plain text)`` pairs of a Rasa NLU YAML file."""
    from rasa.shared.nlu.training_data.loading import load_data

    data = load_data(str(nlu_file))
    return [(m.get("intent"), m.get("text")) for m in data.intent_examples]


def fallback_report(model: Path, files: list[Path]) -> str:
    """Parse held-out and unrelated texts with the model; report what falls back."""
    from rasa.core.agent import Agent

    _quiet_rasa()

    async def parse_all(texts: list[str]) -> list[str]:
        agent = Agent.load(str(model))
        return [(await agent.parse_message(text))["intent"]["name"] for text in texts]

    held_out = [pair for nlu_file in files for pair in held_out_texts(nlu_file)]
    predicted = asyncio.run(parse_all([t for _, t in held_out] + list(UNRELATED)))
    in_domain, unrelated = predicted[: len(held_out)], predicted[len(held_out) :]
    pairs = zip(held_out, in_domain, strict=True)
    fell_back = [text for (_, text), got in pairs if got == FALLBACK]
    missed = [(t, got) for t, got in zip(UNRELATED, unrelated, strict=True) if got != FALLBACK]
    lines = [
        f"[fallback] held-out texts sent to {FALLBACK}: {len(fell_back)}/{len(held_out)}"
        + "".join(f"\n    {text}" for text in fell_back),
        f"[fallback] unrelated texts caught: {len(UNRELATED) - len(missed)}/{len(UNRELATED)}"
        + "".join(f"\n    missed: {text!r} -> {got}" for text, got in missed),
    ]
    return "\n".join(lines)


def _quiet_rasa() -> None:
    """Rasa logs every parse at debug level (through logging and structlog)."""
    import logging

    import structlog

    logging.disable(logging.INFO)
    structlog.configure(wrapper_class=structlog.make_filtering_bound_logger(logging.WARNING))


def main(argv: list[str] | None = None) -> int:
    """Evaluate every ``nlu_eval/*.yml``; return the process exit code."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path, default=MODEL)
    parser.add_argument("--eval-dir", type=Path, default=EVAL_DIR)
    parser.add_argument("--results", type=Path, default=RESULTS_DIR)
    parser.add_argument("--no-fallback", action="store_true", help="skip the fallback report")
    args = parser.parse_args(argv)
    if not args.model.is_file():
        print(f"error: no trained model at {args.model}; run `make install` "
              "(or `textpay train`) first", file=sys.stderr)  # fmt: skip
        return 2
    files = sorted(args.eval_dir.glob("*.yml"))
    if not files:
        print(f"error: no evaluation files in {args.eval_dir}/", file=sys.stderr)
        return 2
    try:
        for nlu_file in files:
            print(format_summary(nlu_file.stem, evaluate_file(nlu_file, args.model, args.results)))
    except RuntimeError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    if not args.no_fallback:
        print(fallback_report(args.model, files))
    print(f"(Rasa's full reports: {args.results}/nlu-<language>/)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
