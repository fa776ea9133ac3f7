"""Alembic environment: our models' metadata, the URL from textpay's settings."""

from __future__ import annotations

from alembic import context

from bot import db
from bot.models import Base

config = context.config
target_metadata = Base.metadata


def run_migrations() -> None:
    """Run migrations on a live connection (SQLite gets batch mode for ALTERs).

    SQLite's batch mode copies a table and drops the old one; with foreign keys
    on (bot/db.py turns them on for every connection) that DROP deletes every
    row that references the table through ON DELETE CASCADE — altering
    `dealers` emptied accounts and borrowers. So they are off while migrating
    (the pragma only acts outside a transaction) and back on afterwards.
    """
    url = config.get_main_option("sqlalchemy.url")
    engine = db.configure(url)
    with engine.connect() as connection:
        sqlite = connection.dialect.name == "sqlite"
        if sqlite:
            connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
        try:
            context.configure(
                connection=connection,
                target_metadata=target_metadata,
                render_as_batch=sqlite,
                compare_type=True,
            )
            with context.begin_transaction():
                context.run_migrations()
            connection.commit()
        finally:
            if sqlite:
                connection.rollback()
                connection.exec_driver_sql("PRAGMA foreign_keys=ON")


run_migrations()
