"""The Flask application factory (as in the Flask tutorial), with one blueprint per surface."""

from __future__ import annotations

import logging

from flask import Flask

from bot import db
from bot.logging_setup import configure_logging
from bot.settings import Settings, get_settings, set_settings

log = logging.getLogger(__name__)


def create_app(settings: Settings | None = None, *, load_agent: bool = True) -> Flask:
    """Build the app for `settings` (default: the environment).

    `load_agent=False` skips loading the Rasa model (tools that never answer
    texts); the webhook then loads it on first use.
    """
    settings = settings or get_settings()
    set_settings(settings)
    configure_logging(settings.log_level)
    db.configure(settings.database_url)

    app = Flask(__name__)
    app.config.update(
        SECRET_KEY=settings.secret_key,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=bool(settings.public_url and settings.public_url.startswith("https")),
        MAX_CONTENT_LENGTH=5 * 1024 * 1024,
    )

    app.json.sort_keys = False

    from bot.web import (
        health,
        payer_pages,
        portal,
        secure_pages,
        self_service,
        stripe_webhook,
        twilio_webhooks,
    )
    from bot.web.api import api

    app.register_blueprint(health.bp)
    app.register_blueprint(twilio_webhooks.bp)
    app.register_blueprint(stripe_webhook.bp)
    app.register_blueprint(secure_pages.bp)
    app.register_blueprint(self_service.bp)
    app.register_blueprint(payer_pages.bp)
    app.register_blueprint(api)
    portal.register(app)
    if settings.demo_mode:
        from bot.web import simulator

        app.register_blueprint(simulator.bp)

    from bot.dealers import warn_about_senders
    from bot.payments.shared_account import warn_if_shared

    warn_if_shared()  # several dealers in the deployment's own Stripe account: say so once
    warn_about_senders()  # a collection agency on a sender carriers refuse it: say so
    if load_agent:
        from bot.dialogue.agent import get_runner

        get_runner(settings.model_path, settings.redis_url)
    return app
