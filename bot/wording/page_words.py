"""The words of the borrower's self-service page, of the payer page (entries
`payer_...`), of the secure card and approval pages (`secure_...`) and of the
emulator's test cards (`test_card...`), per language, from
bot/wording/pages/<language>.yml.

Unlike texts, a page has no segments to save: Spanish keeps all its accents.
Each entry is a `str.format` template.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import yaml

from bot.wording.catalog import SUPPORTED_LANGUAGES

_FOLDER = Path(__file__).with_name("pages")


@cache
def _words(language: str) -> dict[str, str]:
    with open(_FOLDER / f"{language}.yml", encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def page_language(language: str | None) -> str:
    """The language a page is shown in: the borrower's, or English."""
    return language if language in SUPPORTED_LANGUAGES else "en"


def words(language: str | None) -> Words:
    """The page's words in `language` (English for any word missing)."""
    return Words(page_language(language))


class Words:
    """`words("key", name=...)` in templates: one entry of the page catalog, filled in."""

    def __init__(self, language: str) -> None:
        self.language = language

    def __call__(self, key: str, **values: object) -> str:
        """The entry `key`, filled with `values`."""
        template = _words(self.language).get(key) or _words("en")[key]
        return template.format(**values)


def keys(language: str) -> set[str]:
    """Every entry defined for a language (tests compare the catalogs)."""
    return set(_words(language))
