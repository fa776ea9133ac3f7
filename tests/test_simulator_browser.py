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
