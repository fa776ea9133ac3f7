"""Child servers on loopback (gunicorn, `rasa run`, the action server), started and
stopped by the tests and the benchmark, each with its own log file."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

from bot.payments.emulator import free_port
from bot.settings import ROOT

VENV_BIN = ROOT / ".venv" / "bin"


class ChildServer:
    """A command serving HTTP on 127.0.0.1:`port`; `ready_path` answers 200 when ready."""

    def __init__(self, command: list[str], *, env: dict[str, str], log_path: Path,
                 port: int | None = None, ready_path: str = "/readyz") -> None:
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.command = [part.replace("{port}", str(self.port)) for part in command]
        self.env, self.log_path, self.ready_path = env, log_path, ready_path
        self.process: subprocess.Popen | None = None
        self.started_at = 0.0

    def start(self, timeout: float = 180.0) -> float:
        """Start and wait until ready; returns the seconds it took."""
        self.started_at = time.monotonic()
        log = open(self.log_path, "ab")  # noqa: SIM115 - the child owns it until stop()
        self.process = subprocess.Popen(
            self.command, env={**os.environ, **self.env}, stdout=log, stderr=log,
            cwd=ROOT, start_new_session=True)
        log.close()
        while time.monotonic() - self.started_at < timeout:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.command[0]} exited ({self.process.returncode}); "
                                   f"see {self.log_path}")
            if self.answers(self.ready_path):
                return time.monotonic() - self.started_at
            time.sleep(0.05)
        self.stop()
        raise RuntimeError(f"{self.command} not ready after {timeout:.0f}s; see {self.log_path}")

    def answers(self, path: str) -> bool:
        """Whether GET `path` answers 2xx right now."""
        try:
            with urllib.request.urlopen(self.url + path, timeout=2) as response:
                return 200 <= response.status < 300
        except (urllib.error.URLError, OSError):
            return False

    def pids(self) -> list[int]:
        """The server process and its direct children (gunicorn's workers)."""
        if self.process is None:
            return []
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        found = children.read_text().split() if children.exists() else []
        return [self.process.pid, *map(int, found)]

    def log_lines(self) -> list[str]:
        """Everything the server wrote so far."""
        return self.log_path.read_text(errors="replace").splitlines()

    def json_log(self) -> list[dict]:
        """The log lines that are JSON objects."""
        records = []
        for line in self.log_lines():
            try:
                records.append(json.loads(line))
            except ValueError:
                continue
        return records

    def stop(self) -> None:
        """Stop the whole process group we started (gunicorn and its workers).

        SIGINT: gunicorn's quick shutdown (SIGTERM would let keep-alive
        connections linger for its graceful timeout).
        """
        if self.process is None:
            return
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGINT)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        self.process = None


def rss_mb(pid: int) -> float:
    """Resident memory of a process, in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0
