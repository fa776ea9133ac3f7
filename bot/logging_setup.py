"""Structured logs: one JSON object per line, phone numbers masked, card data removed.

Everything that writes to the process's logs goes through one handler:
our own loggers, Rasa's structlog events (routed into the standard library
at WARNING and above, so Rasa's per-turn debug chatter costs nothing),
Python warnings, and gunicorn's error log (see bot/server.py). Every string
field of a record (the message, an exception's traceback, `extra=` fields)
is scrubbed before it is written.
"""

from __future__ import annotations

import logging
import re
import sys
from typing import Any

from pythonjsonlogger.json import JsonFormatter

from bot.redaction import redact_card_data

# E.164 (+15551230001) and North American numbers written the usual ways
# ((555) 123-0001, 555.123.0001, +1 555 123 0001). Dates and amounts do not match.
_PHONE = re.compile(
    r"\+\d{8,15}\b"
    r"|(?<![\w+])(?:\+?1[\s.-]?)?\(?\d{3}\)?[\s.-]?\d{3}[\s.-]?\d{4}\b"
)
_NOT_SCRUBBED = {"asctime"}
FORMAT = "%(asctime)s %(levelname)s %(name)s %(process)d %(message)s"
RENAMED = {"levelname": "level", "name": "logger", "process": "pid"}


def _mask_phone(match: re.Match) -> str:
    digits = re.sub(r"\D", "", match.group(0))
    return "***" + digits[-4:]


def scrub(text: str) -> str:
    """Remove card data (numbers, expiries, security codes) and mask phone numbers."""
    text = redact_card_data(text).text
    return _PHONE.sub(_mask_phone, text)


def _scrub_value(value: Any) -> Any:
    if isinstance(value, str):
        return scrub(value)
    if isinstance(value, (list, tuple)):
        return [_scrub_value(item) for item in value]
    if isinstance(value, dict):
        return {key: _scrub_value(item) for key, item in value.items()}
    return value


class ScrubbingJsonFormatter(JsonFormatter):
    """JSON lines whose every text field (message, traceback, extras) is scrubbed."""

    def __init__(self) -> None:
        """Timestamp, level, logger and message, plus any `extra=` fields."""
        super().__init__(FORMAT, rename_fields=RENAMED)

    def process_log_record(self, log_data: dict) -> dict:
        """Scrub every field except the timestamp."""
        return {key: value if key in _NOT_SCRUBBED else _scrub_value(value)
                for key, value in log_data.items()}


def json_handler(stream: Any = None) -> logging.Handler:
    """A handler writing scrubbed JSON lines to `stream` (default stderr)."""
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(ScrubbingJsonFormatter())
    return handler


def route_structlog_to_stdlib(level: int) -> None:
    """Rasa logs through structlog, at debug level unless told otherwise.

    Filtering in structlog itself makes a dropped event cost one method call;
    what remains is handed to the standard library, so it is JSON like the rest.
    """
    import structlog

    structlog.configure(
        wrapper_class=structlog.make_filtering_bound_logger(max(level, logging.WARNING)),
        logger_factory=structlog.stdlib.LoggerFactory(),
        processors=[structlog.processors.KeyValueRenderer(key_order=["event"])],
        cache_logger_on_first_use=True,
    )


def configure_logging(level: str = "INFO") -> None:
    """Install the JSON handler on the root logger, and the level.

    Safe to call again, and worth it: importing Rasa/TensorFlow lowers the
    root logger to WARNING, so the server calls this again after importing.
    """
    numeric = logging.getLevelName(level.upper())
    numeric = numeric if isinstance(numeric, int) else logging.INFO
    root = logging.getLogger()
    if not any(isinstance(h.formatter, ScrubbingJsonFormatter) for h in root.handlers):
        root.handlers[:] = [json_handler()]
        # Libraries' DeprecationWarnings would otherwise print raw lines to stderr.
        logging.captureWarnings(True)
        logging.getLogger("py.warnings").setLevel(logging.ERROR)
        route_structlog_to_stdlib(numeric)
    root.setLevel(numeric)
