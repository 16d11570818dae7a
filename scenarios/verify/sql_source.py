"""`SqlStateSource`: snapshots read straight from an application's database."""

from __future__ import annotations

import asyncio
import os
import sqlite3
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from scenarios.verify.state import Row, State, StateSourceError


class SqlStateSource:
    """Read every table (or the named ones) of a SQLite database as a `State`.

    Each row is keyed by its primary key; a composite key joins its values with ``/`` in
    key-column order, and a table without a declared key uses SQLite's ``rowid``. BLOB values
    become lowercase hex strings so the state stays JSON. All tables are read in one read
    transaction, so the snapshot is consistent even while the app writes.

    Args:
        url: a SQLAlchemy-style SQLite URL (``sqlite:///relative.db``, ``sqlite:////abs.db``)
            or a plain file path. Other databases are not supported yet; their URLs are
            rejected with a clear error so the URL form stays compatible with a future
            SQLAlchemy-backed source.
        tables: the tables to read; default all tables except SQLite's internal ones.

    >>> SqlStateSource("sqlite:////srv/app.db").path
    PosixPath('/srv/app.db')
    """

    def __init__(self, url: str | os.PathLike[str], tables: Sequence[str] | None = None) -> None:
        self.path = sqlite_path(url)
        if isinstance(tables, str):
            # A bare string is a sequence of characters: almost certainly a mistake.
            raise ValueError(f"tables must be a list of table names, got the string {tables!r}")
        self.tables = None if tables is None else tuple(tables)
        if self.tables is not None and not all(self.tables):
            raise ValueError(f"tables must be non-empty names, got {list(self.tables)!r}")

    def __repr__(self) -> str:
        return f"SqlStateSource({str(self.path)!r}, tables={self.tables!r})"

    async def snapshot(self) -> State:
        return await asyncio.to_thread(self._read)

    def _read(self) -> State:
        if not self.path.is_file():
            raise StateSourceError(f"SQLite database {str(self.path)!r} does not exist")
        uri = self.path.resolve().as_uri() + "?mode=ro"
        try:
            conn = sqlite3.connect(uri, uri=True, timeout=10.0, isolation_level=None)
        except sqlite3.Error as exc:
            raise StateSourceError(f"could not open SQLite database {uri!r}: {exc}") from exc
        try:
            conn.execute("BEGIN")
            try:
                return self._read_tables(conn)
            finally:
                conn.execute("COMMIT")
        except sqlite3.Error as exc:
            raise StateSourceError(f"could not read SQLite database {uri!r}: {exc}") from exc
        finally:
            conn.close()

    def _read_tables(self, conn: sqlite3.Connection) -> State:
        existing = [
            name
            for (name,) in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' "
                "AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name"
            )
        ]
        if self.tables is None:
            names = existing
        else:
            missing = [t for t in self.tables if t not in existing]
            if missing:
                raise StateSourceError(
                    f"SQLite database {str(self.path)!r} has no table(s) {missing!r}; "
                    f"it has {existing!r}"
                )
            names = list(self.tables)
        return {name: _read_table(conn, name) for name in names}


def sqlite_path(url: str | os.PathLike[str]) -> Path:
    """The database file named by a SQLite URL or plain path.

    Raises `ValueError` for in-memory databases and for non-SQLite URLs.

    >>> sqlite_path("sqlite:///data/app.db")
    PosixPath('data/app.db')
    >>> sqlite_path("/tmp/app.db")
    PosixPath('/tmp/app.db')
    """
    text = os.fspath(url)
    if "://" not in text:
        if not text or text == ":memory:":
            raise ValueError(f"expected a SQLite file path, got {text!r}")
        return Path(text)
    scheme, _, rest = text.partition("://")
    if scheme.split("+", 1)[0] != "sqlite":
        raise ValueError(
            f"only SQLite databases are supported, got a {scheme!r} URL; "
            "use sqlite:///path/to.db or a file path"
        )
    # SQLAlchemy form: sqlite:///relative.db, sqlite:////absolute.db; options after '?'.
    path = rest.split("?", 1)[0]
    if path and not path.startswith("/"):
        raise ValueError(f"expected sqlite:///path/to.db, got {text!r}")
    path = path[1:]
    if not path or path == ":memory:":
        raise ValueError(f"an in-memory SQLite database cannot be snapshotted, got {text!r}")
    return Path(path)


def _quote(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


def _read_table(conn: sqlite3.Connection, table: str) -> dict[str, Row]:
    info = conn.execute(f"PRAGMA table_info({_quote(table)})").fetchall()
    columns = [str(c[1]) for c in info]
    key_columns = [str(c[1]) for c in sorted((c for c in info if c[5] > 0), key=lambda c: c[5])]
    query = f"SELECT {', '.join(map(_quote, columns))}"
    if not key_columns:
        # No declared key: the rowid identifies the row (and is not one of its columns).
        query += ", _rowid_"
    result: dict[str, Row] = {}
    for values in conn.execute(f"{query} FROM {_quote(table)}"):
        row = {c: _json_value(v) for c, v in zip(columns, values, strict=False)}
        pk = "/".join(_key_part(row[c]) for c in key_columns) if key_columns else str(values[-1])
        if pk in result:
            raise StateSourceError(
                f"table {table!r} has two rows with primary key {pk!r} "
                f"(key columns {key_columns!r}); keys must be unique once joined with '/'"
            )
        result[pk] = row
    return result


def _json_value(value: Any) -> Any:
    if isinstance(value, bytes):
        return value.hex()
    return value


def _key_part(value: Any) -> str:
    return "null" if value is None else str(value)
