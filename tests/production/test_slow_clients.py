"""Slow clients cannot stop webhook replies (issue 13, item 7).

Ten connections sending a `POST /twilio/sms` body a byte a second used to hold
every gunicorn thread, leaving real texts unanswered for more than 20 s
(Twilio gives up at 15). Against `textpay serve` as a child process, with the
production sizing (2 workers x 4 threads): the p50 of ordinary signed
webhooks while ten such connections trickle must stay within 20 % of the p50
without them.
"""

from __future__ import annotations

import os
import socket
import statistics
import subprocess
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.payments.emulator import free_port
from bot.settings import ROOT, Settings
from tests.support.processes import (
    ChildServer,
    child_database,
    dealer_with_a_borrower,
    textpay_serve,
)
from tests.support.sms import DEALER_NUMBER, sms_form, twiml_messages
from tests.support.sms import signed_headers as sign

pytestmark = pytest.mark.slow

PHONE = "+15551230001"
TWILIO_PATIENCE = 15.0
SLOW_BODY = urllib.parse.urlencode(sms_form(PHONE, "pay 50 " * 20)).encode()


@pytest.fixture(scope="module")
def server(tmp_path_factory, settings: Settings) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("slow_clients")
    with child_database(settings, folder) as served_settings:
        dealer_with_a_borrower("Sunrise Auto", DEALER_NUMBER, "Dana Reyes", PHONE)
    with textpay_serve(served_settings, folder / "server.log") as child:
        yield child.url


def timed_text(url: str, body: str = "what's my balance") -> float:
    """Seconds until a signed webhook is answered (TWILIO_PATIENCE if it is not)."""
    form = sms_form(PHONE, body)
    request = urllib.request.Request(url + "/twilio/sms", headers=sign("/twilio/sms", form),
                                     data=urllib.parse.urlencode(form).encode())
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(request, timeout=TWILIO_PATIENCE) as response:
            assert response.status == 200 and twiml_messages(response.read())
    except (TimeoutError, urllib.error.URLError):
        return TWILIO_PATIENCE
    return time.perf_counter() - started


def trickle(url: str, stop: threading.Event) -> None:
    """A slow client: a whole header, then the body a byte a second, again when cut off."""
    port = int(url.rsplit(":", 1)[1])
    while not stop.is_set():
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=5) as conn:
                conn.sendall(b"POST /twilio/sms HTTP/1.1\r\nHost: textpay.test\r\n"
                             b"Content-Type: application/x-www-form-urlencoded\r\n"
                             b"X-Twilio-Signature: whatever\r\n"
                             b"Content-Length: %d\r\n\r\n" % len(SLOW_BODY))
                for byte in SLOW_BODY:
                    if stop.wait(1.0):
                        return
                    conn.sendall(bytes([byte]))
        except OSError:
            stop.wait(0.2)  # cut off (408): come back at once, as an attacker would


class SlowClients:
    """Ten slow clients, started and stopped around a block of measurements."""

    def __init__(self, url: str, count: int = 10) -> None:
        self.url, self.count = url, count

    def __enter__(self) -> SlowClients:
        self.stop = threading.Event()
        self.threads = [threading.Thread(target=trickle, args=(self.url, self.stop), daemon=True)
                        for _ in range(self.count)]
        for thread in self.threads:
            thread.start()
        time.sleep(0.3)  # every slow connection is open, its request begun
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        for thread in self.threads:
            thread.join(5)


def measure(url: str) -> tuple[list[float], list[float]]:
    """Webhook times without and with ten slow clients. Blocks of each alternate, so
    that the load other programs put on this machine falls on both alike; 256 of each,
    because that load makes single turns vary by tens of milliseconds."""
    for _ in range(10):
        timed_text(url)  # warm both workers
    normal, under_attack = [], []
    for _ in range(32):
        time.sleep(0.3)  # the same pause as before an attacked block
        normal += [timed_text(url) for _ in range(8)]
        with SlowClients(url):
            under_attack += [timed_text(url) for _ in range(8)]
    print(f"webhook p50 at {url}: {statistics.median(normal) * 1000:.1f} ms alone, "
          f"{statistics.median(under_attack) * 1000:.1f} ms with 10 slow bodies; max "
          f"{max(under_attack) * 1000:.1f} ms")
    return normal, under_attack


def test_ten_slow_bodies_do_not_slow_the_webhook(server):
    normal, under_attack = measure(server)
    alone, attacked = statistics.median(normal), statistics.median(under_attack)
    assert attacked <= alone * 1.2, (alone, attacked)


# The same through nginx, configured as docker-compose.yml runs it (deploy/nginx).

NGINX = Path("/usr/sbin/nginx")
TEMPLATE = ROOT / "deploy" / "nginx" / "default.conf.template"


def nginx_or_skip() -> Path:
    if not NGINX.exists():
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("nginx is missing (make test installs it; required under CI=true)")
        pytest.skip("nginx is not installed (make test installs it)")
    return NGINX


def proxy_config(folder: Path, upstream: str, port: int) -> Path:
    """deploy/nginx's template filled in as the official image does, inside a minimal
    main configuration of our own (paths in `folder`, in the foreground)."""
    host, _, web_port = upstream.rpartition(":")
    events = f"{host}:{int(web_port) + 1}"  # `textpay serve` puts its event server there
    site = TEMPLATE.read_text().replace("${TEXTPAY_UPSTREAM}", upstream)
    site = site.replace("${TEXTPAY_EVENTS_UPSTREAM}", events)
    site = site.replace("${PROXY_PORT}", f"127.0.0.1:{port}")
    (folder / "default.conf").write_text(site)
    main = folder / "nginx.conf"
    temp = " ".join(f"{kind}_temp_path {folder / kind};"
                    for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    main.write_text(f"daemon off; worker_processes 1; user root; pid {folder / 'nginx.pid'};\n"
                    f"error_log {folder / 'error.log'} warn;\n"
                    "events { worker_connections 1024; }\n"
                    f"http {{ access_log off; {temp} include {folder / 'default.conf'}; }}\n")
    return main


def test_the_compose_proxy_configuration_is_valid_nginx(tmp_path):
    nginx = nginx_or_skip()
    config = proxy_config(tmp_path, "127.0.0.1:8000", free_port())
    checked = subprocess.run([str(nginx), "-t", "-c", str(config)], capture_output=True,
                             text=True, check=False)
    assert checked.returncode == 0, checked.stderr


@pytest.fixture(scope="module")
def proxy(server, tmp_path_factory) -> Iterator[str]:
    nginx = nginx_or_skip()
    folder = tmp_path_factory.mktemp("nginx")
    port = free_port()
    config = proxy_config(folder, server.removeprefix("http://"), port)
    child = ChildServer([str(nginx), "-c", str(config)], env={}, port=port,
                        log_path=folder / "nginx.out")
    child.start(timeout=30)
    try:
        yield child.url
    finally:
        child.stop()


def test_through_the_proxy_ten_slow_bodies_leave_every_webhook_answered_at_once(proxy):
    """Through nginx the slow clients never reach the app at all. Measured here, the p50
    under attack was 0-50 % above the p50 without (18-27 ms against 26-31 ms, on a
    shared 2-core machine), so this checks what Twilio needs: every text answered
    well within its 15 s."""
    _, under_attack = measure(proxy)
    assert max(under_attack) < 1.0
