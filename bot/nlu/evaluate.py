"""NLU evaluation through the running parser: ``python -m bot.nlu.evaluate``
(``make nlu-eval``).

Every text of every set in ``nlu_eval/`` (see :mod:`bot.nlu.eval_sets`) is
parsed by the trained model exactly as the webhook parses a borrower's text,
fallback threshold included. (``rasa test nlu`` is not used for scoring: it
undoes ``nlu_fallback`` predictions and scores the best real intent instead,
which hides the texts the bot would not understand.)

The report (stdout, and ``results/nlu-eval.txt`` / ``.json``) gives per set the
macro-F1, per-intent F1 and the top confusion pairs, then what the bot would
*do*: the share of unrelated texts landing on a state-changing intent, the
share of all texts that would change an account unasked, and the share of
in-scope texts sent to fallback, at the fallback threshold and at stricter
ones a safety policy might require. Hedged replies to a payment prompt are
checked against :func:`bot.nlu.consent.is_unconditional_yes`.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from dataclasses import asdict
from pathlib import Path
from typing import Any

import yaml

from bot.nlu import scoring
from bot.nlu.consent import is_unconditional_yes
from bot.nlu.eval_sets import HEDGES, EvalSet, load_sets, read_hedges
from bot.nlu.evidence import ACT_AT
from bot.nlu.scoring import Parsed

MODEL = Path("models/textpay.tar.gz")
EVAL_DIR = Path("nlu_eval")
RESULTS_DIR = Path("results")
CONFIG = Path("config.yml")
STRICTER = (0.5, 0.7)
WEAK_F1 = 0.9


def fallback_threshold(config: Path = CONFIG) -> float:
    """The FallbackClassifier threshold the model was trained with (config.yml)."""
    pipeline = yaml.safe_load(config.read_text())["pipeline"]
    return next(float(step.get("threshold", 0.3)) for step in pipeline
                if step["name"] == "FallbackClassifier")


class Parser:
    """The trained model's NLU, loaded the way the bot loads it."""

    def __init__(self, model: Path) -> None:
        """Load the model (seconds)."""
        from rasa.core.agent import Agent

        _quiet_rasa()
        self._agent = Agent.load(str(model))

    def parse(self, texts: list[str]) -> list[dict[str, Any]]:
        """Rasa's parse result for each text."""
        async def parse_all() -> list[dict[str, Any]]:
            return [await self._agent.parse_message(text) for text in texts]

        return asyncio.run(parse_all())


def parse_set(parser: Parser, eval_set: EvalSet) -> list[Parsed]:
    """Parse every example of a set."""
    results = parser.parse([e.text for e in eval_set.examples])
    return [Parsed(e.text, e.gold, r["intent"]["name"], float(r["intent"]["confidence"]), e.also,
                   tuple(r.get("entities") or ()))
            for e, r in zip(eval_set.examples, results, strict=True)]


def set_report(name: str, items: list[Parsed]) -> tuple[list[str], dict[str, Any]]:
    """Lines and JSON for one set: macro-F1, accuracy, per-intent F1, confusions."""
    scores = scoring.intent_scores(items)
    macro = scoring.macro_f1(scores)
    weak = [s for s in scores if s.f1 < WEAK_F1]
    lines = [
        f"== {name}: {len(items)} texts ==",
        f"  macro-F1 {macro:.3f}  accuracy {scoring.accuracy(items):.3f}  "
        f"intents with F1 < {WEAK_F1}: "
        + (", ".join(f"{s.intent} {s.f1:.2f}" for s in weak) or "none"),
        "  per intent (F1  precision  recall  n):",
    ]
    lines += [f"    {s.intent:<15} {s.f1:.2f}  {s.precision:.2f}  {s.recall:.2f}  {s.support}"
              for s in sorted(scores, key=lambda s: s.intent)]
    pairs = scoring.confusions(items)
    lines.append("  top confusions (gold -> predicted):")
    lines += [f"    {gold} -> {pred}: {n}" for (gold, pred), n in pairs] or ["    none"]
    data = {"texts": len(items), "macro_f1": macro, "accuracy": scoring.accuracy(items),
            "intents": [asdict(s) for s in scores],
            "confusions": [[gold, pred, n] for (gold, pred), n in pairs]}
    return lines, data


def _pct(part: int, whole: int) -> str:
    return f"{part}/{whole} ({100 * scoring.Behaviour.share(part, whole):.1f}%)"


