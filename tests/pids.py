"""Whether a process is still alive, for tests that kill a parent and expect its children gone,
and a kill in the middle of a run, for tests that resume it."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:  # a zombie is dead for our purpose
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().split()[2] != "Z"
    except OSError:
        return False


def wait_dead(pid: int, seconds: float = 20.0) -> bool:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if not alive(pid):
            return True
        time.sleep(0.1)
    return False


def kill_when_written(
    cmd: list[str], cwd: Path, path: Path, lines: int, seconds: float = 120.0
) -> None:
    """Start ``cmd`` in a session of its own, wait until ``path`` holds ``lines`` lines, then
    SIGKILL the whole session (so the kill takes its site and browser down with it); after
    ``seconds`` without them, kill anyway (the caller checks what was written). Fails the
    test when the run ended by itself before the kill."""
    proc = subprocess.Popen(
        cmd, cwd=cwd, start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline and proc.poll() is None:
            if path.exists() and len(path.read_bytes().splitlines()) >= lines:
                break
            time.sleep(0.05)
        assert proc.poll() is None, "the run ended before it could be killed"
        os.killpg(proc.pid, signal.SIGKILL)
    finally:
        proc.wait(timeout=30)
