"""Reset by restore: undo what an episode changed in an app's SQL database.

:class:`SqlRestore` reads every table (all but the ignored ones) when an app instance starts.
Before each episode, :meth:`SqlRestore.restore` reads them again and, in one transaction,
deletes the rows that were added (children before parents), puts back the rows that were
removed (parents before children) and the values that changed. Ignored columns are neither
compared nor restored. The database file is never swapped under the running app, so its
open connections and caches stay valid.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from scenarios.verify.state import StateSourceError

Key = tuple[Any, ...]
Rows = dict[Key, dict[str, Any]]


@dataclass(frozen=True)
class RestoreStats:
    """What one restore did: rows deleted, inserted and updated."""

    deleted: int = 0
    inserted: int = 0
    updated: int = 0

    @property
    def changed(self) -> int:
        return self.deleted + self.inserted + self.updated


class SqlRestore:
    """Snapshot an app's database once; put it back before each episode.

    Args:
        url: the SQLAlchemy URL of the app's database.
        ignore_tables: tables left alone (sessions, audit logs).
        ignore_columns: per table, columns left alone (``last_login``, timestamps).
    """

    def __init__(
        self,
        url: str,
        *,
        ignore_tables: Iterable[str] = (),
        ignore_columns: Mapping[str, Iterable[str]] | None = None,
    ) -> None:
        self.url = url
        self.ignore_tables = frozenset(ignore_tables)
        self.ignore_columns = {t: frozenset(c) for t, c in (ignore_columns or {}).items()}
        self._saved: dict[str, Rows] | None = None
        self._engine: Any = None

    def _connect(self) -> Any:
        import sqlalchemy as sa
        from sqlalchemy.pool import NullPool

        if self._engine is None:
            args = {"timeout": 30} if self.url.startswith("sqlite") else {}
            self._engine = sa.create_engine(self.url, poolclass=NullPool, connect_args=args)
        return self._engine

    def _tables(self, conn: Any) -> list[Any]:
        import sqlalchemy as sa

        meta = sa.MetaData()
        meta.reflect(conn)
        return [t for t in meta.sorted_tables if t.name not in self.ignore_tables]

    def _key_columns(self, table: Any) -> list[Any]:
        return list(table.primary_key.columns) or list(table.columns)

    def _read(self, conn: Any, table: Any) -> Rows:
        keys = self._key_columns(table)
        skip = self.ignore_columns.get(table.name, frozenset())
        out: Rows = {}
        for row in conn.execute(table.select()).mappings():
            key = tuple(row[c.name] for c in keys)
            out[key] = {k: v for k, v in row.items() if k not in skip}
        return out

    def _read_all(self, conn: Any) -> dict[str, Rows]:
        return {t.name: self._read(conn, t) for t in self._tables(conn)}

    async def save(self) -> None:
        """Remember the database as it is now (the state every episode starts from)."""
        self._saved = await asyncio.to_thread(self._guarded, self._save)

    def _save(self) -> dict[str, Rows]:
        with self._connect().connect() as conn, conn.begin():
            return self._read_all(conn)

    async def restore(self) -> RestoreStats:
        """Undo every change since :meth:`save`, in one transaction."""
        if self._saved is None:
            raise RuntimeError("SqlRestore.restore() before save()")
        return await asyncio.to_thread(self._guarded, self._restore)

    def _guarded(self, fn: Any) -> Any:
        from sqlalchemy.exc import SQLAlchemyError

        try:
            return fn()
        except SQLAlchemyError as exc:
            cause = getattr(exc, "orig", None) or exc
            reason = str(cause).strip().splitlines()[0] if str(cause).strip() else repr(cause)
            raise StateSourceError(f"could not reset database {self.url!r}: {reason}") from exc

    def _restore(self) -> RestoreStats:
        import sqlalchemy as sa

        assert self._saved is not None
        deleted = inserted = updated = 0
        with self._connect().connect() as conn, conn.begin():
            if conn.dialect.name == "sqlite":
                conn.exec_driver_sql("PRAGMA defer_foreign_keys = ON")
            tables = self._tables(conn)
            now = {t.name: self._read(conn, t) for t in tables}
            for table in reversed(tables):  # children first
                keys = self._key_columns(table)
                saved = self._saved.get(table.name, {})
                for key in now[table.name].keys() - saved.keys():
                    cond = sa.and_(*(c == v for c, v in zip(keys, key, strict=True)))
                    conn.execute(table.delete().where(cond))
                    deleted += 1
            for table in tables:  # parents first
                keys = self._key_columns(table)
                saved = self._saved.get(table.name, {})
                current = now[table.name]
                for key, row in saved.items():
                    if key not in current:
                        conn.execute(table.insert().values(**row))
                        inserted += 1
                    elif current[key] != row:
                        cond = sa.and_(*(c == v for c, v in zip(keys, key, strict=True)))
                        conn.execute(table.update().where(cond).values(**row))
                        updated += 1
        return RestoreStats(deleted, inserted, updated)

    def close(self) -> None:
        """Release the database connection pool."""
        if self._engine is not None:
            self._engine.dispose()
            self._engine = None
