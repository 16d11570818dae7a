"""``gymfuzz run`` says so when the harness, not the agent, failed most episodes."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest

from fuzzer.gym.miniwob import serve_folder
from fuzzer.targets.launch import free_port
from scenarios.generate import generate_pack
from tests.cli import assert_usage_error, gymfuzz

ROOT = Path(__file__).resolve().parents[3]


@pytest.mark.browser
@pytest.mark.proxy
def test_a_run_of_harness_errors_exits_non_zero_and_names_them(tmp_path: Path) -> None:
    pack = tmp_path / "pack"
    generate_pack(pack, drill="dropdown", count=2, seed=0)
    target = tmp_path / "app.yaml"
    out = tmp_path / "r.jsonl"
    with serve_folder(tmp_path) as url:  # an app that answers, but whose state cannot be read
        target.write_text(f"url: {url}\nstate: sqlite:///{tmp_path}/missing.db\nreset: none\n")
        proc = gymfuzz(
            *("run", str(pack), "--agent", "noop", "--target", str(target)),
            *("--out", str(out), "--workers", "1"),
        )
    assert proc.returncode == 3, proc.stdout + proc.stderr
    assert "gymfuzz: error: 2 of 2 episodes ended in a harness error" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert "harness errors: 2 (not counted above)" in proc.stdout
    assert "missing.db" in proc.stdout  # each error line says what failed


def test_a_bad_target_file_is_one_line_and_exit_2(tmp_path: Path) -> None:
    target = tmp_path / "app.yaml"
    target.write_text("url: http://127.0.0.1:1\nstate: sqlite:///x.db\nisolation: tenant\n")
    proc = gymfuzz(
        *("run", str(tmp_path / "nopack"), "--agent", "noop", "--target", str(target)),
        *("--out", str(tmp_path / "r.jsonl")),
    )
    assert proc.returncode == 2
    assert proc.stderr.strip() == (
        f"gymfuzz: error: {target}:3: isolation: 'tenant' is not one of 'worker' or 'header'"
    )
    assert not (tmp_path / "r.jsonl").exists()


def test_a_url_nothing_answers_at_is_exit_2_before_anything_is_written(tmp_path: Path) -> None:
    pack = tmp_path / "pack"
    generate_pack(pack, drill="dropdown", count=1, seed=0)
    url = f"http://127.0.0.1:{free_port()}"
    target = tmp_path / "app.yaml"
    target.write_text(f"url: {url}\nstate: sqlite:///{tmp_path}/app.db\n")
    out = tmp_path / "r.jsonl"
    proc = gymfuzz(
        *("run", str(pack), "--agent", "careful", "--target", str(target), "--out", str(out))
    )
    assert_usage_error(proc, f"gymfuzz: error: {target}: url: nothing answers at {url!r} (")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["app.yaml", "pack"]


def test_an_app_that_will_not_launch_is_exit_3_and_one_line(tmp_path: Path) -> None:
    pack = tmp_path / "pack"
    generate_pack(pack, drill="dropdown", count=1, seed=0)
    target = tmp_path / "app.yaml"
    target.write_text(
        "launch:\n"
        "  command: ['{python}', '-c', 'raise SystemExit(\"bad settings\")']\n"
        "  ready: /\n"
        "state: sqlite:///{workdir}/app.db\n"
    )
    out = tmp_path / "r.jsonl"
    proc = gymfuzz(
        *("run", str(pack), "--agent", "careful", "--target", str(target), "--out", str(out))
    )
    assert proc.returncode == 3, proc.stderr
    assert proc.stderr.startswith(f"gymfuzz: error: {target}: launch: app exited with code 1")
    assert proc.stderr.rstrip().endswith("its output ends: bad settings")
    assert "Traceback" not in proc.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["app.yaml", "pack"]


@pytest.mark.browser
@pytest.mark.proxy
@pytest.mark.parametrize("target", ["embedded", "django"])
def test_no_temporary_directory_outlives_a_run(tmp_path: Path, target: str) -> None:
    """Site data, app workdirs, browser profiles: everything a run puts in the temporary
    folder is gone when it ends (its ledgers and journal live beside --out)."""
    if target == "django":
        pytest.importorskip("django")
    example = ROOT / "examples" / "django_calendar"
    pack = tmp_path / "pack"
    if target == "django":
        generate_pack(pack, drill="", count=2, seed=1, graph=example / "graph.json")
    else:
        generate_pack(pack, drill="dropdown", count=2, seed=0)
    # short: Chromium's socket paths under TMPDIR must fit in 108 bytes
    tmp = Path(tempfile.mkdtemp(prefix="gf-", dir="/tmp"))
    args = ["run", str(pack), "--agent", "noop", "--out", str(tmp_path / "r.jsonl")]
    if target == "django":
        args += ["--target", str(example / "target.yaml")]
    proc = gymfuzz(*args, "--workers", "2", env={**os.environ, "TMPDIR": str(tmp)})
    try:
        assert proc.returncode == 0, proc.stdout + proc.stderr
        assert "harness errors" not in proc.stdout or "harness errors: 0" in proc.stdout
        assert sorted(p.name for p in tmp.iterdir()) == []
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


@pytest.mark.browser
def test_a_chromium_that_cannot_start_is_one_line_and_exit_2(tmp_path: Path) -> None:
    """A TMPDIR too deep for Chromium's socket path: it aborts at start; gymfuzz says so."""
    pack = tmp_path / "pack"
    generate_pack(pack, drill="dropdown", count=1, seed=0)
    deep = tmp_path / ("d" * 60) / ("e" * 60)
    deep.mkdir(parents=True)
    out = tmp_path / "r.jsonl"
    proc = gymfuzz(
        "run", str(pack), "--agent", "noop", "--out", str(out), timeout=300,
        env={**os.environ, "TMPDIR": str(deep)},
    )  # fmt: skip
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert "Traceback" not in proc.stderr
    assert "did not start" in proc.stderr
