"""One clock: product code reads "now" only through bot/clock.py, and the suite can pin it."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from bot import clock as product_clock
from bot.settings import ROOT

# (object, attribute) pairs that read the wall clock.
WALL_CLOCK_READS = {("datetime", "now"), ("datetime", "utcnow"), ("datetime", "today"),
                    ("date", "today"), ("time", "time"), ("time", "time_ns")}


def _wall_clock_reads(path: Path) -> list[str]:
    """Each call in a module that reads the wall clock (see WALL_CLOCK_READS), with its line."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
            continue
        owner = node.func.value
        owner_name = owner.attr if isinstance(owner, ast.Attribute) else getattr(owner, "id", "")
        if (owner_name, node.func.attr) in WALL_CLOCK_READS:
            found.append(f"{path}:{node.lineno} {owner_name}.{node.func.attr}()")
    return found


def test_no_module_but_the_clock_reads_the_wall_clock():
    modules = [p for p in (ROOT / "bot").rglob("*.py") if p != ROOT / "bot" / "clock.py"]
    assert len(modules) > 50
    offenders = [line for path in modules for line in _wall_clock_reads(path)]
    assert offenders == [], "read the time through bot/clock.py:\n" + "\n".join(offenders)


def test_the_scanner_finds_each_way_of_reading_the_wall_clock(tmp_path):
    # Every call the scanner knows, written both bare and through a module alias, built
    # from the table so that this file holds no such call itself.
    calls = sorted(WALL_CLOCK_READS)
    lines = [f"bare{i} = {owner}.{name}()" for i, (owner, name) in enumerate(calls)]
    lines += [f"dotted{i} = dt.{owner}.{name}()" for i, (owner, name) in enumerate(calls)]
    sample = tmp_path / "sample.py"
    sample.write_text("import datetime as dt\n" + "\n".join(lines) + "\nx = dt.timedelta(1)\n")
    assert len(_wall_clock_reads(sample)) == 2 * len(calls)


def test_the_clock_reads_the_pinned_instant_and_runs_on(clock):
    clock.move_to(datetime(2027, 11, 7, 6, 30))
    first = product_clock.utcnow()
    assert timedelta(0) <= first - datetime(2027, 11, 7, 6, 30) < timedelta(seconds=5)
    assert product_clock.utcnow() > first  # time still passes: timestamps keep their order
    clock.advance(days=1)
    assert product_clock.utcnow().date().isoformat() == "2027-11-08"


def test_the_session_instant_comes_from_now_option(request, clock, tmp_path):
    chosen = request.config.getoption("--now")
    if chosen is None:
        # The machine's time, as the file system stamps a file written now.
        stamp = tmp_path / "now"
        stamp.write_text("")
        real = datetime.fromtimestamp(stamp.stat().st_mtime, timezone.utc)
        assert abs(clock.started - real) < timedelta(minutes=5)
    else:
        assert clock.started == product_clock.parse_instant(chosen)


def test_a_child_process_starts_at_the_pinned_instant(clock):
    clock.move_to(datetime(2028, 2, 29, 23, 59))
    shown = subprocess.run(
        [sys.executable, "-c", "from bot.clock import utcnow; print(utcnow().isoformat())"],
        capture_output=True, text=True, check=True, cwd=ROOT, env=dict(os.environ),
    ).stdout.strip()
    assert shown.startswith("2028-02-29T23:59") or shown.startswith("2028-03-01T00:00")


@pytest.mark.parametrize("text, expected", [
    ("2027-11-07T06:30:00Z", datetime(2027, 11, 7, 6, 30, tzinfo=timezone.utc)),
    ("2027-11-07T01:30:00-05:00", datetime(2027, 11, 7, 6, 30, tzinfo=timezone.utc)),
    ("2027-11-07 06:30", datetime(2027, 11, 7, 6, 30, tzinfo=timezone.utc)),
])
def test_instants_are_read_in_any_iso_form(text, expected):
    assert product_clock.parse_instant(text) == expected


def test_a_wrong_instant_says_what_is_expected():
    with pytest.raises(ValueError, match="2027-11-07T06:30:00Z"):
        product_clock.parse_instant("next tuesday")


def test_pytest_refuses_a_wrong_now_option():
    result = subprocess.run([sys.executable, "-m", "pytest", "--now", "soon", "-q",
                             "tests/test_clock.py::test_a_wrong_instant_says_what_is_expected"],
                            capture_output=True, text=True, cwd=ROOT)
    assert result.returncode != 0
    assert "--now: not an ISO 8601 instant" in result.stderr + result.stdout
