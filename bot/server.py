"""`textpay serve`: the web app under gunicorn, one model load per worker.

Sizing (see README "Scaling"): WEB_CONCURRENCY worker processes (default 2,
one per core) each load the Rasa model once and serve WEB_THREADS requests
at a time (default 4: a turn mostly waits on the database, Redis or Stripe).
With REDIS_URL set, every worker shares conversation locks, trackers and
rate limits, so any worker can take any borrower's next text.
"""

from __future__ import annotations

import logging
import os
import sys
from typing import Any

from flask import Flask
from gunicorn.app.base import BaseApplication
from gunicorn.errors import HaltServer
from gunicorn.glogging import Logger

from bot.logging_setup import json_handler
from bot.settings import ROOT


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


def serve(host: str, port: int) -> None:
    """Run gunicorn on host:port with WEB_CONCURRENCY workers (default 2)."""
    from bot.dialogue.agent import import_heavy_libraries
    from bot.logging_setup import configure_logging
    from bot.settings import get_settings

    # JSON from the first line on (importing Rasa prints warnings)...
    configure_logging(get_settings().log_level)
    # Once, in the master (no threads yet, so forking stays safe): every
    # worker then only loads the model itself.
    import_heavy_libraries()
    configure_logging(get_settings().log_level)  # ...and TensorFlow's import lowered the level
    try:
        TextpayServer(gunicorn_options(host, port)).run()
    except HaltServer as halt:
        # e.g. a worker could not load the model: say so in the log, not as a traceback.
        logging.getLogger(__name__).error("server stopped: %s", halt.reason)
        raise SystemExit(halt.exit_status) from None
