"""The database: one engine per process, short sessions per unit of work.

Plain SQLAlchemy (not Flask-SQLAlchemy) because the same models are used from
Flask views, from Rasa custom actions running on the agent's own thread, and
from CLI commands; each of those opens `session_scope()` around its work.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import QueuePool

_engine: Engine | None = None
_session_factory: sessionmaker | None = None


def _prepare_sqlite(url: str) -> dict:
    """Create the SQLite file's folder; return connect args for threaded use."""
    path = url.split("sqlite:///", 1)[-1]
    if path and path != ":memory:":
        Path(path).parent.mkdir(parents=True, exist_ok=True)
    return {"check_same_thread": False, "timeout": 30}


def _on_sqlite_connect(dbapi_connection: Any, _record: Any) -> None:
    # WAL lets readers proceed while a writer commits; foreign keys are off
    # by default in SQLite and we rely on them.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def configure(url: str) -> Engine:
    """Point this process at a database (idempotent for the same URL)."""
    global _engine, _session_factory
    if _engine is not None and str(_engine.url) == url:
        return _engine
    if _engine is not None:
        _engine.dispose()
    connect_args: dict = {}
    options: dict = {"future": True, "pool_pre_ping": True}
    if url.startswith("sqlite"):
        connect_args = _prepare_sqlite(url)
    else:
        options.update(pool_size=10, max_overflow=20)
    if url.startswith("sqlite") and ":memory:" not in url:
        # SQLAlchemy 1.4 opens and closes a file database per session by
        # default; closing a WAL database checkpoints it (~6 ms a session).
        options.update(poolclass=QueuePool, pool_size=10, max_overflow=20)
    _engine = create_engine(url, connect_args=connect_args, **options)
    if url.startswith("sqlite"):
        event.listen(_engine, "connect", _on_sqlite_connect)
    _session_factory = sessionmaker(bind=_engine, future=True, expire_on_commit=False)
    return _engine


def engine() -> Engine:
    """The configured engine (configure() must have run)."""
    if _engine is None:
        raise RuntimeError("database not configured; call bot.db.configure(url) first")
    return _engine


def new_session() -> Session:
    """A new session; prefer `session_scope()` which commits or rolls back.

    A process nothing configured (the actions behind a standalone
    `rasa run actions` server) uses the database its settings name.
    """
    if _session_factory is None:
        from bot.settings import get_settings

        configure(get_settings().database_url)
    return _session_factory()


@contextmanager
def session_scope() -> Iterator[Session]:
    """A transaction: commit on success, roll back on any error."""
    session = new_session()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()
