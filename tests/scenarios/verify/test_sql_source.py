from __future__ import annotations

import datetime
import sqlite3
import uuid
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from scenarios.verify import SqlStateSource, StateSource, StateSourceError, judge, load_spec
from scenarios.verify.sql_source import json_value, key_rows, sqlite_path

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
        ("nosuchdb://u:pw@h/db", r"not a usable database URL 'nosuchdb://u:\*\*\*@h/db'"),
        ("postgresql://u:pw@h:port/db", r"not a usable database URL 'postgresql://u:\*\*\*@h"),
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


# -- any database through SQLAlchemy: an app of its own, not the embedded site ------------

SHOP_SPEC: dict[str, Any] = {
    "required": [
        {
            "name": "one order at the catalogue price",
            "table": "orders",
            "op": "added",
            "join": {"table": "products", "on": {"sku": "sku"}, "equal": {"price": "price"}},
            "count": 1,
        },
        {"name": "stock decremented", "table": "products", "op": "updated", "count": 1},
        {"name": "cart emptied", "table": "cart_items", "op": "absent", "where": {"user": "ann"}},
        {
            "name": "prices unchanged",
            "table": "products",
            "op": "equals",
            "rows": [{"sku": "A-1", "price": 12.5}, {"sku": "B-2", "price": 3}],
            "ignore": ["stock", "name"],
        },
    ],
    "allowed": [
        {"name": "place the order", "table": "orders", "ops": ["added"]},
        {"name": "take stock", "table": "products", "ops": ["updated"], "fields": ["stock"]},
        {"name": "empty the cart", "table": "cart_items", "ops": ["removed"]},
    ],
    "forbidden": [
        {"name": "never reprice", "table": "products", "ops": ["updated"], "fields": ["price"]}
    ],
}


@pytest.fixture
def shop(tmp_path: Path) -> Iterator[tuple[str, Any, Any]]:
    """A small shop database made with SQLAlchemy Core, as an app of its own would."""
    import sqlalchemy as sa

    url = f"sqlite:///{tmp_path / 'shop.db'}"
    engine = sa.create_engine(url)
    meta = sa.MetaData()
    products = sa.Table(
        "products",
        meta,
        sa.Column("sku", sa.String, primary_key=True),
        sa.Column("name", sa.String),
        sa.Column("price", sa.Numeric(10, 2)),
        sa.Column("stock", sa.Integer),
    )
    orders = sa.Table(
        "orders",
        meta,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("sku", sa.String, sa.ForeignKey("products.sku")),
        sa.Column("price", sa.Numeric(10, 2)),
        sa.Column("placed", sa.Date),
    )
    cart = sa.Table(
        "cart_items",
        meta,
        sa.Column("user", sa.String, primary_key=True),
        sa.Column("sku", sa.String, primary_key=True),
    )
    meta.create_all(engine)
    with engine.begin() as conn:
        conn.execute(
            products.insert(),
            [
                {"sku": "A-1", "name": "Mug", "price": 12.5, "stock": 4},
                {"sku": "B-2", "name": "Pen", "price": 3, "stock": 10},
            ],
        )
        conn.execute(cart.insert(), [{"user": "ann", "sku": "A-1"}])
    try:
        yield url, engine, (products, orders, cart)
    finally:
        engine.dispose()


async def test_a_sqlalchemy_app_database_is_judged(shop: tuple[str, Any, Any]) -> None:
    url, engine, (products, orders, cart) = shop
    spec = load_spec(SHOP_SPEC)
    source = SqlStateSource(url)
    before = await source.snapshot()
    assert before["products"]["A-1"] == {"sku": "A-1", "name": "Mug", "price": 12.5, "stock": 4}
    assert list(before["cart_items"]) == ["ann/A-1"]

    # The app places the order: insert, update and delete in one transaction.
    with engine.begin() as conn:
        conn.execute(
            orders.insert().values(id=1, sku="A-1", price=12.5, placed=datetime.date(2026, 12, 14))
        )
        conn.execute(products.update().where(products.c.sku == "A-1").values(stock=3))
        conn.execute(cart.delete().where(cart.c.user == "ann"))
    after = await source.snapshot()
    assert after["orders"] == {"1": {"id": 1, "sku": "A-1", "price": 12.5, "placed": "2026-12-14"}}
    verdict = judge(spec, before, after, escalated=False)
    assert verdict.passed, verdict.explain()

    # A buggy app charges the wrong price and reprices the product on the way.
    with engine.begin() as conn:
        conn.execute(orders.update().where(orders.c.id == 1).values(price=9.99))
        conn.execute(products.update().where(products.c.sku == "B-2").values(price=2))
    verdict = judge(spec, before, await source.snapshot(), escalated=False)
    assert not verdict.passed
    failures = {f.name: f for f in verdict.failures}
    assert set(failures) == {
        "one order at the catalogue price",
        "stock decremented",
        "prices unchanged",
        "not-allowed: products updated #B-2 (price)",
        "never reprice",
    }
    order = failures["one order at the catalogue price"]
    assert order.message.endswith("#1: products #A-1 has price 12.5 but price is 9.99")
    assert [r.pk for r in order.records] == ["1"]
    assert [r.pk for r in failures["never reprice"].records] == ["B-2"]
    assert "1 unexpected (#B-2)" in failures["prices unchanged"].message


