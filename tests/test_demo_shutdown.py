"""`textpay demo` under a process manager: SIGTERM stops it as Ctrl-C does."""

from __future__ import annotations

import os
import signal
import socket
import time

import pytest

from tests.support.processes import VENV_BIN, ChildServer

pytestmark = pytest.mark.slow


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    status = f"/proc/{pid}/status"
    return not (os.path.exists(status) and "State:\tZ" in open(status).read())


def _port_free(port: int) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) != 0


def test_sigterm_stops_the_demo_and_its_stripe_emulator_and_frees_the_port(tmp_path):
    demo = ChildServer([str(VENV_BIN / "textpay"), "demo", "--port", "{port}",
                        "--instance", str(tmp_path)], env={}, log_path=tmp_path / "demo.log")
    demo.start(timeout=120)
    try:
        demo_pid, *children = demo.pids()
        assert children, "the demo runs localstripe as its child"
        os.kill(demo_pid, signal.SIGTERM)  # the demo alone, as `kill PID` does
        demo.process.wait(timeout=20)
        deadline = time.monotonic() + 10
        while any(_alive(pid) for pid in children) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not any(_alive(pid) for pid in children), "localstripe outlived the demo"
        assert _port_free(demo.port)
        assert "textpay demo stopped." in (tmp_path / "demo.log").read_text()
    finally:
        demo.stop()
