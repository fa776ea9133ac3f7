"""The load driver: runs in its own process and texts a server as many borrowers at once.

    python -m bench.load < spec.json > result.json

Each simulated sender is one thread with its own keep-alive connection. It
sends its script's texts one after another, waiting for each answer as a
borrower waits for the reply, so N senders keep at most N texts in flight.
textpay gets Twilio's signed form posts on /twilio/sms; plain Rasa gets the
same texts on its REST channel (/webhooks/rest/webhook), the same sender ids.

spec: {"target": "textpay" | "rasa", "url": ..., "senders": [[phone, id], ...],
       "script": [text, ...], "concurrency": N,
       "seconds": S, "warmup": W}            (timed), or
       "turns": T                            (one sender, T texts, every latency kept)
result: {"latencies_ms": [...], "seconds": S, "answered": n, "unanswered": n, "errors": n}
"""

from __future__ import annotations

import http.client
import json
import sys
import threading
import time
import uuid
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from urllib.parse import urlencode, urlparse

from twilio.request_validator import RequestValidator

from bench.stack import AUTH_TOKEN, DEALER_NUMBER, PUBLIC_URL

SMS_PATH = "/twilio/sms"
REST_PATH = "/webhooks/rest/webhook"


@dataclass
class Tally:
    """What one sender saw (kept per thread; summed at the end)."""

    latencies_ms: list[float] = field(default_factory=list)
    answered: int = 0
    unanswered: int = 0
    errors: int = 0


class Client:
    """One sender's connection and request format."""

    def __init__(self, target: str, url: str, phone: str, sender_id: int) -> None:
        parsed = urlparse(url)
        self.connection = http.client.HTTPConnection(parsed.hostname, parsed.port, timeout=120)
        self.target, self.phone, self.sender_id = target, phone, sender_id
        self.validator = RequestValidator(AUTH_TOKEN)

    def _request(self, text: str) -> tuple[str, bytes, dict[str, str]]:
        if self.target == "rasa":
            body = json.dumps({"sender": str(self.sender_id), "message": text}).encode()
            return REST_PATH, body, {"Content-Type": "application/json"}
        form = {"From": self.phone, "To": DEALER_NUMBER, "Body": text,
                "MessageSid": "SM" + uuid.uuid4().hex, "AccountSid": "ACbench", "NumMedia": "0"}
        signature = self.validator.compute_signature(PUBLIC_URL + SMS_PATH, form)
        return SMS_PATH, urlencode(form).encode(), {
            "Content-Type": "application/x-www-form-urlencoded", "X-Twilio-Signature": signature}

    def _replies(self, payload: bytes) -> int:
        if self.target == "rasa":
            return sum(1 for m in json.loads(payload) if m.get("text"))
        return sum(1 for _ in ET.fromstring(payload).iter("Message"))  # noqa: S314 - our TwiML

    def send(self, text: str, tally: Tally, keep: bool) -> None:
        """One text and its answer; the latency is kept when `keep`."""
        path, body, headers = self._request(text)
        started = time.perf_counter()
        try:
            self.connection.request("POST", path, body=body, headers=headers)
            response = self.connection.getresponse()
            payload = response.read()
        except (OSError, http.client.HTTPException):
            tally.errors += 1
            self.connection.close()  # reconnects on the next request
            return
        elapsed = (time.perf_counter() - started) * 1000
        if response.status != 200:
            tally.errors += 1
            return
        if keep:
            tally.latencies_ms.append(elapsed)
            if self._replies(payload):
                tally.answered += 1
            else:
                tally.unanswered += 1


def _timed(spec: dict) -> dict:
    tallies = [Tally() for _ in range(spec["concurrency"])]
    warmup, seconds = spec["warmup"], spec["seconds"]
    begin = time.monotonic()
    measure_from, stop_at = begin + warmup, begin + warmup + seconds

    def sender(index: int) -> None:
        phone, sender_id = spec["senders"][index]
        client = Client(spec["target"], spec["url"], phone, sender_id)
        script, step = spec["script"], index  # senders start at different points
        while time.monotonic() < stop_at:
            keep = time.monotonic() >= measure_from
            client.send(script[step % len(script)], tallies[index], keep)
            step += 1

    threads = [threading.Thread(target=sender, args=(i,)) for i in range(spec["concurrency"])]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return _summary(tallies, seconds)


def _conversation(spec: dict) -> dict:
    phone, sender_id = spec["senders"][0]
    client = Client(spec["target"], spec["url"], phone, sender_id)
    tally = Tally()
    started = time.monotonic()
    for turn in range(spec["turns"]):
        client.send(spec["script"][turn % len(spec["script"])], tally, keep=True)
    return _summary([tally], time.monotonic() - started)


def _summary(tallies: list[Tally], seconds: float) -> dict:
    return {
        "latencies_ms": [ms for t in tallies for ms in t.latencies_ms],
        "seconds": seconds,
        "answered": sum(t.answered for t in tallies),
        "unanswered": sum(t.unanswered for t in tallies),
        "errors": sum(t.errors for t in tallies),
    }


def main() -> None:
    """Read a spec on stdin, drive the server, print the result as JSON."""
    spec = json.load(sys.stdin)
    result = _conversation(spec) if "turns" in spec else _timed(spec)
    json.dump(result, sys.stdout)


if __name__ == "__main__":
    main()
