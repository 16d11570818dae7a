"""An app from a target file: reset by restore, snapshots without the ignored writes, one
episode per instance under isolation: worker."""

from __future__ import annotations

import asyncio
import re
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from fuzzer.gym.miniwob import serve_folder
from fuzzer.play.errors import HarnessError
from fuzzer.targets.app import AppTarget
from fuzzer.targets.spec import TargetFileError
from scenarios.model import Scenario

pytest.importorskip("sqlalchemy")


def scenario() -> Scenario:
    from scenarios.generate import iter_scenarios

    return next(iter_scenarios("calendar", count=1, seed=1))


@pytest.fixture
def app_file(tmp_path: Path) -> Iterator[Path]:
    with sqlite3.connect(tmp_path / "app.db") as conn:
        conn.executescript(
            "CREATE TABLE item (id INTEGER PRIMARY KEY, name TEXT, seen TEXT);"
            "CREATE TABLE session (key TEXT PRIMARY KEY);"
            "INSERT INTO item VALUES (1, 'a', 't0');"
        )
    path = tmp_path / "app.yaml"
    with serve_folder(tmp_path) as url:
        path.write_text(
            f"url: {url}\nstate: sqlite:///{{workdir}}/app.db\nignore: [session, item.seen]\n"
        )
        yield path


async def test_a_url_nothing_answers_at_fails_before_any_state_is_read(tmp_path: Path) -> None:
    """A running app's ``url`` is checked first: nothing answering there is a target file
    error naming the file, the field and the value, and the state file is not touched."""
    with serve_folder(tmp_path) as url:
        pass  # the port is free again: nothing answers there now
    path = tmp_path / "app.yaml"
    path.write_text(f"url: {url}\nstate: sqlite:///{{workdir}}/app.db\n")
    target = AppTarget.from_file(path)
    with pytest.raises(TargetFileError) as caught:
        await target.start()
    assert str(caught.value).startswith(f"{path}: url: nothing answers at {url!r} (")
    assert "start the app first, or give 'launch'" in str(caught.value)
    assert target.instances == []
    assert not (tmp_path / "app.db").exists()


async def test_an_app_that_will_not_launch_names_the_file_and_launch(tmp_path: Path) -> None:
    path = tmp_path / "app.yaml"
    path.write_text(
        "launch:\n"
        "  command: ['{python}', '-c', 'import sys; print(\"no config\"); sys.exit(4)']\n"
        "  ready: /\n"
        "state: sqlite:///{workdir}/app.db\n"
    )
    target = AppTarget.from_file(path)
    with pytest.raises(
        HarnessError,
        match=rf"^{re.escape(str(path))}: launch: app exited "
        r"with code 4 before .* answered; its output ends: no config",
    ):
        await target.start()
    assert target.instances == []


async def test_reset_restores_and_snapshots_leave_ignored_writes_out(
    app_file: Path, tmp_path: Path
) -> None:
    target = AppTarget.from_file(app_file)
    await target.start()
    try:
        await target.reset("e1", scenario())
        start = await target.snapshot("e1")
        assert start == {"item": {"1": {"id": 1, "name": "a"}}}
        with sqlite3.connect(tmp_path / "app.db") as conn:
            conn.execute("INSERT INTO item VALUES (2, 'b', 't1')")
            conn.execute("UPDATE item SET seen = 't1' WHERE id = 1")
            conn.execute("INSERT INTO session VALUES ('s')")
        assert await target.snapshot("e1") == {
            "item": {"1": {"id": 1, "name": "a"}, "2": {"id": 2, "name": "b"}}
        }
        await target.release("e1")
        await target.reset("e2", scenario())
        assert await target.snapshot("e2") == start
        await target.release("e2")
    finally:
        await target.stop()


async def test_one_episode_at_a_time_per_instance(app_file: Path) -> None:
    target = AppTarget.from_file(app_file)
    await target.start()
    try:
        await target.reset("e1", scenario())
        second = asyncio.create_task(target.reset("e2", scenario()))
        await asyncio.sleep(0.2)
        assert not second.done()  # the only instance is busy with e1
        await target.release("e1")
        await asyncio.wait_for(second, 10)
        assert target.instance_of("e2") is target.instances[0]
        with pytest.raises(HarnessError, match="e1: no app instance"):
            target.instance_of("e1")
    finally:
        await target.stop()


async def test_an_app_that_died_is_launched_again_by_heal(tmp_path: Path) -> None:
    """The harness heals a target between attempts: an instance whose app exited is
    launched again (new port and workdir, its restore snapshot taken anew)."""
    import os
    import signal

    with sqlite3.connect(tmp_path / "app.db") as conn:
        conn.executescript("CREATE TABLE item (id INTEGER PRIMARY KEY, name TEXT);")
        conn.execute("INSERT INTO item VALUES (1, 'a')")
    path = tmp_path / "app.yaml"
    path.write_text(
        "name: tiny\n"
        "launch:\n"
        "  command: ['{python}', '-m', 'http.server', '{port}', '--bind', '127.0.0.1']\n"
        "  copy: [app.db]\n"
        "  ready: /\n"
        "state: sqlite:///{workdir}/app.db\n"
    )
    target = AppTarget.from_file(path)
    await target.start()
    try:
        assert await target.heal() is None  # all is well: nothing restarted
        instance = target.instances[0]
        assert instance.process is not None and instance.process.pid is not None
        old_url, old_pid = instance.url, instance.process.pid
        os.kill(old_pid, signal.SIGKILL)
        for _ in range(100):
            if instance.process.returncode is not None:
                break
            await asyncio.sleep(0.05)
        note = await target.heal()
        assert note is not None and "tiny: the app had exited (code -9); restarted at" in note
        assert instance.url != old_url and instance.process.pid != old_pid
        await target.reset("e1", scenario())
        assert await target.snapshot("e1") == {"item": {"1": {"id": 1, "name": "a"}}}
        await target.release("e1")
    finally:
        await target.stop()
