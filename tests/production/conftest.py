"""Fixtures for the production-grade tests: the app on a real loopback socket."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.support.live_server import live_server


@pytest.fixture
def live_url(app, client) -> Iterator[str]:
    """The session's app served on 127.0.0.1 (for callers that need a real URL)."""
    with live_server(app) as url:
        yield url
