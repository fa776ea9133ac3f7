"""Database schema upgrades with Alembic (`textpay migrate`)."""

from __future__ import annotations

from alembic import command
from alembic.config import Config

from bot import db
from bot.settings import ROOT, get_settings


def alembic_config(database_url: str | None = None) -> Config:
    """Alembic's configuration for our migrations folder and database."""
    config = Config()
    config.set_main_option("script_location", str(ROOT / "migrations"))
    config.set_main_option("sqlalchemy.url", database_url or get_settings().database_url)
    return config


def upgrade(database_url: str | None = None) -> None:
    """Create or upgrade the schema to the newest revision."""
    url = database_url or get_settings().database_url
    db.configure(url)
    command.upgrade(alembic_config(url), "head")
