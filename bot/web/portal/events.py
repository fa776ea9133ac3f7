"""Server-Sent Events: a dealer's consoles hear about escalations and texts as they happen.

Under `textpay serve` the stream comes from the asyncio event server
(bot/web/event_server.py), where an open console holds no thread; the page
learns its address from `events_url`. The view below serves the same stream
from the Flask app itself, a thread per open tab: for the demo, the test
server and a deployment without Redis.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from urllib.parse import urlsplit

from flask import Flask, Response, g, request, stream_with_context, url_for
from flask_login import current_user

from bot.live_events import subscription
from bot.settings import get_settings
from bot.web.portal import bp

EVENTS_PATH = "/portal/events"
# A comment line this often keeps proxies from closing a quiet stream.
KEEPALIVE_SECONDS = 15.0
# Each stream served here holds a server thread; ending it now and then (the browser
# reconnects at once and refreshes what it shows) frees threads of forgotten tabs.
STREAM_SECONDS = 300.0


def events_url() -> str:
    """Where this page's browser opens its live stream: LIVE_EVENTS_URL when set (e.g.
    "/portal/events" behind a proxy that routes it to the event server), else the event
    server's port on the page's own host under `textpay serve`, else this app's view."""
    settings = get_settings()
    if settings.live_events_url:
        return settings.live_events_url
    if settings.events_port:
        host = urlsplit(f"//{request.host}").hostname or "localhost"
        host = f"[{host}]" if ":" in host else host  # an IPv6 literal
        return f"{request.scheme}://{host}:{settings.events_port}{EVENTS_PATH}"
    return url_for("portal.events")


def events_origin() -> str | None:
    """The stream's origin when it is not the page's own (for the page's CSP)."""
    parts = urlsplit(events_url())
    return f"{parts.scheme}://{parts.netloc}" if parts.netloc else None


def console_dealer(app: Flask, cookie: str | None) -> int | None:
    """The dealer whose live events a request with this Cookie header may hear, by the
    portal's own login checks (the ones every portal page runs); None when it may not."""
    with app.test_request_context(EVENTS_PATH, headers={"Cookie": cookie} if cookie else {}):
        if app.preprocess_request() is not None:  # the portal answered: log in first
            return None
        return current_user.dealer_id


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
    """The logged-in dealer's live events (text/event-stream), a thread per stream."""
    g.db.close()  # hold no database connection for the life of the stream
    response = Response(stream_with_context(_stream(current_user.dealer_id)),
                        mimetype="text/event-stream")
    response.headers["X-Accel-Buffering"] = "no"  # nginx: do not buffer the stream
    return response
