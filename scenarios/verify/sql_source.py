"""`SqlStateSource`: snapshots read straight from an application's SQL database.

Any database SQLAlchemy can reach works — SQLite, PostgreSQL, MySQL/MariaDB, ... — given its
URL and an installed driver (``pip install psycopg`` for ``postgresql+psycopg://``, for
instance). Tables and their primary keys are found by reflection, so no model classes are
needed: point it at the app's database and judge.
"""

from __future__ import annotations

import asyncio
import datetime
import decimal
import enum
import json
import os
import sqlite3
import uuid
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from scenarios.verify.state import Row, State, StateSourceError

# Backends whose REPEATABLE READ gives one snapshot for the whole transaction.
_REPEATABLE_READ = frozenset({"postgresql", "mysql", "mariadb"})


class SqlStateSource:
    """Read every table (or the named ones) of a SQL database as a `State`.

    Each row is keyed by its primary key; a composite key joins its values with ``/`` in
    key-column order. A table without a primary key is keyed by SQLite's ``rowid`` on SQLite,
    and elsewhere by the row's position (1, 2, ...) once rows are sorted by their values — so
    on such tables an update shows up as rows shifting; prefer ``present``/``absent``/
    ``equals`` requirements there. Values become JSON: BLOBs lowercase hex, decimals numbers,
    dates and times ISO 8601 strings, UUIDs strings.

    All tables are read in one transaction (REPEATABLE READ on PostgreSQL and MySQL/MariaDB; a
    read transaction on SQLite), so the snapshot is consistent even while the app writes. A
    SQLite database is opened read-only and never created.

    Args:
        url: a SQLAlchemy URL (``postgresql+psycopg://user:pw@host/db``,
            ``sqlite:///relative.db``, ``sqlite:////abs.db``) or a plain SQLite file path.
        tables: the tables to read; default all tables (not views, not SQLite's internal ones).
        schema: the database schema to read (PostgreSQL's ``search_path`` default if None).

    Raises:
        ValueError: at construction, for a malformed URL, an unknown database kind, or an
            in-memory SQLite database (which another process cannot see).

    `snapshot` raises `StateSourceError` naming the URL (password masked) when the driver is
    missing, the database is unreachable, or a named table does not exist.

    >>> SqlStateSource("sqlite:////srv/app.db").path
    PosixPath('/srv/app.db')
    >>> SqlStateSource("postgresql://app:secret@db.local/shop")
    SqlStateSource('postgresql://app:***@db.local/shop', tables=None)
    """

    def __init__(
        self,
        url: str | os.PathLike[str],
        tables: Sequence[str] | None = None,
        *,
        schema: str | None = None,
    ) -> None:
        from sqlalchemy.engine import make_url
        from sqlalchemy.exc import ArgumentError

        text = os.fspath(url)
        self.path: Path | None = None
        if "://" not in text or text.split("://", 1)[0].split("+", 1)[0] == "sqlite":
            self.path = sqlite_path(text)
            text = f"sqlite:///{self.path}"
        try:
            self.url = make_url(text)
            self.url.get_dialect()  # loads the dialect only; the driver is imported on use
        except (ArgumentError, ValueError) as exc:
            raise ValueError(f"not a usable database URL {_mask(text)!r}: {exc}") from None
        if isinstance(tables, str):
            # A bare string is a sequence of characters: almost certainly a mistake.
            raise ValueError(f"tables must be a list of table names, got the string {tables!r}")
        self.tables = None if tables is None else tuple(tables)
        if self.tables is not None and not all(self.tables):
            raise ValueError(f"tables must be non-empty names, got {list(self.tables)!r}")
        self.schema = schema

    @property
    def display(self) -> str:
        """The URL with its password masked (the file path for SQLite)."""
        if self.path is not None:
            return str(self.path)
        return self.url.render_as_string(hide_password=True)

    def __repr__(self) -> str:
        return f"SqlStateSource({self.display!r}, tables={self.tables!r})"

    async def snapshot(self) -> State:
        return await asyncio.to_thread(self._read)

    def _read(self) -> State:
        from sqlalchemy.exc import SQLAlchemyError

        if self.path is not None and not self.path.is_file():
            raise StateSourceError(f"SQLite database {str(self.path)!r} does not exist")
        try:
            engine = self._engine()
        except ImportError as exc:
            raise StateSourceError(
                f"cannot reach database {self.display!r}: its driver is not installed ({exc})"
            ) from exc
        try:
            with engine.connect() as conn:
                if engine.dialect.name in _REPEATABLE_READ:
                    conn = conn.execution_options(isolation_level="REPEATABLE READ")
                with conn.begin():
                    return self._read_tables(conn)
        except SQLAlchemyError as exc:
            cause = getattr(exc, "orig", None) or exc
            reason = str(cause).strip().splitlines()[0] if str(cause).strip() else repr(cause)
            raise StateSourceError(f"could not read database {self.display!r}: {reason}") from exc
        finally:
            engine.dispose()

    def _engine(self) -> Any:
        import sqlalchemy as sa
        from sqlalchemy.pool import NullPool

        if self.path is None:
            return sa.create_engine(self.url, poolclass=NullPool)
        uri = self.path.resolve().as_uri() + "?mode=ro"

        def connect() -> sqlite3.Connection:
            # Read-only, and autocommit at the driver level so that the explicit BEGIN below
            # opens one read transaction covering every table.
            return sqlite3.connect(
                uri, uri=True, timeout=10.0, isolation_level=None, check_same_thread=False
            )

        engine = sa.create_engine("sqlite://", creator=connect, poolclass=NullPool)
        sa.event.listen(engine, "begin", lambda conn: conn.exec_driver_sql("BEGIN"))
        return engine

    def _read_tables(self, conn: Any) -> State:
        import sqlalchemy as sa

        inspector = sa.inspect(conn)
        existing = sorted(inspector.get_table_names(schema=self.schema))
        if self.tables is None:
            names = existing
        else:
            missing = [t for t in self.tables if t not in existing]
            if missing:
                kind = "SQLite database" if self.path is not None else "database"
                raise StateSourceError(
                    f"{kind} {self.display!r} has no table(s) {missing!r}; it has {existing!r}"
                )
            names = list(self.tables)
        return {name: self._read_table(conn, inspector, name) for name in names}

    def _read_table(self, conn: Any, inspector: Any, table: str) -> dict[str, Row]:
        import sqlalchemy as sa

        columns = [str(c["name"]) for c in inspector.get_columns(table, schema=self.schema)]
        pk = inspector.get_pk_constraint(table, schema=self.schema) or {}
        key_columns = [str(c) for c in pk.get("constrained_columns") or ()]
        selected: list[Any] = [sa.column(c) for c in columns]
        by_rowid = not key_columns and self.path is not None
        if by_rowid:
            # No declared key: the rowid identifies the row (and is not one of its columns).
            selected.append(sa.literal_column("_rowid_"))
        query = sa.select(*selected).select_from(sa.table(table, schema=self.schema))
        rows: list[Row] = []
        rowids: list[str] = []
        for values in conn.execute(query):
            rows.append({c: json_value(v) for c, v in zip(columns, values, strict=False)})
            if by_rowid:
                rowids.append(str(values[-1]))
        return key_rows(table, rows, key_columns, rowids if by_rowid else None)