def behaviour_report(parsed: dict[str, list[Parsed]],
                     thresholds: list[float]) -> tuple[list[str], list[dict[str, Any]]]:
    """What the bot would do with each set when acting at each threshold, and under the
    bot's own safety policy (confidence >= ACT_AT and the words that carry the intent)."""
    lines = ["== behaviour: acting on a state-changing intent at confidence >= t ==",
             "  (policy rows: the bot's safety policy, t and the words that carry the intent;",
             "  last column: state-changing requests understood right but not acted on,",
             "  which get a short question first)",
             f"  {'set':<16} {'t':>10}  {'unrelated -> state change':<26} "
             f"{'wrong state change (all)':<26} {'in-scope -> fallback':<22} held back"]
    data = []
    for name, items in parsed.items():
        for threshold, words in [*((t, False) for t in thresholds), (ACT_AT, True)]:
            b = scoring.behaviour(items, threshold, words)
            label = f"policy {threshold:.2f}" if words else f"{threshold:.2f}"
            lines.append(f"  {name:<16} {label:>10}  "
                         f"{_pct(b.unrelated_changed, b.unrelated):<26} "
                         f"{_pct(b.wrongly_changed, b.texts):<26} "
                         f"{_pct(b.in_scope_fallback, b.in_scope):<22} "
                         f"{_pct(b.requests_held_back, b.requests)}")
            if b.changed_by_intent and (threshold == thresholds[0] or words):
                lines.append("      unrelated texts acted on as: " + ", ".join(
                    f"{intent} {n}" for intent, n in b.changed_by_intent))
            data.append({"set": name, **asdict(b)})
    return lines, data


def hedges_report(parser: Parser, path: Path) -> tuple[list[str], dict[str, Any]]:
    """Replies to a payment prompt: hedges that would charge, yeses that would not."""
    not_yes, yes = read_hedges(path)

    def charges(texts: list[str]) -> int:
        results = parser.parse(texts)
        return sum(r["intent"]["name"] == "affirm" and is_unconditional_yes(t)
                   for t, r in zip(texts, results, strict=True))

    charged, accepted = charges(not_yes), charges(yes)
    lines = ["== replies to 'Reply YES to pay $50.00' (intent affirm + is_unconditional_yes) ==",
             f"  hedges/questions/negations that would charge: {_pct(charged, len(not_yes))}",
             f"  unconditional yeses that would charge:         {_pct(accepted, len(yes))}"]
    return lines, {"hedges_charged": charged, "hedges": len(not_yes),
                   "yes_charged": accepted, "yes": len(yes)}


def evaluate(model: Path, folder: Path, threshold: float) -> tuple[str, dict[str, Any]]:
    """The whole report as text, and as JSON."""
    parser = Parser(model)
    lines = [f"NLU evaluation of {model} through the running parser "
             f"(fallback threshold {threshold:.2f}).",
             "Unrelated (out_of_scope) texts count as correct when predicted out_of_scope "
             "or nlu_fallback; in-scope texts sent to nlu_fallback are errors.", ""]
    data: dict[str, Any] = {"model": str(model), "fallback_threshold": threshold, "sets": {}}
    parsed = {}
    for eval_set in load_sets(folder):
        parsed[eval_set.name] = parse_set(parser, eval_set)
        set_lines, data["sets"][eval_set.name] = set_report(eval_set.name, parsed[eval_set.name])
        lines += [*set_lines, ""]
    thresholds = [threshold, *(t for t in STRICTER if t > threshold)]
    behaviour_lines, data["behaviour"] = behaviour_report(parsed, thresholds)
    lines += [*behaviour_lines, ""]
    if (folder / HEDGES).is_file():
        hedge_lines, data["hedges"] = hedges_report(parser, folder / HEDGES)
        lines += hedge_lines
    return "\n".join(lines), data


def _quiet_rasa() -> None:
    """Rasa logs every parse at debug level (through logging and structlog)."""
    import logging

    import structlog

    logging.disable(logging.INFO)
    structlog.configure(wrapper_class=structlog.make_filtering_bound_logger(logging.WARNING))


def main(argv: list[str] | None = None) -> int:
    """Evaluate the sets in ``nlu_eval/``; return the process exit code."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path, default=MODEL)
    parser.add_argument("--eval-dir", type=Path, default=EVAL_DIR)
    parser.add_argument("--results", type=Path, default=RESULTS_DIR)
    parser.add_argument("--config", type=Path, default=CONFIG)
    args = parser.parse_args(argv)
    if not args.model.is_file():
        print(f"error: no trained model at {args.model}; run `make install` "
              "(or `textpay train`) first", file=sys.stderr)  # fmt: skip
        return 2
    if not load_sets(args.eval_dir):
        print(f"error: no evaluation files in {args.eval_dir}/", file=sys.stderr)
        return 2
    text, data = evaluate(args.model, args.eval_dir, fallback_threshold(args.config))
    print(text)
    args.results.mkdir(parents=True, exist_ok=True)
    (args.results / "nlu-eval.txt").write_text(text + "\n")
    (args.results / "nlu-eval.json").write_text(json.dumps(data, indent=1) + "\n")
    print(f"(written to {args.results}/nlu-eval.txt and nlu-eval.json)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