async def test_a_file_that_is_not_a_database_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "junk.db").write_bytes(b"this is not a database file, " * 100)
    with pytest.raises(
        StateSourceError, match=r"could not read database '.*junk\.db': file is not"
    ):
        await SqlStateSource(f"sqlite:///{tmp_path / 'junk.db'}").snapshot()


async def test_unreachable_databases_are_named_with_the_password_masked() -> None:
    source = SqlStateSource("postgresql://app:s3cret@127.0.0.1:1/shop?connect_timeout=2")
    with pytest.raises(StateSourceError) as info:
        await source.snapshot()
    message = str(info.value)
    assert "'postgresql://app:***@127.0.0.1:1/shop?connect_timeout=2'" in message
    assert "s3cret" not in message


def test_views_are_not_tables(tmp_path: Path) -> None:
    conn = sqlite3.connect(tmp_path / "v.db")
    conn.executescript("CREATE TABLE t (id INTEGER PRIMARY KEY); CREATE VIEW v AS SELECT * FROM t;")
    conn.close()
    import asyncio

    assert asyncio.run(SqlStateSource(tmp_path / "v.db").snapshot()) == {"t": {}}


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (b"\x00\xff", "00ff"),
        (memoryview(b"\x01"), "01"),
        (Decimal("12.50"), 12.5),
        (Decimal("3.00"), 3),
        (Decimal("Infinity"), float("inf")),
        (datetime.datetime(2026, 12, 14, 9, 30), "2026-12-14T09:30:00"),
        (datetime.time(9, 30), "09:30:00"),
        (datetime.timedelta(minutes=1), 60.0),
        (uuid.UUID(int=1), "00000000-0000-0000-0000-000000000001"),
        ("text", "text"),
    ],
)
def test_values_become_json(value: object, expected: object) -> None:
    assert json_value(value) == expected


def test_tables_without_a_key_elsewhere_are_keyed_by_sorted_position() -> None:
    rows = [{"msg": "b", "n": 2}, {"msg": "a", "n": 1}, {"msg": "a", "n": 1}]
    assert key_rows("log", rows, [], None) == {
        "1": {"msg": "a", "n": 1},
        "2": {"msg": "a", "n": 1},
        "3": {"msg": "b", "n": 2},
    }
    # The same rows read in another order get the same keys.
    assert key_rows("log", rows[::-1], [], None) == key_rows("log", rows, [], None)


def test_key_rows_by_rowid_and_by_key() -> None:
    assert key_rows("t", [{"a": 1}], [], ["7"]) == {"7": {"a": 1}}
    assert key_rows("t", [{"a": None, "b": 2}], ["a", "b"], None) == {"null/2": {"a": None, "b": 2}}
    with pytest.raises(StateSourceError, match=r"table 't' has two rows with primary key '1'"):
        key_rows("t", [{"a": 1}, {"a": 1}], ["a"], None)


async def test_one_snapshot_is_one_read_transaction(
    tmp_path: Path, db: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_read_table = SqlStateSource._read_table

    def write_between_tables(self: SqlStateSource, conn: Any, inspector: Any, table: str) -> Any:
        rows = real_read_table(self, conn, inspector, table)
        if table == "bookings":  # the first table read: the app commits a write meanwhile
            app = sqlite3.connect(tmp_path / "app.db", isolation_level=None)
            app.execute("UPDATE seats SET holder = 'bo'")
            app.close()
        return rows

    monkeypatch.setattr(SqlStateSource, "_read_table", write_between_tables)
    state = await SqlStateSource(tmp_path / "app.db").snapshot()
    assert state["seats"]["LH1/12A"]["holder"] is None
    monkeypatch.undo()
    assert (await SqlStateSource(tmp_path / "app.db").snapshot())["seats"]["LH1/12A"][
        "holder"
    ] == "bo"
