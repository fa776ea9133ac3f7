"""A gunicorn worker that gives a request to a thread only once it has fully arrived.

gunicorn's gthread worker hands a connection to a worker thread as soon as
its first bytes arrive; the thread then reads the headers and the body with
blocking reads. Ten clients sending a `POST /twilio/sms` body a byte a second
held every thread, and real texts went unanswered past Twilio's 15 s.

This worker reads each request in the worker's event loop instead (non-
blocking, like a buffering proxy would): headers and a `Content-Length` body
are collected there, and only the complete request is handed to the thread
pool, already in the parser's buffer. A request not complete within
READ_SECONDS is answered 408 and closed; it never held a thread. In front of
this, production runs a buffering proxy too (nginx in docker-compose.yml,
request buffering at the Kubernetes ingress: see README "Deployment").

Bodies larger than MAX_BUFFERED (the app refuses them with 413 before
reading), chunked bodies that end with a trailer, `Expect: 100-continue` and
TLS terminated by gunicorn itself go to a thread the ordinary way.
"""

from __future__ import annotations

import contextlib
import re
import selectors
import time
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from gunicorn.workers.gthread import ThreadWorker

READ_SECONDS = 10.0
MAX_BUFFERED = 6 * 1024 * 1024  # a little over the app's MAX_CONTENT_LENGTH (5 MB)
MAX_HEAD = 64 * 1024
_CONTENT_LENGTH = re.compile(rb"\r\ncontent-length:[ \t]*(\d+)", re.IGNORECASE)
_CHUNKED = re.compile(rb"\r\ntransfer-encoding:[^\r\n]*chunked", re.IGNORECASE)
_EXPECT = re.compile(rb"\r\nexpect:[ \t]*100-continue", re.IGNORECASE)
_TIMED_OUT = (b"HTTP/1.1 408 Request Timeout\r\nConnection: close\r\n"
              b"Content-Length: 0\r\n\r\n")


@dataclass
class Arrival:
    """The bytes of one request received so far, and when it must be complete."""

    deadline: float
    data: bytearray = field(default_factory=bytearray)

    def ready(self) -> bool:
        """Whether the request is complete (or must go to a thread the ordinary way)."""
        head_end = self.data.find(b"\r\n\r\n")
        if head_end < 0:
            return len(self.data) > MAX_HEAD  # the parser will refuse it at once
        head = bytes(self.data[:head_end + 2])
        body = len(self.data) - head_end - 4
        if _EXPECT.search(head):
            return True
        if _CHUNKED.search(head):
            return self.data.endswith(b"0\r\n\r\n")
        length = _CONTENT_LENGTH.search(head)
        if length is None:
            return True
        expected = int(length.group(1))
        return expected > MAX_BUFFERED or body >= expected


class BufferedThreadWorker(ThreadWorker):
    """gthread, with each request read in full before a thread takes it."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        """As gthread; plus the requests still arriving."""
        super().__init__(*args, **kwargs)
        self.arrivals: dict[Any, Arrival] = {}

    def enqueue_req(self, conn: Any) -> None:
        """Read the request in the event loop first (see the module docstring)."""
        leftover = conn.parser is not None and conn.parser.unreader.buf.getvalue()
        if self.cfg.is_ssl or leftover:
            super().enqueue_req(conn)  # pipelined bytes are already read
            return
        conn.sock.setblocking(False)
        arrival = Arrival(deadline=time.monotonic() + READ_SECONDS)
        self.arrivals[conn] = arrival
        self.poller.register(conn.sock, selectors.EVENT_READ,
                             partial(self._on_bytes, conn, arrival))

    def _on_bytes(self, conn: Any, arrival: Arrival, sock: Any) -> None:
        try:
            data = sock.recv(65536)
        except BlockingIOError:
            return
        except OSError:
            data = b""
        if not data:  # the client went away
            self._drop(conn)
            return
        arrival.data += data
        if arrival.ready():
            self.poller.unregister(sock)
            del self.arrivals[conn]
            self._hand_over(conn, bytes(arrival.data))

    def _hand_over(self, conn: Any, data: bytes) -> None:
        conn.sock.setblocking(True)
        conn.init()  # the HTTP/1 parser, here rather than in the thread
        conn.parser.unreader.unread(data)
        conn.data_ready = True
        super().enqueue_req(conn)

    def _drop(self, conn: Any, answer: bytes = b"") -> None:
        self.arrivals.pop(conn, None)
        with contextlib.suppress(KeyError, ValueError):
            self.poller.unregister(conn.sock)
        if answer:
            with contextlib.suppress(OSError):  # best effort: the client may be gone
                conn.sock.send(answer)
        self.nr_conns -= 1
        conn.close()

    def murder_pending(self) -> None:
        """gthread's own expiry, and requests that did not arrive in time: 408, closed."""
        super().murder_pending()
        now = time.monotonic()
        for conn in [c for c, a in self.arrivals.items() if a.deadline <= now]:
            self.log.warning("request not received within %ss: closed", READ_SECONDS)
            self._drop(conn, _TIMED_OUT)
