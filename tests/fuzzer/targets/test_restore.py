"""Reset by restore on a real SQLite database: every change undone, ignored writes kept."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from fuzzer.targets.restore import SqlRestore
from scenarios.verify import SqlStateSource

SCHEMA = """
CREATE TABLE calendar (id INTEGER PRIMARY KEY, name TEXT NOT NULL);
CREATE TABLE event (
    id INTEGER PRIMARY KEY,
    calendar_id INTEGER NOT NULL REFERENCES calendar(id),
    title TEXT, day TEXT, touched TEXT
);
CREATE TABLE tag (event_id INTEGER REFERENCES event(id), label TEXT);  -- no primary key
CREATE TABLE session (key TEXT PRIMARY KEY, data TEXT);
INSERT INTO calendar VALUES (1, 'work'), (2, 'home');
INSERT INTO event VALUES (10, 1, 'standup', '2026-12-01', 't0'), (11, 2, 'gym', '2026-12-02', 't0');
INSERT INTO tag VALUES (10, 'daily');
INSERT INTO session VALUES ('s0', 'x');
"""


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "app.db"
    with sqlite3.connect(path) as conn:
        conn.executescript(SCHEMA)
    return path


def change_everything(path: Path) -> None:
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("INSERT INTO calendar VALUES (3, 'new')")
        conn.execute("INSERT INTO event VALUES (12, 3, 'party', '2026-12-24', 't1')")
        conn.execute("INSERT INTO tag VALUES (12, 'fun')")
        conn.execute("DELETE FROM tag WHERE event_id = 10")
        conn.execute("DELETE FROM event WHERE id = 11")
        conn.execute("UPDATE event SET title = 'retro', touched = 't1' WHERE id = 10")
        conn.execute("INSERT INTO session VALUES ('s1', 'y')")


async def test_restore_undoes_every_change_but_the_ignored_ones(db: Path) -> None:
    url = f"sqlite:///{db}"
    restore = SqlRestore(url, ignore_tables=["session"], ignore_columns={"event": ["touched"]})
    before = await SqlStateSource(url).snapshot()
    await restore.save()
    change_everything(db)
    stats = await restore.restore()
    after = await SqlStateSource(url).snapshot()
    restore.close()

    assert stats.deleted == 3 and stats.inserted == 2 and stats.updated == 1
    assert after["calendar"] == before["calendar"]
    assert after["tag"] == before["tag"]
    assert {k: {**r, "touched": None} for k, r in after["event"].items()} == {
        k: {**r, "touched": None} for k, r in before["event"].items()
    }
    assert after["event"]["10"]["title"] == "standup"
    assert after["event"]["10"]["touched"] == "t1"  # ignored column: left as the app wrote it
    assert set(after["session"]) == {"s0", "s1"}  # ignored table: left alone
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []


async def test_a_restore_with_nothing_changed_changes_nothing(db: Path) -> None:
    restore = SqlRestore(f"sqlite:///{db}")
    await restore.save()
    assert (await restore.restore()).changed == 0
    change_everything(db)
    assert (await restore.restore()).changed > 0
    assert (await restore.restore()).changed == 0
    restore.close()
