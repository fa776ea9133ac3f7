"""Fixtures for the production-grade tests: the app on a real loopback socket."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from werkzeug.serving import make_server


@pytest.fixture
def live_url(app, client) -> Iterator[str]:
    """The session's app served on 127.0.0.1 (for callers that need a real URL)."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
