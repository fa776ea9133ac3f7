"""Server-Sent Events: a dealer's consoles hear about escalations and texts as they happen."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator

from flask import Response, g, stream_with_context
from flask_login import current_user

from bot.live_events import subscription
from bot.web.portal import bp

# A comment line this often keeps proxies from closing a quiet stream.
KEEPALIVE_SECONDS = 15.0
# Each open stream holds a server thread; ending it now and then (the browser
# reconnects at once and refreshes what it shows) frees threads of forgotten tabs.
STREAM_SECONDS = 300.0


def _stream(dealer_id: int) -> Iterator[str]:
    with subscription(dealer_id) as listener:
        # Browsers reconnect after this many ms; they refresh what they show on (re)connect.
        yield "retry: 3000\n: connected\n\n"
        ends = time.monotonic() + STREAM_SECONDS
        while time.monotonic() < ends:
            event = listener.get(timeout=KEEPALIVE_SECONDS)
            if event is None:
                yield ": keep-alive\n\n"
                continue
            yield f"event: {event.kind}\ndata: {json.dumps(event.data)}\n\n"


@bp.get("/events")
def events() -> Response:
    """The logged-in dealer's live events (text/event-stream)."""
    g.db.close()  # hold no database connection for the life of the stream
    response = Response(stream_with_context(_stream(current_user.dealer_id)),
                        mimetype="text/event-stream")
    response.headers["X-Accel-Buffering"] = "no"  # nginx: do not buffer the stream
    return response
