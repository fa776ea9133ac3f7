"""Declarative base and the columns every table shares."""

from __future__ import annotations

from sqlalchemy import Column, DateTime, Integer, MetaData
from sqlalchemy.orm import declarative_base

from bot.clock import utcnow

# Named constraints so Alembic can alter them on every backend (SQLite too).
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

Base = declarative_base(metadata=MetaData(naming_convention=NAMING))


class Timestamped:
    """`id`, `created_at`, `updated_at` (naive UTC)."""

    id = Column(Integer, primary_key=True)
    created_at = Column(DateTime, nullable=False, default=utcnow)
    updated_at = Column(DateTime, nullable=False, default=utcnow, onupdate=utcnow)
