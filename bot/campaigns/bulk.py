"""Writing many rows at once, fast: what lets a campaign plan 100,000 reminders in seconds.

SQLAlchemy's executemany costs some 35 µs a row in Python (parameter
processing); a campaign writes one row per account, so that alone would
cap planning near 20,000 accounts a second before any judging. Here each
value is still converted by the column type's own bind processor (so it is
stored exactly as SQLAlchemy stores it), and the rows go to the driver in
one batch: `executemany` on SQLite, `execute_values` on PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import Table
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

PAGE = 5000


def _memoized(process: Callable[[Any], Any] | None) -> Callable[[Any], Any] | None:
    """A bind processor that converts each distinct value once (a campaign's rows share
    a handful of dates and times)."""
    if process is None:
        return None
    seen: dict[Any, Any] = {}

    def convert(value: Any) -> Any:
        if value not in seen:
            seen[value] = process(value)
        return seen[value]

    return convert


def insert_ignoring_duplicates(session: Session, table: Table, rows: list[dict[str, Any]]) -> None:
    """Insert `rows` (all with the same keys) into `table` in the session's transaction;
    a row whose unique key already exists is skipped, not an error."""
    if not rows:
        return
    connection = session.connection()
    dialect = connection.dialect
    columns = list(rows[0])
    if dialect.name not in ("sqlite", "postgresql"):  # pragma: no cover - other databases
        insert = sqlite_insert if dialect.name == "sqlite" else pg_insert
        connection.execute(insert(table).on_conflict_do_nothing(), rows)
        return
    processors = [_memoized(table.c[name].type.bind_processor(dialect)) for name in columns]
    values = [tuple(process(row[name]) if process else row[name]
                    for name, process in zip(columns, processors, strict=True))
              for row in rows]
    names = ", ".join(columns)
    cursor = connection.connection.cursor()
    try:
        if dialect.name == "sqlite":
            marks = ", ".join("?" * len(columns))
            cursor.executemany(f"INSERT OR IGNORE INTO {table.name} ({names}) "  # noqa: S608
                               f"VALUES ({marks})", values)
        else:
            from psycopg2.extras import execute_values

            execute_values(cursor, f"INSERT INTO {table.name} ({names}) VALUES %s "  # noqa: S608
                           "ON CONFLICT DO NOTHING", values, page_size=PAGE)
    finally:
        cursor.close()
