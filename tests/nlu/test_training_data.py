"""The NLU data: every intent covered, annotations agree with the extractors,
held-out examples never in training."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from bot.nlu.entities import find_entities

ROOT = Path(__file__).resolve().parents[2]
INTENTS = {
    "pay", "arrange_plan", "promise_to_pay", "dispute", "already_paid", "hardship",
    "check_balance", "affirm", "deny", "request_human", "opt_out", "help", "wrong_number",
    "update_card", "greet", "thank", "goodbye", "ask_identity", "out_of_scope",
}  # fmt: skip
FILES = {  # file: minimum examples per intent
    "training_data/nlu_en.yml": 45,
    "training_data/nlu_es.yml": 25,
    "nlu_eval/en.yml": 12,
    "nlu_eval/es.yml": 8,
}
_ANNOTATION = re.compile(r"\[(?P<text>[^\]]+)\]\((?P<entity>[^)]+)\)")


def examples(path: str) -> list[tuple[str, str, set[tuple[int, int, str]]]]:
    """(intent, plain text, annotated entity spans) for every example of a file."""
    out = []
    for block in yaml.safe_load((ROOT / path).read_text())["nlu"]:
        for line in block["examples"].splitlines():
            if line.strip().startswith("- "):
                out.append((block["intent"], *_strip(line.strip()[2:])))
    return out


def _strip(example: str) -> tuple[str, set[tuple[int, int, str]]]:
    text, spans, last = "", set(), 0
    for match in _ANNOTATION.finditer(example):
        text += example[last : match.start()]
        spans.add((len(text), len(text) + len(match["text"]), match["entity"]))
        text += match["text"]
        last = match.end()
    return text + example[last:], spans


def extracted(text: str) -> set[tuple[int, int, str]]:
    """The spans the pipeline's extractors find."""
    return {(s.start, s.end, name) for name, spans in find_entities(text).items() for s in spans}


@pytest.mark.parametrize(("path", "minimum"), FILES.items())
def test_every_intent_has_enough_examples(path: str, minimum: int) -> None:
    counts: dict[str, int] = {}
    for intent, _, _ in examples(path):
        counts[intent] = counts.get(intent, 0) + 1
    assert set(counts) >= INTENTS
    assert set(counts) <= INTENTS | {"nlu_fallback"}  # keyboard mash: asked again, then a person
    assert {i: n for i, n in counts.items() if i in INTENTS and n < minimum} == {}


@pytest.mark.parametrize("path", FILES)
def test_annotations_match_the_extractors(path: str) -> None:
    wrong = [(text, sorted(gold), sorted(extracted(text)))
             for _, text, gold in examples(path) if extracted(text) != gold]  # fmt: skip
    assert wrong == []


def test_held_out_examples_are_not_in_training() -> None:
    training = {t.lower() for p in FILES if p.startswith("training") for _, t, _ in examples(p)}
    held_out = {t.lower() for p in FILES if p.startswith("nlu_eval") for _, t, _ in examples(p)}
    assert training & held_out == set()


def test_no_text_labelled_with_two_intents() -> None:
    seen: dict[str, str] = {}
    clashes = []
    for path in FILES:
        for intent, text, _ in examples(path):
            if seen.setdefault(text.lower(), intent) != intent:
                clashes.append(text)
    assert clashes == []
