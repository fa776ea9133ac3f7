"""Run localstripe (the Stripe emulator) on loopback, for the demo, tests and bench.

localstripe's own CLI listens on every interface and rewrites its whole store
to /tmp/localstripe.pickle on every write (slow as data grows, and shared by
every instance on the machine). This launcher serves the same aiohttp app on
127.0.0.1 only, in memory only.

localstripe knows nothing of Stripe Connect (it ignores `Stripe-Account`). The
launcher adds `POST /v1/accounts` and `GET /v1/accounts/<id>` so that the
stand-in for Stripe's connect page can create a connected account's id here;
tests/support/stripe_router.py gives each such account a ledger of its own.

    python -m bot.payments.emulator --port 8420
"""

from __future__ import annotations

import argparse
import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path


def serve(port: int) -> None:
    """Serve localstripe on 127.0.0.1:port until interrupted (blocking)."""
    import logging

    from aiohttp import web
    from localstripe import resources
    from localstripe.server import app

    resources.Store.dump_to_disk = lambda self: None
    add_connected_accounts(app)
    logging.getLogger("aiohttp.access").setLevel(logging.WARNING)
    web.run_app(app, host="127.0.0.1", port=port, print=None, access_log=None)


def new_account(account_id: str | None = None) -> dict:
    """A connected account as Stripe describes one (the fields textpay reads)."""
    return {"id": account_id or f"acct_{secrets.token_hex(8)}", "object": "account",
            "type": "standard", "charges_enabled": True, "details_submitted": True}


def add_connected_accounts(app: object) -> None:
    """Teach a localstripe app to create and show connected accounts (ids only)."""
    from aiohttp import web

    accounts: dict[str, dict] = {}

    async def create(_request: web.Request) -> web.Response:
        account = new_account()
        accounts[account["id"]] = account
        return web.json_response(account)

    async def retrieve(request: web.Request) -> web.Response:
        account = accounts.get(request.match_info["id"])
        if account is None:
            return web.json_response({"error": {"type": "invalid_request_error",
                                                "code": "resource_missing",
                                                "message": "No such account"}}, status=404)
        return web.json_response(account)

    app.router.add_post("/v1/accounts", create)
    app.router.add_get("/v1/accounts/{id}", retrieve)


def free_port() -> int:
    """A TCP port nothing on loopback listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class LocalStripe:
    """A localstripe child process on 127.0.0.1 with fresh, in-memory state."""

    def __init__(self, port: int | None = None, log_path: Path | None = None) -> None:
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self._log_path = log_path
        self._process: subprocess.Popen | None = None

    def start(self, timeout: float = 20.0) -> LocalStripe:
        """Start the emulator and wait until it answers."""
        log = open(self._log_path, "ab") if self._log_path else subprocess.DEVNULL  # noqa: SIM115
        self._process = subprocess.Popen(  # noqa: S603 - our own interpreter and module
            [sys.executable, "-m", "bot.payments.emulator", "--port", str(self.port)],
            stdout=log,
            stderr=log,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                raise RuntimeError(f"localstripe exited at start (code {self._process.returncode})")
            if self._answers():
                return self
            time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"localstripe did not answer on {self.url} within {timeout:.0f}s")

    def _answers(self) -> bool:
        try:
            # Any HTTP answer (even 401 without a key) means it is up.
            urllib.request.urlopen(f"{self.url}/v1/customers", timeout=0.5)  # noqa: S310
        except urllib.error.HTTPError:
            return True
        except OSError:
            return False
        return True

    def reset(self) -> None:
        """Forget every customer, card and PaymentIntent."""
        request = urllib.request.Request(f"{self.url}/_config/data", method="DELETE")  # noqa: S310
        urllib.request.urlopen(request, timeout=5).close()  # noqa: S310 - our loopback URL

    def register_webhook(self, name: str, url: str, secret: str) -> None:
        """Have localstripe POST its events to `url`, signed with `secret`."""
        data = urllib.parse.urlencode({"url": url, "secret": secret}).encode()
        request = urllib.request.Request(f"{self.url}/_config/webhooks/{name}", data=data)  # noqa: S310
        urllib.request.urlopen(request, timeout=5).close()  # noqa: S310 - our loopback URL

    def stop(self) -> None:
        """Stop the child process."""
        if self._process and self._process.poll() is None:
            self._process.terminate()
            try:
                self._process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self._process.kill()
        self._process = None

    def __enter__(self) -> LocalStripe:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def main() -> None:
    """Command-line entry: serve on the given port."""
    parser = argparse.ArgumentParser(description="localstripe on 127.0.0.1, in memory")
    parser.add_argument("--port", type=int, default=8420)
    serve(parser.parse_args().port)


if __name__ == "__main__":
    main()
