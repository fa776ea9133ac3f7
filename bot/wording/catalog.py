"""What the bot says, per language, from bot/wording/replies/<language>.yml.

Texts are kept out of the code so that every reply can be read (and
translated) in one place. Each entry is a `str.format` template.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import yaml

from bot.wording.segments import gsm_friendly

SUPPORTED_LANGUAGES = ("en", "es")
_FOLDER = Path(__file__).with_name("replies")


@cache
def _catalog(language: str) -> dict[str, str]:
    with open(_FOLDER / f"{language}.yml", encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def reply(key: str, language: str | None, **values: object) -> str:
    """The reply `key` in `language` (English when missing), filled with `values`.

    Accents GSM-7 lacks (á, í, ó, ú) become plain letters: one accent would
    make the whole text UCS-2 and cost 70-character segments instead of 160.
    """
    language = language if language in SUPPORTED_LANGUAGES else "en"
    template = _catalog(language).get(key) or _catalog("en")[key]
    return gsm_friendly(template.format(**values).strip())


def keys(language: str) -> set[str]:
    """Every reply key defined for a language (tests compare the catalogs)."""
    return set(_catalog(language))
