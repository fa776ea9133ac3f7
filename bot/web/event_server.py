"""The console's live stream (Server-Sent Events at /portal/events), served without a
thread per open tab.

Why a server of its own: the web app runs under gunicorn's threaded workers
(2 workers x 4 threads by default), where a stream holds a thread for as long
as the tab is open; 8 open consoles would leave no thread for Twilio's
webhooks. Here one asyncio loop holds every stream: an open console costs a
socket, not a thread, and one Redis pattern subscription per process feeds
them all (bot/live_events.py publishes there once a change
commits). `textpay serve` starts it beside gunicorn (its own process, so a busy
console never competes with a webhook for a worker's GIL, and at a lower CPU
priority, so a busy pod serves the webhook first); `textpay events` runs it
alone. It needs REDIS_URL: that is how events cross processes.

Who may listen is decided by the portal itself: each new stream's request
(its session cookie) goes through the portal's own login checks in the Flask
app (bot/web/portal/events.py `console_dealer`), in a worker thread, once.
A stream ends after STREAM_SECONDS; the browser reconnects at once, which
checks the session again (a logged-out or removed user stops hearing events).

The browser reaches it at the URL the portal gives (`LIVE_EVENTS_URL`, or this
server's port on the page's host): another origin, so it answers CORS for the
portal's own host only, with credentials (the session cookie is same-site).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from aiohttp import web
from flask import Flask

from bot.live_events import Event, channel, from_wire
from bot.web.portal.events import EVENTS_PATH, KEEPALIVE_SECONDS, console_dealer

log = logging.getLogger(__name__)

STREAM_SECONDS = 900.0
RECONNECT_SECONDS = 1.0
# A console whose unsent events pass this is not reading: its stream is ended.
MAX_UNSENT_BYTES = 256 * 1024
NICENESS = 10  # a lower CPU priority than the web workers (see serve_events)
_FANOUT = web.AppKey("fanout", object)
_FLASK = web.AppKey("flask", Flask)

KEEPALIVE = b": keep-alive\n\n"  # a comment line: proxies keep a quiet stream open


def _chunk(data: bytes) -> bytes:
    """`data` as one HTTP/1.1 chunk (a stream's body is chunked: its length is unknown)."""
    return b"%x\r\n%b\r\n" % (len(data), data)


@dataclass(eq=False)
class Listener:
    """One open stream: its connection, and whether it has ended."""

    transport: asyncio.BaseTransport
    ended: asyncio.Event = field(default_factory=asyncio.Event)

    def send(self, chunk: bytes) -> None:
        """Write a chunk now; a stream gone or not reading is ended instead."""
        if self.transport.is_closing() or \
                self.transport.get_write_buffer_size() > MAX_UNSENT_BYTES:
            self.ended.set()
        else:
            self.transport.write(chunk)


class Fanout:
    """One Redis pattern subscription for the whole process, fanned out to every open
    stream of the event's dealer. An event is encoded once, however many streams hear it,
    and written to each stream's connection at once from here: no task, queue or timer
    per stream (an open console costs a socket). Keep-alives come from one task."""

    def __init__(self, redis_url: str) -> None:
        self.redis_url = redis_url
        self.listeners: dict[int, set[Listener]] = {}
        self.subscribed = asyncio.Event()

    def count(self) -> int:
        """How many streams are open."""
        return sum(map(len, self.listeners.values()))

    async def keep_alive(self) -> None:
        """Every KEEPALIVE_SECONDS, a comment line on every stream."""
        chunk = _chunk(KEEPALIVE)
        while True:
            await asyncio.sleep(KEEPALIVE_SECONDS)
            for listeners in list(self.listeners.values()):
                for listener in list(listeners):
                    listener.send(chunk)

    @contextlib.contextmanager
    def listening(self, dealer_id: int, listener: Listener) -> Iterator[Listener]:
        """The listener hears the dealer's events while the `with` block lasts."""
        self.listeners.setdefault(dealer_id, set()).add(listener)
        try:
            yield listener
        finally:
            self.listeners.get(dealer_id, set()).discard(listener)

    def deliver(self, events: list[Event]) -> None:
        """Write one dealer's events, encoded once, to every stream of that dealer."""
        listeners = list(self.listeners.get(events[0].dealer_id, ())) if events else []
        if listeners:
            chunk = _chunk(b"".join(map(_sse, events)))
            for listener in listeners:
                listener.send(chunk)

    async def run(self) -> None:
        """Read Redis until cancelled, subscribing again after a lost connection."""
        import redis.asyncio as aioredis

        pattern = channel(self.redis_url, "*")
        while True:
            client = aioredis.from_url(self.redis_url)
            try:
                async with client.pubsub() as pubsub:
                    await pubsub.psubscribe(pattern)
                    self.subscribed.set()
                    async for message in pubsub.listen():
                        if message.get("type") == "pmessage":
                            self.deliver(from_wire(message["data"]))
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("live events: lost Redis; subscribing again")
                self.subscribed.clear()
                await asyncio.sleep(RECONNECT_SECONDS)
            finally:
                await client.close()


def _cors(request: web.Request) -> dict[str, str]:
    """CORS for the portal's own pages: the same host (the portal's port, not ours), or
    PUBLIC_URL's origin. Anything else gets no CORS headers, so its page cannot read."""
    from bot.settings import get_settings

    origin = request.headers.get("Origin")
    if not origin:
        return {}
    public = get_settings().public_url
    # request.host rather than request.url: this aiohttp cannot build a URL from a host
    # with a port under the yarl installed beside it.
    own_host = urlsplit(f"//{request.host}").hostname
    allowed = urlsplit(origin).hostname == own_host or (
        public is not None and origin == "{0.scheme}://{0.netloc}".format(urlsplit(public)))
    if not allowed:
        return {}
    return {"Access-Control-Allow-Origin": origin, "Access-Control-Allow-Credentials": "true",
            "Vary": "Origin"}


async def _authorized_dealer(request: web.Request) -> int | None:
    """The portal's answer for this request's session, asked in a worker thread (it reads
    the database) so the loop keeps serving the other streams."""
    cookie = request.headers.get("Cookie")
    return await asyncio.get_running_loop().run_in_executor(
        None, console_dealer, request.app[_FLASK], cookie)


def _sse(event: Event) -> bytes:
    return f"event: {event.kind}\ndata: {json.dumps(event.data)}\n\n".encode()


async def stream(request: web.Request) -> web.StreamResponse:
    """One console's stream of its dealer's events (401 without a portal session)."""
    cors = _cors(request)
    dealer_id = await _authorized_dealer(request)
    if dealer_id is None:
        return web.Response(status=401, text="log in to the portal first", headers=cors)
    response = web.StreamResponse(headers={
        "Content-Type": "text/event-stream", "Cache-Control": "no-store",
        "X-Accel-Buffering": "no", **cors})
    await response.prepare(request)
    # Browsers reconnect after this many ms; they refresh what they show on (re)connect.
    await response.write(b"retry: 3000\n: connected\n\n")
    listener = Listener(request.transport)
    with request.app[_FANOUT].listening(dealer_id, listener), \
            contextlib.suppress(asyncio.TimeoutError):
        await asyncio.wait_for(listener.ended.wait(), STREAM_SECONDS)
    if not request.transport.is_closing():
        await response.write_eof()  # the stream's time is up: the browser reconnects
    return response


async def ready(request: web.Request) -> web.Response:
    """200 once the Redis subscription is up (what `textpay serve` waits for)."""
    fanout = request.app[_FANOUT]
    return web.Response(status=200 if fanout.subscribed.is_set() else 503,
                        text=f"{fanout.count()} streams\n")


async def _fan_out_while_serving(app: web.Application) -> object:
    fanout = app[_FANOUT]
    tasks = [asyncio.create_task(fanout.run()), asyncio.create_task(fanout.keep_alive())]
    yield
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)


