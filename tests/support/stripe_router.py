"""Stripe Connect for tests: one localstripe per Stripe account, behind a loopback router.

localstripe ignores the `Stripe-Account` header, so one emulator would keep a
single ledger for every account. The router listens on 127.0.0.1 and sends
each request to the emulator of the account its `Stripe-Account` header
names (no header: the deployment's own account), so every connected account
has a ledger of its own — real emulators, isolated ledgers — and a call that
forgets the header lands in the platform's emulator, where tests can see it.

- `POST /v1/accounts` without the header starts a new emulator and answers
  the new account (what the portal's stand-in connect page calls).
- A header naming no account is refused as Stripe refuses an account we may
  not act for (403, so the SDK raises PermissionError).
- `connect_webhooks(url, connect_secret)` makes each connected emulator's
  events reach `url` as Stripe's Connect endpoint sends them: with the
  event's `account` added and signed with the Connect endpoint's secret.
"""

from __future__ import annotations

import json
import threading
import urllib.parse
from collections.abc import Iterator
from contextlib import contextmanager

import requests
from werkzeug.serving import make_server
from werkzeug.wrappers import Request, Response

from bot.payments.emulator import LocalStripe, new_account
from tests.support.stripe_events import stripe_signature

# Headers the router does not pass on (hop-by-hop, or recomputed by `requests`).
DROPPED = {"host", "content-length", "connection", "transfer-encoding", "accept-encoding"}
INTERNAL_SECRET = "whsec_router_internal"  # localstripe -> router; the router re-signs


class StripeRouter:
    """A platform emulator, one emulator per connected account, and the router in front."""

    def __init__(self) -> None:
        self.platform = LocalStripe()
        self.accounts: dict[str, LocalStripe] = {}
        self._lock = threading.Lock()
        self._webhook: tuple[str, str] | None = None
        self._server = make_server("127.0.0.1", 0, self._wsgi, threaded=True)
        self.url = f"http://127.0.0.1:{self._server.server_port}"
        self._thread = threading.Thread(target=self._server.serve_forever,
                                        name="stripe-router", daemon=True)

    def start(self) -> StripeRouter:
        """Start the platform emulator and the router."""
        self.platform.start()
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop the router and every emulator behind it."""
        self._server.shutdown()
        self._thread.join(timeout=10)
        for emulator in [self.platform, *self.accounts.values()]:
            emulator.stop()

    def add_account(self) -> str:
        """A new connected account with an emulator (a ledger) of its own; its id."""
        account = new_account()["id"]
        emulator = LocalStripe().start()
        with self._lock:
            self.accounts[account] = emulator
            webhook = self._webhook
        if webhook:
            self._forward_events_of(account)
        return account

    def reset(self) -> None:
        """Forget every customer, card and PaymentIntent in every ledger (accounts stay)."""
        for emulator in [self.platform, *self.accounts.values()]:
            emulator.reset()

    def connect_webhooks(self, url: str, connect_secret: str) -> None:
        """Deliver every connected account's events to `url`, as Stripe Connect would."""
        with self._lock:
            self._webhook = (url, connect_secret)
            accounts = list(self.accounts)
        for account in accounts:
            self._forward_events_of(account)

    def stop_webhooks(self) -> None:
        """Stop delivering connected accounts' events."""
        with self._lock:
            self._webhook = None

    def _forward_events_of(self, account: str) -> None:
        self.accounts[account].register_webhook(
            "router", f"{self.url}/_events/{account}", INTERNAL_SECRET)

    def _wsgi(self, environ: dict, start_response: object) -> object:
        request = Request(environ)
        if request.path.startswith("/_events/"):
            response = self._deliver(request.path.removeprefix("/_events/"), request)
        elif request.method == "POST" and request.path == "/v1/accounts" \
                and not request.headers.get("Stripe-Account"):
            response = Response(json.dumps(new_account(self.add_account())),
                                content_type="application/json")
        else:
            response = self._forward(request)
        return response(environ, start_response)

    def _emulator_for(self, request: Request) -> LocalStripe | None:
        account = request.headers.get("Stripe-Account")
        if not account:
            return self.platform
        with self._lock:
            return self.accounts.get(account)

    def _forward(self, request: Request) -> Response:
        emulator = self._emulator_for(request)
        if emulator is None:
            body = {"error": {"type": "invalid_request_error", "code": "account_invalid",
                              "message": "The provided key does not have access to account "
                                         f"'{request.headers.get('Stripe-Account')}'"}}
            return Response(json.dumps(body), status=403, content_type="application/json")
        query = urllib.parse.urlencode(list(request.args.items(multi=True)))
        answer = requests.request(
            request.method, f"{emulator.url}{request.path}" + (f"?{query}" if query else ""),
            data=request.get_data(), timeout=30,
            headers={k: v for k, v in request.headers.items() if k.lower() not in DROPPED})
        return Response(answer.content, status=answer.status_code,
                        content_type=answer.headers.get("Content-Type", "application/json"))

    def _deliver(self, account: str, request: Request) -> Response:
        with self._lock:
            webhook = self._webhook
        if webhook is None:
            return Response(status=200)
        url, secret = webhook
        event = json.loads(request.get_data())
        event["account"] = account
        payload = json.dumps(event).encode()
        answer = requests.post(url, data=payload, timeout=30, headers={
            "Content-Type": "application/json",
            "Stripe-Signature": stripe_signature(payload, secret)})
        return Response(answer.content, status=answer.status_code)


@contextmanager
def stripe_router() -> Iterator[StripeRouter]:
    """A started StripeRouter, stopped (with all its emulators) afterwards."""
    router = StripeRouter().start()
    try:
        yield router
    finally:
        router.stop()
