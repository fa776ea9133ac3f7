"""The evaluation's scores, its reading of the sets, and its refusal without a model."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.nlu import scoring
from bot.nlu.eval_sets import load_sets, plain_text, read_hedges, second_intents
from bot.nlu.evaluate import fallback_threshold, main
from bot.nlu.scoring import Parsed

ITEMS = [
    Parsed("pay 50", "pay", "pay", 0.9),
    Parsed("pay 60", "pay", "check_balance", 0.6),
    Parsed("balance?", "check_balance", "check_balance", 0.8),
    Parsed("text my wife", "out_of_scope", "opt_out", 0.55),  # an unasked opt-out
    Parsed("weather", "out_of_scope", "nlu_fallback", 0.3),  # fine: nothing happens
    Parsed("trivia", "out_of_scope", "out_of_scope", 0.9),
    Parsed("stop pls", "opt_out", "nlu_fallback", 0.3),  # in-scope sent to fallback
    Parsed("who is this", "ask_identity", "dispute", 0.35),  # an unasked dispute
]


def test_unrelated_texts_count_as_correct_on_either_no_action_label() -> None:
    scores = {s.intent: s for s in scoring.intent_scores(ITEMS)}
    assert scores["out_of_scope"].recall == pytest.approx(2 / 3)
    assert scores["out_of_scope"].precision == 1.0
    assert scores["pay"].recall == 0.5
    assert scores["check_balance"].precision == 0.5
    assert scoring.accuracy(ITEMS) == pytest.approx(4 / 8)


def test_confusions_are_gold_to_predicted_errors_only() -> None:
    pairs = dict(scoring.confusions(ITEMS))
    assert pairs[("out_of_scope", "opt_out")] == 1
    assert ("out_of_scope", "nlu_fallback") not in pairs
    assert ("pay", "pay") not in pairs


def test_behaviour_counts_state_changes_at_each_threshold() -> None:
    at_fallback = scoring.behaviour(ITEMS, 0.3)
    assert (at_fallback.unrelated, at_fallback.unrelated_changed) == (3, 1)
    assert at_fallback.changed_by_intent == (("opt_out", 1),)
    assert at_fallback.wrongly_changed == 2  # the opt-out and the dispute
    assert (at_fallback.in_scope, at_fallback.in_scope_fallback) == (5, 1)
    assert (at_fallback.requests, at_fallback.requests_held_back) == (3, 0)
    stricter = scoring.behaviour(ITEMS, 0.7)
    assert (stricter.unrelated_changed, stricter.wrongly_changed) == (0, 0)
    assert stricter.requests_held_back == 0  # "pay 50" at 0.9 still acts
    strictest = scoring.behaviour(ITEMS, 0.95)
    assert strictest.requests_held_back == 1


def test_a_second_acceptable_intent_is_not_a_wrong_change() -> None:
    item = Parsed("pay 100 and whats left", "pay", "check_balance", 0.9, also="check_balance")
    plan = Parsed("pay 100 and split the rest", "pay", "arrange_plan", 0.9, also="check_balance")
    assert not item.wrong_change(0.3)
    assert plan.wrong_change(0.3)


def test_sets_are_read_from_rasa_yaml_and_markdown(tmp_path: Path) -> None:
    (tmp_path / "en.yml").write_text(
        'version: "3.1"\nnlu:\n- intent: pay\n  examples: |\n    - pay [50](amount) now\n')
    (tmp_path / "two_requests.yml").write_text(
        'version: "3.1"\nnlu:\n- intent: pay\n  examples: |\n    - pay 5 and balance?\n')
    (tmp_path / "two_requests.md").write_text(
        "| # | lang | text | label | other |\n|---|---|---|---|---|\n"
        "| 1 | en | pay 5 and balance? | pay | check_balance |\n")
    (tmp_path / "hedges.md").write_text(
        "# Replies\n\n## NOT an unconditional yes (1)\n\n- yes?\n\n"
        "## Unconditional yes (1)\n\n- yes\n")
    sets = {s.name: s.examples for s in load_sets(tmp_path)}
    assert [(e.text, e.gold) for e in sets["held-out en"]] == [("pay 50 now", "pay")]
    assert sets["two requests"][0].also == "check_balance"
    assert second_intents(tmp_path / "two_requests.md") == {"pay 5 and balance?": "check_balance"}
    assert read_hedges(tmp_path / "hedges.md") == (["yes?"], ["yes"])


def test_plain_text_drops_annotations() -> None:
    assert plain_text('pay [$50](amount) on [friday]{"entity": "date"}') == "pay $50 on friday"


def test_fallback_threshold_comes_from_the_config() -> None:
    assert 0 < fallback_threshold() < 1


def test_missing_model_is_an_error(tmp_path: Path, capsys) -> None:
    assert main(["--model", str(tmp_path / "nope.tar.gz")]) == 2
    assert "no trained model" in capsys.readouterr().err
