"""`textpay serve`: the web app under gunicorn, one model load per worker."""

from __future__ import annotations

import os

from flask import Flask
from gunicorn.app.base import BaseApplication


class TextpayServer(BaseApplication):
    """Gunicorn, configured in code: workers build the app after forking.

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
        """Called in each worker: build the Flask app there."""
        from bot.web import create_app

        return create_app()


def serve(host: str, port: int) -> None:
    """Run gunicorn on host:port with WEB_CONCURRENCY workers (default 2)."""
    workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
    TextpayServer({
        "bind": f"{host}:{port}",
        "workers": workers,
        "worker_class": "gthread",
        "threads": int(os.environ.get("WEB_THREADS", "4")),
        "timeout": 120,
        "graceful_timeout": 30,
        "accesslog": None,
        "preload_app": False,
    }).run()
