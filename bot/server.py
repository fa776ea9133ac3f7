"""`textpay serve`: the web app under gunicorn, one model load per worker.

The console's live stream runs beside gunicorn in an asyncio process of its
own (bot/web/event_server.py, on the next port unless EVENTS_PORT says
otherwise), so open consoles hold none of the workers' threads.

Sizing (see README "Scaling"): WEB_CONCURRENCY worker processes (default 2,
one per core) each load the Rasa model once and serve WEB_THREADS requests
at a time (default 4: a turn mostly waits on the database, Redis or Stripe).
With REDIS_URL set, every worker shares conversation locks, trackers and
rate limits, so any worker can take any borrower's next text.
"""

from __future__ import annotations

import contextlib
import logging
import os
import socket
import subprocess
import sys
import time
from typing import Any

from flask import Flask
from gunicorn.app.base import BaseApplication
from gunicorn.errors import HaltServer
from gunicorn.glogging import Logger

from bot.logging_setup import json_handler
from bot.settings import ROOT

log = logging.getLogger(__name__)


class JsonLogger(Logger):
    """gunicorn's own messages (boot, worker exits) as JSON lines like everything else."""

    def setup(self, cfg: Any) -> None:
        """Replace gunicorn's text handlers with the scrubbing JSON handler."""
        super().setup(cfg)
        for logger in (self.error_log, self.access_log):
            logger.handlers[:] = [json_handler()]
            logger.propagate = False


class TextpayServer(BaseApplication):
    """Gunicorn, configured in code, serving webhook.py's `app`: workers build it
    after forking.

    The app (and the Rasa agent's event-loop thread) must be created in each
    worker, not in the master: threads do not survive fork.
    """

    def __init__(self, options: dict) -> None:
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        """Apply our options to gunicorn's settings."""
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self) -> Flask:
        """Called in each worker: import webhook.py, which builds the app there."""
        if str(ROOT) not in sys.path:
            sys.path.insert(0, str(ROOT))
        from webhook import app

        return app


def gunicorn_options(host: str, port: int) -> dict:
    """The gunicorn settings `textpay serve` runs with (environment-tunable)."""
    return {
        "bind": f"{host}:{port}",
        "workers": int(os.environ.get("WEB_CONCURRENCY", "2")),
        # gthread, but a request reaches a thread only once it has fully arrived:
        # a slow client never holds one (bot/web/buffered_worker.py).
        "worker_class": "bot.web.buffered_worker.BufferedThreadWorker",
        "threads": int(os.environ.get("WEB_THREADS", "4")),
        # Loading the model takes seconds; a turn with a slow Stripe call ~15 s at most.
        "timeout": 120,
        "graceful_timeout": 30,
        "keepalive": 5,
        "accesslog": None,
        "logger_class": JsonLogger,
        "preload_app": False,
        # Several servers may run on one machine (tests, the benchmark): no shared socket.
        "control_socket_disable": True,
    }


def start_event_server(host: str, port: int) -> subprocess.Popen | None:
    """The console's live stream in its own asyncio process (bot/web/event_server.py), so
    an open console holds no gunicorn thread; None without REDIS_URL (the web workers then
    serve the stream themselves, a thread per open console)."""
    from bot.settings import get_settings, set_settings

    settings = get_settings()
    if not settings.redis_url:
        log.warning("live console: REDIS_URL is not set, so the web workers stream live "
                    "events themselves (one thread per open console)")
        return None
    # The workers (forked after this) point browsers at it.
    set_settings(settings.with_overrides(events_port=port))
    os.environ["EVENTS_PORT"] = str(port)
    command = [sys.executable, "-m", "bot.cli", "events", "--host", host, "--port", str(port),
               "--stop-with-parent"]
    child = subprocess.Popen(command, cwd=ROOT)  # noqa: S603 - our own command, our arguments
    if not _listening(host, port, child):
        log.error("live console: the event server did not start on port %s; consoles will "
                  "not update live (see its log above)", port)
    return child


def _listening(host: str, port: int, child: subprocess.Popen, seconds: float = 15.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and child.poll() is None:
        # A server on every interface answers on loopback.
        local = "127.0.0.1" if host in ("0.0.0.0", "") else host  # noqa: S104
        with contextlib.suppress(OSError), socket.create_connection((local, port), timeout=1):
            return True
        time.sleep(0.1)
    return False


def serve(host: str, port: int, events_port: int | None = None) -> None:
    """Run gunicorn on host:port with WEB_CONCURRENCY workers (default 2), and the live
    console's event server on `events_port` (default: the next port)."""
    from bot.dialogue.agent import import_heavy_libraries
    from bot.logging_setup import configure_logging
    from bot.settings import get_settings

    # JSON from the first line on (importing Rasa prints warnings)...
    configure_logging(get_settings().log_level)
    events = start_event_server(host, events_port or get_settings().events_port or port + 1)
    # Once, in the master (no threads yet, so forking stays safe): every
    # worker then only loads the model itself.
    import_heavy_libraries()
    configure_logging(get_settings().log_level)  # ...and TensorFlow's import lowered the level
    try:
        TextpayServer(gunicorn_options(host, port)).run()
    except HaltServer as halt:
        # e.g. a worker could not load the model: say so in the log, not as a traceback.
        log.error("server stopped: %s", halt.reason)
        raise SystemExit(halt.exit_status) from None
    finally:
        if events is not None and events.poll() is None:
            events.terminate()
            with contextlib.suppress(subprocess.TimeoutExpired):
                events.wait(timeout=10)
