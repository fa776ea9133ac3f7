"""Child servers on loopback (gunicorn, `rasa run`, the action server), started and
stopped by the tests and the benchmark, each with its own log file; and what a test
needs to run `textpay serve` as production does: its own database, seeded from the
test process, and the environment that points it at the test's fakes."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

from bot import db
from bot.dealers import create_dealer
from bot.migrate import upgrade
from bot.models import Account, Borrower
from bot.payments.emulator import free_port
from bot.settings import ROOT, Settings, set_settings
from tests.support.clock import today

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

    def __enter__(self) -> ChildServer:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

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


@contextmanager
def child_database(settings: Settings, folder: Path) -> Iterator[Settings]:
    """A new, migrated SQLite database in `folder` for a child server; yields the test
    settings pointed at it. Inside the block this process's settings and `db` use it too
    (to seed it); afterwards they are back on the test's own database."""
    url = f"sqlite:///{folder / 'textpay.db'}"
    upgrade(url)
    child = settings.with_overrides(database_url=url)
    set_settings(child)
    db.configure(url)
    try:
        yield child
    finally:
        set_settings(settings)
        db.configure(settings.database_url)


def dealer_with_a_borrower(name: str, number: str, borrower_name: str, phone: str) -> int:
    """A dealer texting from `number`, with one English-speaking borrower who owes $250.00
    in three days ($1,200.00 in all); the dealer's id."""
    with db.session_scope() as session:
        dealer, _ = create_dealer(session, name=name, number=number)
        borrower = Borrower(dealer_id=dealer.id, name=borrower_name, phone=phone,
                            language="en")
        session.add(borrower)
        session.flush()
        session.add(Account(dealer_id=dealer.id, borrower_id=borrower.id,
                            reference=f"LN-{borrower.id}", balance_cents=120000,
                            amount_due_cents=25000, due_date=today() + timedelta(days=3)))
        return dealer.id


def textpay_serve(settings: Settings, log_path: Path, *args: str, **env: str) -> ChildServer:
    """`textpay serve` (not started) on `settings`' database, Stripe emulator, Twilio fake
    and model, sized as in production (2 workers x 4 threads), with no limit on texts per
    minute and warnings only in its log. `args` go on its command line; `env` adds
    variables or overrides these."""
    from_settings = {
        "DATABASE_URL": settings.database_url, "STRIPE_SECRET_KEY": settings.stripe_secret_key,
        "STRIPE_API_BASE": settings.stripe_api_base,
        "TWILIO_ACCOUNT_SID": settings.twilio_account_sid,
        "TWILIO_AUTH_TOKEN": settings.twilio_auth_token,
        "TWILIO_API_BASE": settings.twilio_api_base, "PUBLIC_URL": settings.public_url,
        "SECRET_KEY": settings.secret_key, "TEXTPAY_MODEL": str(settings.model_path)}
    return ChildServer(
        [str(VENV_BIN / "textpay"), "serve", "--port", "{port}", *args], log_path=log_path,
        env={**{name: value for name, value in from_settings.items() if value is not None},
             "WEB_CONCURRENCY": "2", "WEB_THREADS": "4",
             "INBOUND_TEXTS_PER_MINUTE": "100000", "LOG_LEVEL": "WARNING", **env})
