"""The probe's answers and an independent writer's 70 replies to "Reply YES to pay $50.00"
(data/hedges.md, copied from their evaluation drop)."""

from __future__ import annotations

import re
from pathlib import Path

PROBE = ["is that right?", "sure?", "yes?", "y?", "ok wait", "not yes", "ok google"]


def _hedges_file() -> tuple[list[str], list[str]]:
    text = (Path(__file__).parent / "data" / "hedges.md").read_text(encoding="utf-8")
    hedged, unconditional = text.split("## Unconditional yes")
    lines = re.compile(r"^- (.+)$", re.MULTILINE)
    return lines.findall(hedged), lines.findall(unconditional)


HEDGED, UNCONDITIONAL = _hedges_file()
