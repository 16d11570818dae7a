from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from scenarios.verify import SqlStateSource, StateSource, StateSourceError, judge, load_spec
from scenarios.verify.sql_source import sqlite_path

SCHEMA = """
CREATE TABLE bookings (id INTEGER PRIMARY KEY, date TEXT, room TEXT, paid INTEGER);
CREATE TABLE seats (seat TEXT, flight TEXT, holder TEXT, PRIMARY KEY (flight, seat));
CREATE TABLE notes (body TEXT, data BLOB);
INSERT INTO bookings VALUES (1, '2026-12-01', 'A', 0), (2, '2026-12-02', 'B', 1);
INSERT INTO seats VALUES ('12A', 'LH1', NULL);
INSERT INTO notes VALUES ('hello', x'00ff');
"""


@pytest.fixture
def db(tmp_path: Path) -> Iterator[sqlite3.Connection]:
    conn = sqlite3.connect(tmp_path / "app.db", isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.executescript(SCHEMA)
    try:
        yield conn
    finally:
        conn.close()


async def test_snapshot_reads_every_table_keyed_by_primary_key(tmp_path: Path, db: object) -> None:
    source = SqlStateSource(f"sqlite:///{tmp_path / 'app.db'}")
    assert isinstance(source, StateSource)
    assert await source.snapshot() == {
        "bookings": {
            "1": {"id": 1, "date": "2026-12-01", "room": "A", "paid": 0},
            "2": {"id": 2, "date": "2026-12-02", "room": "B", "paid": 1},
        },
        # Composite key: values joined in key-column order (flight, seat), not table order.
        "seats": {"LH1/12A": {"seat": "12A", "flight": "LH1", "holder": None}},
        # No declared key: rowid, which is not a column of the row; BLOBs become hex.
        "notes": {"1": {"body": "hello", "data": "00ff"}},
    }


async def test_snapshot_reads_only_the_named_tables(tmp_path: Path, db: object) -> None:
    source = SqlStateSource(tmp_path / "app.db", tables=["seats"])
    assert list(await source.snapshot()) == ["seats"]


async def test_before_and_after_snapshots_judge_the_episode(
    tmp_path: Path, db: sqlite3.Connection
) -> None:
    spec = load_spec(
        {
            "required": [
                {
                    "name": "one booking on 2026-12-14",
                    "table": "bookings",
                    "op": "added",
                    "where": {"date": "2026-12-14"},
                    "count": 1,
                },
                {
                    "name": "seat taken",
                    "table": "seats",
                    "op": "present",
                    "where": {"holder": "ann"},
                    "count": 1,
                },
            ],
            "allowed": [
                {"name": "book", "table": "bookings", "ops": ["added"]},
                {"name": "take seat", "table": "seats", "ops": ["updated"], "fields": ["holder"]},
            ],
        }
    )
    source = SqlStateSource(str(tmp_path / "app.db"))
    before = await source.snapshot()

    db.execute("INSERT INTO bookings VALUES (3, '2026-12-14', 'A', 1)")
    db.execute("UPDATE seats SET holder = 'ann' WHERE flight = 'LH1' AND seat = '12A'")
    after = await source.snapshot()
    verdict = judge(spec, before, after, escalated=False)
    assert verdict.passed, verdict.explain()

    db.execute("UPDATE bookings SET paid = 0 WHERE id = 2")
    verdict = judge(spec, before, await source.snapshot(), escalated=False)
    assert [f.name for f in verdict.failures] == ["not-allowed: bookings updated #2 (paid)"]


async def test_snapshot_sees_only_committed_data(tmp_path: Path, db: sqlite3.Connection) -> None:
    source = SqlStateSource(tmp_path / "app.db", tables=["bookings"])
    db.execute("BEGIN")
    db.execute("DELETE FROM bookings")
    assert list((await source.snapshot())["bookings"]) == ["1", "2"]
    db.execute("COMMIT")
    assert (await source.snapshot())["bookings"] == {}


async def test_snapshot_never_creates_or_writes_the_database(tmp_path: Path) -> None:
    source = SqlStateSource(tmp_path / "missing.db")
    with pytest.raises(StateSourceError, match=r"SQLite database '.*missing\.db' does not exist"):
        await source.snapshot()
    assert not (tmp_path / "missing.db").exists()


async def test_unknown_table_is_named(tmp_path: Path, db: object) -> None:
    source = SqlStateSource(tmp_path / "app.db", tables=["bookings", "nope"])
    with pytest.raises(
        StateSourceError, match=r"has no table\(s\) \['nope'\]; it has \['bookings'"
    ):
        await source.snapshot()


async def test_keys_that_collide_once_joined_are_an_error(tmp_path: Path) -> None:
    conn = sqlite3.connect(tmp_path / "k.db")
    conn.executescript(
        "CREATE TABLE k (a TEXT, b TEXT, PRIMARY KEY (a, b));"
        "INSERT INTO k VALUES ('x/y', 'z'), ('x', 'y/z');"
    )
    conn.close()
    with pytest.raises(StateSourceError, match=r"table 'k' has two rows with primary key 'x/y/z'"):
        await SqlStateSource(tmp_path / "k.db").snapshot()


@pytest.mark.parametrize(
    ("url", "path"),
    [
        ("sqlite:///app.db", "app.db"),
        ("sqlite:////srv/data/app.db", "/srv/data/app.db"),
        ("sqlite+pysqlite:///app.db?timeout=5", "app.db"),
        ("relative/app.db", "relative/app.db"),
    ],
)
def test_sqlite_urls(url: str, path: str) -> None:
    assert sqlite_path(url) == Path(path)


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("postgresql://u@h/db", "only SQLite databases are supported, got a 'postgresql' URL"),
        ("sqlite://", "an in-memory SQLite database cannot be snapshotted"),
        ("sqlite:///:memory:", "an in-memory SQLite database cannot be snapshotted"),
        ("sqlite://host/app.db", "expected sqlite:///path/to.db, got 'sqlite://host/app.db'"),
        ("", "expected a SQLite file path, got ''"),
    ],
)
def test_bad_urls_are_rejected_at_construction(url: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        SqlStateSource(url)


def test_tables_must_be_a_list() -> None:
    with pytest.raises(ValueError, match="tables must be a list of table names, got the string"):
        SqlStateSource("app.db", tables="bookings")
