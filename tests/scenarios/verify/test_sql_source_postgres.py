"""`SqlStateSource` against a real PostgreSQL server started for these tests.

Skipped when the PostgreSQL server binaries or the ``psycopg`` driver are not installed.
"""

from __future__ import annotations

import datetime
import os
import pwd
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from scenarios.verify import SqlStateSource, StateSourceError, judge, load_spec

pytest.importorskip("psycopg")
sa = pytest.importorskip("sqlalchemy")


def _has_user(name: str) -> bool:
    try:
        pwd.getpwnam(name)
    except KeyError:
        return False
    return True


_FOUND = shutil.which("initdb") or next(
    (str(p) for p in sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"))), None
)
if _FOUND is None:
    pytest.skip("PostgreSQL server binaries are not installed", allow_module_level=True)
INITDB: str = _FOUND or ""
if os.geteuid() == 0 and not _has_user("postgres"):
    pytest.skip("as root, the server needs a 'postgres' system user", allow_module_level=True)
# runuser lives in /usr/sbin, which a non-login PATH may leave out
RUNUSER = shutil.which("runuser") or "/usr/sbin/runuser"
if os.geteuid() == 0 and not Path(RUNUSER).exists():
    pytest.skip("as root, the server is started with runuser (util-linux)", allow_module_level=True)
PG_CTL = str(Path(INITDB).with_name("pg_ctl"))
PORT = 55432  # names the socket file only: the server listens on no TCP port


def _as_server_user(args: list[str]) -> list[str]:
    # PostgreSQL refuses to run as root; as root, run it as the 'postgres' system user.
    return [RUNUSER, "-u", "postgres", "--", *args] if os.geteuid() == 0 else args


@pytest.fixture(scope="module")
def pg_url() -> Iterator[str]:
    folder = Path(tempfile.mkdtemp(prefix="gymfuzz-pg-"))
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres")
    data = folder / "data"
    subprocess.run(
        _as_server_user([INITDB, "-D", str(data), "-A", "trust", "-U", "app", "--no-sync"]),
        check=True,
        capture_output=True,
    )
    options = f"-c listen_addresses='' -k {folder} -p {PORT} -c fsync=off"
    start = [PG_CTL, "-D", str(data), "-o", options, "-l", str(folder / "log"), "-w", "start"]
    subprocess.run(_as_server_user(start), check=True, capture_output=True)
    try:
        yield f"postgresql+psycopg://app:pw@/postgres?host={folder}&port={PORT}"
    finally:
        stop = [PG_CTL, "-D", str(data), "-m", "fast", "-w", "stop"]
        subprocess.run(_as_server_user(stop), check=False, capture_output=True)
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def shop(pg_url: str) -> Iterator[tuple[Any, dict[str, Any]]]:
    engine = sa.create_engine(pg_url)
    meta = sa.MetaData()
    tables = {
        "products": sa.Table(
            "products",
            meta,
            sa.Column("sku", sa.String, primary_key=True),
            sa.Column("price", sa.Numeric(10, 2)),
            sa.Column("stock", sa.Integer),
        ),
        "orders": sa.Table(
            "orders",
            meta,
            sa.Column("id", sa.Integer, primary_key=True),
            sa.Column("sku", sa.String),
            sa.Column("price", sa.Numeric(10, 2)),
            sa.Column("placed", sa.Date),
        ),
        "seats": sa.Table(
            "seats",
            meta,
            sa.Column("seat", sa.String, primary_key=True),
            sa.Column("flight", sa.String, primary_key=True),
            sa.Column("holder", sa.String),
        ),
        "log": sa.Table("log", meta, sa.Column("msg", sa.String)),
    }
    meta.drop_all(engine)
    meta.create_all(engine)
    with engine.begin() as conn:
        conn.execute(tables["products"].insert(), [{"sku": "A-1", "price": 12.5, "stock": 4}])
        conn.execute(tables["seats"].insert(), [{"flight": "LH1", "seat": "12A", "holder": None}])
        conn.execute(tables["log"].insert(), [{"msg": "b"}, {"msg": "a"}])
    try:
        yield engine, tables
    finally:
        meta.drop_all(engine)
        engine.dispose()


SPEC = {
    "required": [
        {
            "name": "one order at the catalogue price",
            "table": "orders",
            "op": "added",
            "join": {"table": "products", "on": {"sku": "sku"}, "equal": {"price": "price"}},
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
        {"name": "order", "table": "orders", "ops": ["added"]},
        {"name": "take stock", "table": "products", "ops": ["updated"], "fields": ["stock"]},
        {"name": "take the seat", "table": "seats", "ops": ["updated"], "fields": ["holder"]},
        {"name": "log", "table": "log", "ops": ["added"]},
    ],
}


async def test_a_postgresql_database_is_snapshotted_and_judged(
    pg_url: str, shop: tuple[Any, dict[str, Any]]
) -> None:
    engine, t = shop
    source = SqlStateSource(pg_url)
    before = await source.snapshot()
    assert before == {
        "log": {"1": {"msg": "a"}, "2": {"msg": "b"}},  # no key: position once sorted
        "orders": {},
        "products": {"A-1": {"sku": "A-1", "price": 12.5, "stock": 4}},
        "seats": {"12A/LH1": {"seat": "12A", "flight": "LH1", "holder": None}},
    }
    with engine.begin() as conn:
        conn.execute(
            t["orders"]
            .insert()
            .values(id=7, sku="A-1", price=12.5, placed=datetime.date(2026, 12, 14))
        )
        conn.execute(t["products"].update().values(stock=3))
        conn.execute(t["seats"].update().values(holder="ann"))
        conn.execute(t["log"].insert().values(msg="c"))
    after = await source.snapshot()
    assert after["orders"] == {"7": {"id": 7, "sku": "A-1", "price": 12.5, "placed": "2026-12-14"}}
    verdict = judge(load_spec(SPEC), before, after, escalated=False)
    assert verdict.passed, verdict.explain()

    with engine.begin() as conn:
        conn.execute(t["orders"].update().values(price=1))
        conn.execute(t["products"].delete().where(t["products"].c.sku == "none"))
        conn.execute(t["seats"].delete())
    verdict = judge(load_spec(SPEC), before, await source.snapshot(), escalated=False)
    assert [f.name for f in verdict.failures] == [
        "one order at the catalogue price",
        "seat taken",
        "not-allowed: seats removed #12A/LH1",
    ]
    assert verdict.failures[0].message.endswith("#7: products #A-1 has price 12.5 but price is 1")


async def test_one_snapshot_is_one_repeatable_read_transaction(
    pg_url: str, shop: tuple[Any, dict[str, Any]], monkeypatch: pytest.MonkeyPatch
) -> None:
    engine, t = shop
    real_read_table = SqlStateSource._read_table

    def write_between_tables(self: SqlStateSource, conn: Any, inspector: Any, table: str) -> Any:
        rows = real_read_table(self, conn, inspector, table)
        if table == "log":  # the first table read: the app commits a write to all of them
            with engine.begin() as other:
                other.execute(t["orders"].insert().values(id=1, sku="A-1", price=1))
                other.execute(t["products"].update().values(stock=0))
        return rows

    monkeypatch.setattr(SqlStateSource, "_read_table", write_between_tables)
    state = await SqlStateSource(pg_url).snapshot()
    assert state["orders"] == {}
    assert state["products"]["A-1"]["stock"] == 4
    monkeypatch.undo()
    assert list((await SqlStateSource(pg_url).snapshot())["orders"]) == ["1"]


async def test_named_tables_and_unknown_ones(pg_url: str, shop: object) -> None:
    assert list(await SqlStateSource(pg_url, tables=["seats"]).snapshot()) == ["seats"]
    with pytest.raises(StateSourceError, match=r"has no table\(s\) \['nope'\]; it has \['log'"):
        await SqlStateSource(pg_url, tables=["nope"]).snapshot()


async def test_an_unreachable_server_is_named_with_the_password_masked(pg_url: str) -> None:
    url = pg_url.replace("pw@", "s3cret@").replace(f"port={PORT}", f"port={PORT + 1}")
    with pytest.raises(StateSourceError) as info:
        await SqlStateSource(url).snapshot()
    message = str(info.value)
    assert message.startswith("could not read database 'postgresql+psycopg://app:***@/postgres?")
    assert "s3cret" not in message
