"""The layer order is enforced (import-linter, `make test`) and covers the whole package."""

from __future__ import annotations

import configparser
import subprocess

from bot.settings import ROOT
from tests.support.processes import VENV_BIN


def _layered_modules() -> set[str]:
    config = configparser.ConfigParser()
    config.read(ROOT / ".importlinter")
    layers = config["importlinter:contract:layers"]["layers"]
    return {name.strip() for line in layers.splitlines()
            for name in line.replace("|", ":").split(":") if name.strip()}


def test_every_part_of_bot_has_its_place_in_the_layer_order():
    parts = {f"bot.{path.stem if path.suffix == '.py' else path.name}"
             for path in (ROOT / "bot").iterdir()
             if (path.suffix == ".py" and path.stem != "__init__")
             or (path.is_dir() and (path / "__init__.py").exists())}
    assert parts == _layered_modules()


def test_the_layer_contracts_hold_without_exceptions():
    config = configparser.ConfigParser()
    config.read(ROOT / ".importlinter")
    assert not [name for name in config.sections() if "ignore_imports" in config[name]]
    result = subprocess.run([str(VENV_BIN / "lint-imports"), "--no-cache", "--no-logo"],
                            cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout[-3000:]
    assert "2 kept, 0 broken" in result.stdout
