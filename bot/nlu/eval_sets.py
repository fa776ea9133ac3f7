"""The evaluation sets in ``nlu_eval/``, read as labelled texts.

- ``en.yml`` / ``es.yml``: held-out phrasings written beside the training data
  (never copied into it).
- ``realistic_en.yml`` / ``realistic_es.yml``: texts written from scratch by
  someone who never saw the training data (their README.md says how); the
  ``out_of_scope`` texts in them are the out-of-scope set.
- ``two_requests.yml`` (+ ``two_requests.md``, which names each text's second
  intent): texts asking two things at once.
- ``hedges.md``: replies to "Reply YES to pay $50.00" that are, or are not, an
  unconditional yes.

Never train on any of these: they measure how the bot does on texts it has
not seen.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

HELD_OUT = ("en.yml", "es.yml")
REALISTIC = ("realistic_en.yml", "realistic_es.yml")
TWO_REQUESTS = "two_requests.yml"
TWO_REQUESTS_TABLE = "two_requests.md"
HEDGES = "hedges.md"

_ANNOTATION = re.compile(r"\[(?P<text>[^\]]+)\]\((?P<entity>[^)]+)\)|\[(?P<t2>[^\]]+)\]\{[^}]*\}")


@dataclass(frozen=True)
class Example:
    """One labelled evaluation text."""

    text: str
    gold: str
    also: str | None = None  # a second acceptable intent


@dataclass(frozen=True)
class EvalSet:
    """A named list of examples (one language or one kind of text)."""

    name: str
    examples: list[Example]


def plain_text(example: str) -> str:
    """A Rasa training example without its entity annotations."""
    return _ANNOTATION.sub(lambda m: m["text"] or m["t2"], example)


def read_rasa_nlu(path: Path) -> list[Example]:
    """The (intent, text) examples of a Rasa 3 NLU YAML file."""
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    examples = []
    for block in data.get("nlu", []):
        for line in (block.get("examples") or "").splitlines():
            line = line.strip()
            if line.startswith("- "):
                examples.append(Example(plain_text(line[2:].strip()), block["intent"]))
    return examples


def second_intents(table: Path) -> dict[str, str]:
    """text -> second intent, from two_requests.md's table (text | label | other)."""
    found = {}
    for line in table.read_text(encoding="utf-8").splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) >= 5 and cells[0].isdigit():
            found[cells[2]] = cells[4]
    return found


def read_hedges(path: Path) -> tuple[list[str], list[str]]:
    """(not an unconditional yes, an unconditional yes) reply texts of hedges.md."""
    not_yes: list[str] = []
    yes: list[str] = []
    current = None
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("## "):
            current = not_yes if "not" in line.lower().split("(")[0] else yes
        elif line.startswith("- ") and current is not None:
            current.append(line[2:].strip())
    return not_yes, yes


def load_sets(folder: Path) -> list[EvalSet]:
    """Every text-classification set present in ``folder`` (missing files are skipped)."""
    sets = []
    for kind, names in (("held-out", HELD_OUT), ("realistic", REALISTIC)):
        for name in names:
            if (folder / name).is_file():
                language = name.removesuffix(".yml").split("_")[-1]
                sets.append(EvalSet(f"{kind} {language}", read_rasa_nlu(folder / name)))
    if (folder / TWO_REQUESTS).is_file():
        table = folder / TWO_REQUESTS_TABLE
        others = second_intents(table) if table.is_file() else {}
        examples = [Example(e.text, e.gold, others.get(e.text))
                    for e in read_rasa_nlu(folder / TWO_REQUESTS)]
        sets.append(EvalSet("two requests", examples))
    return sets
