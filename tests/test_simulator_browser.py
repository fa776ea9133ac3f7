"""`textpay demo` (what `make run` starts) in a real browser: pay 50, yes, receipt."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from bot.payments.emulator import free_port
from tests.support.browser import chromium_page, require_chromium

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture(scope="module")
def demo_url(tmp_path_factory: pytest.TempPathFactory):
    require_chromium()
    port = free_port()
    instance = tmp_path_factory.mktemp("demo")
    textpay = str(Path(sys.executable).with_name("textpay"))
    log = open(instance / "demo.out", "wb")  # noqa: SIM115
    process = subprocess.Popen([textpay, "demo", "--port", str(port), "--instance", str(instance)],
                               stdout=log, stderr=subprocess.STDOUT, env={**os.environ})
    url = f"http://127.0.0.1:{port}/"
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"textpay demo exited: {(instance / 'demo.out').read_text()[-2000:]}")
        try:
            urllib.request.urlopen(url + "readyz", timeout=1).close()
            break
        except OSError:
            time.sleep(0.5)
    else:
        process.terminate()
        pytest.fail("textpay demo did not become ready within 90 s")
    yield url
    process.terminate()
    process.wait(timeout=10)
    log.close()


def test_pay_50_then_yes_shows_the_receipt(demo_url):
    with chromium_page() as page:
        page.goto(demo_url)
        page.get_by_label("Borrower").select_option(label="Dana Reyes (+15551230001)")
        message = page.get_by_label("Message")
        message.fill("pay 50")
        message.press("Enter")
        page.get_by_text("You're paying $50.00 with Visa ending 4242").wait_for()
        message.fill("yes")
        page.get_by_role("button", name="Send").click()
        receipt = page.locator("#thread li.outbound", has_text="Payment received: $50.00")
        receipt.wait_for()
        assert "New balance: $1,150.00" in receipt.inner_text()
        assert "LN-1001" in page.locator("#account").inner_text()


DEMO_BORROWERS = ("Dana Reyes (+15551230001)", "Miguel Torres (+15551230002)",
                  "Jordan Lee (+15551230003)")


def test_every_demo_thread_starts_with_the_reminder_that_borrower_received(demo_url):
    with chromium_page() as page:
        page.goto(demo_url)
        for label in DEMO_BORROWERS:
            page.get_by_label("Borrower").select_option(label=label)
            first = page.locator("#thread li").first
            first.wait_for()
            assert first.get_attribute("class") == "outbound reminder", label
            assert "Reply STOP" in first.inner_text() or "Responda STOP" in first.inner_text()


def test_the_dashboard_tells_sixty_days_of_history(demo_url):
    """Every tile and chart has data from the demo's history, the axis labels fit, and the
    experiment shows; TEXTPAY_SCREENSHOTS=docs keeps the picture for the README."""
    from bot.demo import DEMO_ADMIN

    with chromium_page() as page:
        page.set_viewport_size({"width": 1280, "height": 900})
        page.goto(demo_url + "portal/login")
        page.get_by_label("Email").fill(DEMO_ADMIN[0])
        page.get_by_label("Password").fill(DEMO_ADMIN[1])
        page.get_by_role("button", name="Log in").click()
        page.goto(demo_url + "portal/dashboard?days=30")
        everything = page.locator(".stat-tiles strong").all_inner_texts()
        # The campaign's results, every one of them showing activity; then the consent
        # tiles, whose goal is zero texts after a revocation.
        tiles, sends_after = everything[:6], page.locator("#tile-sends-after").inner_text()
        assert len(everything) == 8 and "n/a" not in tiles and "$0.00" not in tiles
        assert all(t not in ("0", "0.0%") for t in tiles), tiles
        assert sends_after == "0"
        for chart in page.locator("svg.chart").all():
            heights = chart.evaluate("c => [...c.querySelectorAll('rect')].map("
                                     "r => r.getBBox().height + r.getBBox().width)")
            assert any(h > 0 for h in heights), chart.get_attribute("id")
            # Nothing drawn outside the picture (the "$2,000.00" axis labels were clipped).
            assert chart.evaluate("c => Math.min(...[...c.querySelectorAll('text')].map("
                                  "t => t.getBBox().x))") >= 0, chart.get_attribute("id")
        experiment = page.locator("#experiments")
        assert "Short or friendly" in experiment.inner_text()
        assert "Friendly" in experiment.inner_text()
        if os.environ.get("TEXTPAY_SCREENSHOTS") == "docs":
            folder = Path(__file__).resolve().parents[1] / "docs" / "screenshots"
            page.screenshot(path=str(folder / "dashboard-demo.png"), full_page=True)