def key_rows(
    table: str, rows: Sequence[Row], key_columns: Sequence[str], rowids: Sequence[str] | None
) -> dict[str, Row]:
    """Key a table's rows: by their key columns joined with ``/``; else by `rowids`; else by
    position (from 1) once sorted by their values, so the keys do not depend on read order.

    Raises `StateSourceError` when two rows get the same key.

    >>> key_rows("seats", [{"seat": "2A", "flight": "LH1"}], ["flight", "seat"], None)
    {'LH1/2A': {'seat': '2A', 'flight': 'LH1'}}
    >>> key_rows("log", [{"msg": "b"}, {"msg": "a"}], [], None)
    {'1': {'msg': 'a'}, '2': {'msg': 'b'}}
    """
    if key_columns:
        keys = ["/".join(_key_part(row[c]) for c in key_columns) for row in rows]
        keyed = list(zip(keys, rows, strict=True))
    elif rowids is not None:
        keyed = list(zip(rowids, rows, strict=True))
    else:
        ordered = sorted(rows, key=lambda row: json.dumps(row, sort_keys=True, default=str))
        keyed = [(str(i), row) for i, row in enumerate(ordered, start=1)]
    result: dict[str, Row] = {}
    for key, row in keyed:
        if key in result:
            raise StateSourceError(
                f"table {table!r} has two rows with primary key {key!r} "
                f"(key columns {list(key_columns)!r}); keys must be unique once joined with '/'"
            )
        result[key] = row
    return result


def sqlite_path(url: str | os.PathLike[str]) -> Path:
    """The database file named by a SQLite URL or plain path.

    Raises `ValueError` for in-memory databases and for URLs of other databases.

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
        raise ValueError(f"expected a SQLite URL (sqlite:///path/to.db), got a {scheme!r} URL")
    # SQLAlchemy form: sqlite:///relative.db, sqlite:////absolute.db; options after '?'.
    path = rest.split("?", 1)[0]
    if path and not path.startswith("/"):
        raise ValueError(f"expected sqlite:///path/to.db, got {text!r}")
    path = path[1:]
    if not path or path == ":memory:":
        raise ValueError(f"an in-memory SQLite database cannot be snapshotted, got {text!r}")
    return Path(path)


def _mask(text: str) -> str:
    """`text` with the password of a ``scheme://user:password@host`` URL replaced by ***."""
    scheme, sep, rest = text.partition("://")
    userinfo, at, host = rest.partition("@")
    if not sep or not at or ":" not in userinfo:
        return text
    return f"{scheme}://{userinfo.split(':', 1)[0]}:***@{host}"


def json_value(value: Any) -> Any:
    """A database value as JSON data: bytes as hex, decimals as numbers, dates as ISO text.

    >>> json_value(decimal.Decimal("12.50")), json_value(decimal.Decimal("3"))
    (12.5, 3)
    >>> json_value(datetime.date(2026, 12, 14)), json_value(b"\\x00\\xff")
    ('2026-12-14', '00ff')
    """
    if isinstance(value, bytes | bytearray | memoryview):
        return bytes(value).hex()
    if isinstance(value, decimal.Decimal):
        if value.is_finite() and value == value.to_integral_value():
            return int(value)
        return float(value)
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, datetime.timedelta):
        return value.total_seconds()
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, enum.Enum):
        return value.value
    return value


def _key_part(value: Any) -> str:
    return "null" if value is None else str(value)
