"""Structured logs: one JSON object per line, phone and card numbers masked."""

from __future__ import annotations

import logging
import re
import sys

from pythonjsonlogger.json import JsonFormatter

from bot.messaging.redaction import redact_card_numbers

_PHONE = re.compile(r"\+?\d[\d\-\s().]{8,}\d")


def _mask_phone(match: re.Match) -> str:
    digits = re.sub(r"\D", "", match.group(0))
    return "***" + digits[-4:] if len(digits) >= 10 else match.group(0)


def scrub(text: str) -> str:
    """Remove card numbers and mask phone numbers in a log text."""
    text, _ = redact_card_numbers(text)
    return _PHONE.sub(_mask_phone, text)


class ScrubFilter(logging.Filter):
    """Applies `scrub` to every record's rendered message before it is written."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Render the message once, scrubbed; always keep the record."""
        record.msg = scrub(record.getMessage())
        record.args = None
        return True


_configured = False


def configure_logging(level: str = "INFO") -> None:
    """Install the JSON handler on the root logger (once per process)."""
    global _configured
    if _configured:
        return
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter("%(asctime)s %(levelname)s %(name)s %(message)s",
                                       rename_fields={"levelname": "level", "name": "logger"}))
    handler.addFilter(ScrubFilter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    _configured = True
