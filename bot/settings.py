"""All configuration, read from the environment (and `.env`) once.

Every other module asks `get_settings()`; nothing else reads `os.environ`,
so what a deployment can configure is exactly what is listed here. The one
exception is `TEXTPAY_NOW`, which `bot/clock.py` reads itself: the clock must
be pinned before anything, settings included, asks it the time.
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass, field, replace
from pathlib import Path

from dotenv import load_dotenv

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATABASE_URL = f"sqlite:///{ROOT / 'instance' / 'textpay.db'}"
DEFAULT_MODEL_PATH = ROOT / "models" / "textpay.tar.gz"


class ConfigurationError(RuntimeError):
    """A required setting is missing; the message says which and why."""


@dataclass(frozen=True)
class Settings:
    """The process's configuration. Immutable; use `with_overrides` to derive."""

    database_url: str = DEFAULT_DATABASE_URL
    redis_url: str | None = None
    stripe_secret_key: str | None = None
    stripe_api_base: str | None = None
    stripe_webhook_secret: str | None = None
    # Stripe Connect (bot/payments/connect.py): the platform's OAuth client id (ca_...),
    # and the signing secret of the Connect webhook endpoint (events from dealers' accounts).
    stripe_connect_client_id: str | None = None
    stripe_connect_webhook_secret: str | None = None
    twilio_account_sid: str | None = None
    twilio_auth_token: str | None = None
    twilio_api_base: str | None = None
    public_url: str | None = None
    secret_key: str = field(default_factory=lambda: secrets.token_hex(32))
    demo_mode: bool = False
    model_path: Path = DEFAULT_MODEL_PATH
    log_level: str = "INFO"
    # Minutes a "Reply YES to pay" stays valid; a later YES asks again.
    confirmation_ttl_minutes: int = 30
    # Per-number caps against SMS pumping (bot/messaging/number_limits.py).
    inbound_texts_per_minute: int = 20
    outbound_texts_per_hour: int = 20
    # Seconds to wait for Stripe's answer before calling a charge unknown; with
    # one retry it must fit in the 15 s Twilio waits for a reply.
    stripe_timeout_seconds: float = 6.0
    # The console's live stream (bot/web/event_server.py): where browsers open it, and
    # the port `textpay serve` runs the event server on (set by it for its workers).
    live_events_url: str | None = None
    events_port: int | None = None

    def with_overrides(self, **changes: object) -> Settings:
        """Return a copy with some fields replaced (tests and the demo use this)."""
        return replace(self, **changes)

    @property
    def stripe_emulated(self) -> bool:
        """True when Stripe is the local emulator (demo, tests): it has no Checkout."""
        return self.demo_mode or bool(self.stripe_api_base)

    def require(self, *names: str) -> None:
        """Fail with a readable message when a setting needed outside demo mode is unset."""
        if self.demo_mode:
            return
        missing = [n for n in names if not getattr(self, n)]
        if missing:
            env = ", ".join(n.upper() for n in missing)
            raise ConfigurationError(
                f"{env} must be set (or run `textpay demo` for the self-contained demo)."
            )


def _env(name: str) -> str | None:
    value = os.environ.get(name, "").strip()
    return value or None


def load_settings() -> Settings:
    """Read the environment (after loading `.env` if present) into a Settings."""
    load_dotenv(ROOT / ".env", override=False)
    defaults = Settings()
    return Settings(
        database_url=_env("DATABASE_URL") or defaults.database_url,
        redis_url=_env("REDIS_URL"),
        stripe_secret_key=_env("STRIPE_SECRET_KEY"),
        stripe_api_base=_env("STRIPE_API_BASE"),
        stripe_webhook_secret=_env("STRIPE_WEBHOOK_SECRET"),
        stripe_connect_client_id=_env("STRIPE_CONNECT_CLIENT_ID"),
        stripe_connect_webhook_secret=_env("STRIPE_CONNECT_WEBHOOK_SECRET"),
        twilio_account_sid=_env("TWILIO_ACCOUNT_SID"),
        twilio_auth_token=_env("TWILIO_AUTH_TOKEN"),
        twilio_api_base=_env("TWILIO_API_BASE"),
        public_url=(_env("PUBLIC_URL") or "").rstrip("/") or None,
        secret_key=_env("SECRET_KEY") or defaults.secret_key,
        demo_mode=(_env("TEXTPAY_DEMO") or "").lower() in {"1", "true", "yes"},
        model_path=Path(_env("TEXTPAY_MODEL") or defaults.model_path),
        log_level=(_env("LOG_LEVEL") or "INFO").upper(),
        inbound_texts_per_minute=int(_env("INBOUND_TEXTS_PER_MINUTE")
                                     or defaults.inbound_texts_per_minute),
        outbound_texts_per_hour=int(_env("OUTBOUND_TEXTS_PER_HOUR")
                                    or defaults.outbound_texts_per_hour),
        stripe_timeout_seconds=float(_env("STRIPE_TIMEOUT_SECONDS")
                                     or defaults.stripe_timeout_seconds),
        live_events_url=_env("LIVE_EVENTS_URL"),
        events_port=int(_env("EVENTS_PORT") or 0) or None,
    )


_settings: Settings | None = None


def get_settings() -> Settings:
    """The process-wide settings, loaded on first use."""
    global _settings
    if _settings is None:
        _settings = load_settings()
    return _settings


def set_settings(settings: Settings) -> None:
    """Install settings for this process (create_app, the demo and tests)."""
    global _settings
    _settings = settings
