"""A recording fake of Twilio's Messages endpoint (the edge of the world: the phone network).

The official `twilio` client is pointed at it through TWILIO_API_BASE, so
everything up to the HTTP request is the real thing.
"""

from __future__ import annotations

import json
import threading
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs


class TwilioFake:
    """Records every message create; numbers in `fail_with` get that error code."""

    def __init__(self) -> None:
        self.sent: list[dict] = []
        self.fail_with: dict[str, int] = {}
        self._lock = threading.Lock()
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", 0))
                form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
                status, body = fake._create(self.path, form)
                payload = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def _create(self, path: str, form: dict) -> tuple[int, dict]:
        if not path.endswith("/Messages.json"):
            return 404, {"code": 20404, "message": "not found", "status": 404}
        to = form.get("To", "")
        if to in self.fail_with:
            code = self.fail_with[to]
            return 400, {"code": code, "message": f"error {code}", "status": 400}
        sid = "SM" + uuid.uuid4().hex
        with self._lock:
            self.sent.append({**form, "sid": sid})
        return 201, {"sid": sid, "status": "queued", "to": to, "from": form.get("From"),
                     "body": form.get("Body"), "account_sid": path.split("/")[3]}

    def start(self) -> TwilioFake:
        """Serve on loopback in a thread."""
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving."""
        self._server.shutdown()

    def reset(self) -> None:
        """Forget what was sent and any planned failures."""
        with self._lock:
            self.sent.clear()
        self.fail_with.clear()

    def bodies_to(self, number: str) -> list[str]:
        """Bodies of every message sent to a number, in order."""
        return [m["Body"] for m in self.sent if m.get("To") == number]
