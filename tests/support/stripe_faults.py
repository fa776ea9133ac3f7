"""A fault-injecting HTTP proxy between the app (STRIPE_API_BASE) and localstripe.

It forwards every request, and for charges (POST /v1/payment_intents) can
instead misbehave the ways a network and an API do:

- `TIMEOUT`: the request reaches Stripe (the charge is made) but the answer
  is held back longer than the client waits, for every attempt;
- `ERROR_500`: Stripe's front end answers 500 without charging, for the next
  `times` attempts;

It also keeps Stripe's idempotency promise, which localstripe does not
(DESIGN.md): a POST whose Idempotency-Key was seen before gets the first
answer again instead of being executed twice. Every attempt is recorded.
"""

from __future__ import annotations

import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

PASS, TIMEOUT, ERROR_500 = "pass", "timeout", "error_500"
CHARGE_PATH = "/v1/payment_intents"


@dataclass
class Attempt:
    """One request the app sent to "Stripe"."""

    method: str
    path: str
    idempotency_key: str | None
    what_happened: str  # forwarded | replayed | timed_out | error_500


class StripeFaults:
    """The proxy; set `mode` (and `times` for ERROR_500) before the charge."""

    def __init__(self, upstream: str, hold_seconds: float = 3.0) -> None:
        self.upstream = upstream.rstrip("/")
        self.hold_seconds = hold_seconds
        self.mode, self.times = PASS, 0
        self.attempts: list[Attempt] = []
        self._answers: dict[str, tuple[int, bytes]] = {}
        self._lock = threading.Lock()
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def do_GET(self) -> None:
                proxy._handle(self)

            def do_POST(self) -> None:
                proxy._handle(self)

            def do_DELETE(self) -> None:
                proxy._handle(self)

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def start(self) -> StripeFaults:
        """Serve on loopback in a thread."""
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving."""
        self._server.shutdown()

    def charge_attempts(self) -> list[Attempt]:
        """The attempts to create a PaymentIntent, in order."""
        return [a for a in self.attempts if a.method == "POST" and a.path == CHARGE_PATH]

    def _record(self, handler: BaseHTTPRequestHandler, key: str | None, what: str) -> None:
        with self._lock:
            self.attempts.append(Attempt(handler.command, handler.path.split("?")[0], key, what))

    def _forward(self, handler: BaseHTTPRequestHandler, body: bytes) -> tuple[int, bytes]:
        headers = {k: v for k, v in handler.headers.items()
                   if k.lower() not in ("host", "content-length", "connection")}
        request = urllib.request.Request(self.upstream + handler.path, data=body or None,
                                         headers=headers, method=handler.command)
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return response.status, response.read()
        except urllib.error.HTTPError as error:
            return error.code, error.read()

    def _handle(self, handler: BaseHTTPRequestHandler) -> None:
        body = handler.rfile.read(int(handler.headers.get("Content-Length") or 0))
        key = handler.headers.get("Idempotency-Key")
        is_charge = handler.command == "POST" and handler.path.split("?")[0] == CHARGE_PATH
        if is_charge and self.mode == ERROR_500 and self.times > 0:
            self.times -= 1
            self._record(handler, key, "error_500")
            self._answer(handler, 500, b'{"error": {"type": "api_error", '
                                       b'"message": "An unknown error occurred"}}')
            return
        if handler.command == "POST" and key and key in self._answers:
            status, payload = self._answers[key]
            what = "replayed"
        else:
            status, payload = self._forward(handler, body)
            if handler.command == "POST" and key:
                self._answers[key] = (status, payload)
            what = "forwarded"
        if is_charge and self.mode == TIMEOUT:
            self._record(handler, key, "timed_out")
            time.sleep(self.hold_seconds)  # longer than the client waits
        else:
            self._record(handler, key, what)
        self._answer(handler, status, payload)

    @staticmethod
    def _answer(handler: BaseHTTPRequestHandler, status: int, payload: bytes) -> None:
        try:
            handler.send_response(status)
            handler.send_header("Content-Type", "application/json")
            handler.send_header("Content-Length", str(len(payload)))
            handler.end_headers()
            handler.wfile.write(payload)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up waiting, which is the point of a timeout
