"""Debian's Chromium driven by Playwright for Python (its own download cannot work here)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
# A phone's screen, for pages a borrower (or whoever they forward a link to) opens.
PHONE = {"width": 390, "height": 844}
# Without these Chromium keeps trying to reach outside hosts, which this network refuses.
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--no-first-run", "--disable-sync", "--disable-quic",
]


def require_chromium() -> None:
    """Skip without Chromium, except under CI=true where that is a failure."""
    if CHROMIUM.exists():
        return
    message = f"{CHROMIUM} is missing (make test installs Debian's chromium when run as root)"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(message)
    pytest.skip(message)


@contextmanager
def chromium_browser() -> Iterator[object]:
    """One headless Chromium for several pages (each `browser.new_page()` has its own cookies)."""
    from playwright.sync_api import sync_playwright

    require_chromium()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@contextmanager
def chromium_page() -> Iterator[object]:
    """A fresh headless Chromium page."""
    with chromium_browser() as browser:
        page = browser.new_page(viewport={"width": 1100, "height": 900})
        page.set_default_timeout(20_000)
        yield page


@pytest.fixture(scope="module")
def base_url(app):
    """The app served on loopback for a browser (tests/conftest.py makes this module a
    plugin, so every test may ask for it); skips without Chromium."""
    from tests.support.live_server import live_server

    require_chromium()
    with live_server(app) as url:
        yield url
