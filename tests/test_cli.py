"""The `textpay` command line, run as a user would run it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

TEXTPAY = str(Path(sys.executable).with_name("textpay"))


def run(*args: str, database: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{database}"}
    return subprocess.run([TEXTPAY, *args], capture_output=True, text=True, env=env, timeout=120)


def test_migrate_then_create_dealer_prints_id_and_key_once(tmp_path):
    database = tmp_path / "cli.db"
    migrated = run("migrate", database=database)
    assert migrated.returncode == 0, migrated.stderr
    assert "up to date" in migrated.stdout
    created = run("create-dealer", "--name", "Sunrise Auto", "--number", "+15550100000",
                  "--timezone", "America/Chicago", "--json", database=database)
    assert created.returncode == 0, created.stderr
    data = json.loads(created.stdout)
    assert isinstance(data["dealer_id"], int)
    assert data["api_key"].startswith("tpk_")
    # Only the hash is stored.
    import sqlite3

    with sqlite3.connect(database) as connection:
        stored = connection.execute("select key_hash from api_keys").fetchone()[0]
    assert data["api_key"] not in stored and len(stored) == 64


def test_create_dealer_explains_bad_input(tmp_path):
    database = tmp_path / "cli.db"
    run("migrate", database=database)
    bad = run("create-dealer", "--name", "X", "--number", "not-a-phone", database=database)
    assert bad.returncode != 0
    assert "not a phone number" in bad.stderr
    assert "Traceback" not in bad.stderr
    zone = run("create-dealer", "--name", "X", "--number", "+15550100000", "--timezone",
               "Mars/Base", database=database)
    assert "unknown time zone" in zone.stderr
