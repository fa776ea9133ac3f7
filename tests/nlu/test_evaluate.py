"""The held-out evaluation script's summary and its refusal without a model."""

from __future__ import annotations

from pathlib import Path

from bot.nlu.evaluate import format_summary, main, summarize

REPORT = {
    "pay": {"precision": 1.0, "recall": 0.8, "f1-score": 0.889, "support": 10},
    "deny": {"precision": 0.9, "recall": 1.0, "f1-score": 0.947, "support": 9},
    "nlu_fallback": {"precision": 0.0, "recall": 0.0, "f1-score": 0.0, "support": 0},
    "accuracy": 0.9,
    "macro avg": {"precision": 0.95, "recall": 0.9, "f1-score": 0.918, "support": 19},
    "weighted avg": {"precision": 0.95, "recall": 0.9, "f1-score": 0.917, "support": 19},
}
ERRORS = [
    {"text": "a", "intent": "pay", "intent_prediction": {"name": "check_balance"}},
    {"text": "b", "intent": "pay", "intent_prediction": {"name": "check_balance"}},
    {"text": "c", "intent": "deny", "intent_prediction": {"name": "affirm"}},
]


def test_summarize() -> None:
    summary = summarize(REPORT, ERRORS)
    assert summary.macro_f1 == 0.918
    assert summary.accuracy == 0.9
    assert summary.weak == [("pay", 0.889)]
    assert summary.confusions == [(("pay", "check_balance"), 2), (("deny", "affirm"), 1)]
    text = format_summary("en", summary)
    assert "macro-F1 0.918" in text and "pay -> check_balance: 2" in text


def test_missing_model_is_an_error(tmp_path: Path, capsys) -> None:
    assert main(["--model", str(tmp_path / "nope.tar.gz")]) == 2
    assert "no trained model" in capsys.readouterr().err
