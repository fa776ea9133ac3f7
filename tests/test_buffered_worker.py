"""When a request has fully arrived (bot/web/buffered_worker.py decides it in gunicorn's loop)."""

from __future__ import annotations

import pytest

from bot.web.buffered_worker import MAX_BUFFERED, Arrival

HEAD = b"POST /twilio/sms HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\n"


@pytest.mark.parametrize(("data", "ready"), [
    (b"POST /twilio/sms HTTP/1.1\r\nHost: x\r\n", False),  # headers still coming
    (HEAD, False),
    (HEAD + b"Body=p", False),
    (HEAD + b"Body=pay50", True),
    (b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n", True),
    (b"POST / HTTP/1.1\r\ncontent-length: %d\r\n\r\n" % (MAX_BUFFERED + 1), True),  # 413
    (b"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nBody\r\n", False),
    (b"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nBody\r\n0\r\n\r\n", True),
    (b"POST / HTTP/1.1\r\nExpect: 100-continue\r\nContent-Length: 9\r\n\r\n", True),
    (b"X" * (64 * 1024 + 1), True),  # no end of headers in sight: the parser refuses it
])
def test_a_request_goes_to_a_thread_only_once_complete(data, ready):
    assert Arrival(deadline=0, data=bytearray(data)).ready() is ready
