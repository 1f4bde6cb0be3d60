"""Many rows written to a server database in set-based statements (issue 10 item 1).

The bulk paths (:mod:`services.bulk`, the sync import) write SQLite straight through the driver's
``executemany``. On PostgreSQL, Core's ``executemany`` sends one INSERT or UPDATE per row (psycopg pipelines
them, but the server still parses and plans each one): 20,000 attendance rows took about 2.5× as long as one
``COPY … FROM STDIN``, measured on the test server. So here:

- :func:`insert_many` streams the rows with ``COPY`` in the caller's transaction;
- :func:`update_many` copies the new values into a temporary table and updates the rows with ONE
  ``UPDATE … FROM`` (a few rows go as an ``executemany``: the temporary table costs more than it saves).

Values go through each column's bind processor for the dialect, as Core's would, then psycopg's own adapters.
A refused row (a foreign key, a unique index, a value too long for its column) raises the SQLAlchemy exception
Core would raise (``IntegrityError``, ``DataError``); PostgreSQL then writes nothing of the statement and the
caller's transaction must roll back, as after any error on PostgreSQL. Other server drivers fall back to Core.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import Any

from sqlalchemy import Column, Connection, MetaData, Table, bindparam, text
from sqlalchemy.exc import DBAPIError

#: Below this many rows an UPDATE goes as an ``executemany``; from it on, through a temporary table.
SET_BASED_FROM = 200
_temp_names = itertools.count(1)


def _copy_capable(conn: Connection) -> bool:
    return conn.dialect.name == "postgresql" and conn.dialect.driver == "psycopg"


def _processors(conn: Connection, table: Table, columns: Sequence[str]) -> list[tuple[int, Callable[[Any], Any]]]:
    dialect = conn.dialect
    out = []
    for n, name in enumerate(columns):
        process = table.c[name].type.dialect_impl(dialect).bind_processor(dialect)
        if process is not None:
            out.append((n, process))
    return out


def _converted(rows: Iterable[Sequence[Any]], convert: list[tuple[int, Callable[[Any], Any]]]) -> Iterator[Sequence[Any]]:
    if not convert:
        yield from rows
        return
    for row in rows:
        out = list(row)
        for n, process in convert:
            if out[n] is not None:
                out[n] = process(out[n])
        yield out


def _copy(conn: Connection, target: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
    """``COPY target (columns) FROM STDIN`` on the connection's own driver connection (its transaction)."""
    quote = conn.dialect.identifier_preparer.quote
    sql = f"COPY {quote(target)} ({', '.join(quote(c) for c in columns)}) FROM STDIN"
    dbapi = conn.dialect.loaded_dbapi
    count = 0
    try:
        with conn.connection.driver_connection.cursor() as cursor, cursor.copy(sql) as copy:  # type: ignore[union-attr]
            for row in rows:
                copy.write_row(row)
                count += 1
    except dbapi.Error as exc:  # the same exception classes Core raises (IntegrityError, DataError, …)
        raise DBAPIError.instance(sql, None, exc, dbapi.Error, dialect=conn.dialect) from exc
    return count


def insert_many(conn: Connection, table: Table, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
    """Insert *rows* (sequences in the order of *columns*) into *table*: one ``COPY`` on PostgreSQL (psycopg),
    Core's ``executemany`` elsewhere. Returns the number of rows. Not used on SQLite (its own fast paths)."""
    if not _copy_capable(conn):
        data = [dict(zip(columns, row, strict=True)) for row in rows]
        if data:
            conn.execute(table.insert(), data)
        return len(data)
    return _copy(conn, str(table.name), columns, _converted(rows, _processors(conn, table, columns)))


def insert_dicts(conn: Connection, table: Table, rows: Sequence[Mapping[str, Any]]) -> int:
    """:func:`insert_many` of rows given as dicts, all with the same keys."""
    if not rows:
        return 0
    columns = list(rows[0])
    return insert_many(conn, table, columns, ([row[c] for c in columns] for row in rows))


def update_many(conn: Connection, table: Table, columns: Sequence[str], rows: Sequence[Sequence[Any]],
                *, key: str = "id", also: Mapping[str, Any] | None = None) -> int:
    """Set *columns* of the rows of *table* named by their *key*: *rows* are (key, value, value, …) in the
    order of *columns*. *also*: the same for every row (a SQL expression on the table's columns, or a value).

    PostgreSQL (psycopg), many rows: the values are copied into a temporary table and ONE ``UPDATE … FROM``
    writes them; otherwise Core's ``executemany``. Returns the number of rows given."""
    if not rows:
        return 0
    also = dict(also or {})
    if not _copy_capable(conn) or len(rows) < SET_BASED_FROM:
        stmt = (table.update().where(table.c[key] == bindparam("_key"))
                .values({c: bindparam(f"_v_{c}") for c in columns}).values(also))
        conn.execute(stmt, [{"_key": row[0], **{f"_v_{c}": v for c, v in zip(columns, row[1:], strict=True)}}
                            for row in rows])
        return len(rows)
    quote = conn.dialect.identifier_preparer.quote
    names = [key, *columns]
    temp = Table(f"_rows_{next(_temp_names)}", MetaData(), *(Column(c, table.c[c].type) for c in names))
    conn.execute(text(f"CREATE TEMPORARY TABLE {temp.name} ON COMMIT DROP AS "
                      f"SELECT {', '.join(quote(c) for c in names)} FROM {quote(str(table.name))} WITH NO DATA"))
    _copy(conn, str(temp.name), names, _converted(rows, _processors(conn, table, names)))
    conn.execute(table.update().where(table.c[key] == temp.c[key])  # UPDATE … FROM the temporary table
                 .values({c: temp.c[c] for c in columns}).values(also))
    conn.execute(text(f"DROP TABLE {temp.name}"))
    return len(rows)