async def _stop_with_parent(app: web.Application) -> object:
    """Started by `textpay serve`: end when it does, even if it could not say so."""
    parent = os.getppid()

    async def watch() -> None:
        while os.getppid() == parent:
            await asyncio.sleep(1.0)
        log.info("live events: the server that started us is gone; stopping")
        raise web.GracefulExit()

    task = asyncio.create_task(watch())
    yield
    task.cancel()


def build_app(flask_app: Flask, redis_url: str, *, stop_with_parent: bool = False
              ) -> web.Application:
    """The event server: GET /portal/events (the stream) and GET /readyz."""
    app = web.Application()
    app[_FANOUT] = Fanout(redis_url)
    app[_FLASK] = flask_app
    app.router.add_get(EVENTS_PATH, stream)
    app.router.add_get("/readyz", ready)
    app.cleanup_ctx.append(_fan_out_while_serving)
    if stop_with_parent:
        app.cleanup_ctx.append(_stop_with_parent)
    return app


def serve_events(host: str, port: int, *, stop_with_parent: bool = False) -> None:
    """Run the event server until stopped (REDIS_URL must be set)."""
    from bot.settings import get_settings
    from bot.web import create_app

    settings = get_settings()
    if not settings.redis_url:
        raise SystemExit("the live event server needs REDIS_URL (events cross processes there)")
    flask_app = create_app(settings, load_agent=False)
    # Beside the web workers, the webhook comes first: when the CPUs are busy, a console
    # update waits a few milliseconds rather than a text the borrower is waiting for.
    os.nice(NICENESS)
    log.info("live events: serving %s on %s:%s", EVENTS_PATH, host, port)
    web.run_app(build_app(flask_app, settings.redis_url, stop_with_parent=stop_with_parent),
                host=host, port=port, print=None, access_log=None)
