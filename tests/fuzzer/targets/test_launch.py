"""Launching an app instance: own workdir and port, ready when it answers, whole group stopped,
also when gymfuzz itself is killed."""

from __future__ import annotations

import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from fuzzer.play.errors import HarnessError
from fuzzer.targets.launch import AppProcess
from fuzzer.targets.spec import Launch
from tests.pids import alive, wait_dead

SERVE = [sys.executable, "-m", "http.server", "{port}", "--bind", "127.0.0.1"]


def test_instance_serves_its_own_copy_and_stops_cleanly(tmp_path: Path) -> None:
    (tmp_path / "hello.txt").write_text("hi")
    launch = Launch.model_validate(
        {
            "command": [*SERVE, "--directory", "{workdir}"],
            "copy": ["hello.txt"],
            "ready": "/hello.txt",
        }
    )
    a = AppProcess(launch, tmp_path).start()
    b = AppProcess(launch, tmp_path).start()
    try:
        assert a.port != b.port and a.workdir != b.workdir
        assert httpx.get(a.url + "/hello.txt").text == "hi"
        (a.workdir / "hello.txt").write_text("changed")
        assert httpx.get(b.url + "/hello.txt").text == "hi"  # workers never share state
    finally:
        pid, workdir = a.pid, a.workdir
        a.stop()
        b.stop()
    assert pid is not None and wait_dead(pid)
    assert not workdir.exists()


def test_an_app_that_exits_is_a_harness_error_with_its_output(tmp_path: Path) -> None:
    launch = Launch.model_validate(
        {"command": [sys.executable, "-c", "print('no database'); raise SystemExit(3)"]}
    )
    with pytest.raises(HarnessError, match=r"exited with code 3 .*no database"):
        AppProcess(launch, tmp_path).start()


def test_the_app_dies_with_gymfuzz_even_under_sigkill(tmp_path: Path) -> None:
    script = tmp_path / "run.py"
    script.write_text(
        "import sys, time\n"
        "from pathlib import Path\n"
        "from fuzzer.targets.launch import AppProcess\n"
        "from fuzzer.targets.spec import Launch\n"
        f"launch = Launch.model_validate({{'command': {SERVE!r}}})\n"
        "app = AppProcess(launch, Path('.')).start()\n"
        "print(app.pid, app.workdir, flush=True)\n"
        "time.sleep(600)\n"
    )
    proc = subprocess.Popen([sys.executable, str(script)], stdout=subprocess.PIPE, text=True)
    workdir = ""
    try:
        assert proc.stdout is not None
        pid_text, workdir = proc.stdout.readline().split()
        app_pid = int(pid_text)
        assert alive(app_pid)
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)
        assert wait_dead(app_pid), "the app outlived the killed run"
        end = time.monotonic() + 20
        while Path(workdir).exists() and time.monotonic() < end:
            time.sleep(0.1)
        assert not Path(workdir).exists(), "the workdir outlived the killed run"
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        if proc.stdout is not None:
            proc.stdout.close()
        if workdir:
            shutil.rmtree(workdir, ignore_errors=True)
