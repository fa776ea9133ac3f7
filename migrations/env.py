"""Alembic environment: our models' metadata, the URL from textpay's settings."""

from __future__ import annotations

from alembic import context

from bot import db
from bot.models import Base

config = context.config
target_metadata = Base.metadata


def run_migrations() -> None:
    """Run migrations on a live connection (SQLite gets batch mode for ALTERs)."""
    url = config.get_main_option("sqlalchemy.url")
    engine = db.configure(url)
    with engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_as_batch=connection.dialect.name == "sqlite",
            compare_type=True,
        )
        with context.begin_transaction():
            context.run_migrations()
        connection.commit()


run_migrations()
