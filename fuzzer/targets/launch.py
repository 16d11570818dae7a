"""Start one app instance from a target file's ``launch``, and stop its whole process group.

The command runs in a new session (its own process group) in a fresh ``{workdir}`` holding
copies of the ``copy`` files, on a free ``{port}`` of 127.0.0.1. It is ready once ``ready``
answers any HTTP status below 500. :meth:`AppProcess.stop` stops the group (SIGTERM, then
SIGKILL) and removes the workdir. A small watchdog process holds the read end of a pipe whose
write end only gymfuzz holds: when gymfuzz dies, even by SIGKILL, the watchdog sees the pipe
close, stops the group and removes the workdir, so neither outlives its run.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

from fuzzer.play.errors import HarnessError
from fuzzer.targets.spec import Launch

#: The watchdog: wait for stdin to close (gymfuzz stopped or died), then stop the group and
#: remove the workdir.
_WATCHDOG = """
import os, shutil, signal, sys, time
pgid, workdir = int(sys.argv[1]), sys.argv[2]
sys.stdin.buffer.read()
for sig, pause in ((signal.SIGTERM, 5.0), (signal.SIGKILL, 0.0)):
    try:
        os.killpg(pgid, sig)
    except ProcessLookupError:
        break
    end = time.monotonic() + pause
    while time.monotonic() < end:
        try:
            os.killpg(pgid, 0)
        except ProcessLookupError:
            break
        time.sleep(0.05)
shutil.rmtree(workdir, ignore_errors=True)
"""


def free_port() -> int:
    """A TCP port of 127.0.0.1 free right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def fill(text: str, *, port: int, workdir: Path) -> str:
    """``text`` with ``{port}``, ``{workdir}`` and ``{python}`` (the Python running gymfuzz)
    filled in; other braces are left as they are."""
    return (
        text.replace("{port}", str(port))
        .replace("{workdir}", str(workdir))
        .replace("{python}", sys.executable)
    )


class AppProcess:
    """One running app instance (see the module docstring); use :meth:`start`."""

    def __init__(self, launch: Launch, base: Path) -> None:
        self.launch = launch
        self.base = base
        self.port = 0
        self.workdir = Path()
        self._proc: subprocess.Popen[bytes] | None = None
        self._watchdog: subprocess.Popen[bytes] | None = None
        self._log: Path | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def pid(self) -> int | None:
        """The app's process id (its process group id too), once started."""
        return self._proc.pid if self._proc else None

    @property
    def returncode(self) -> int | None:
        """The app's exit code once it exited, ``None`` while it runs (or before start)."""
        return None if self._proc is None else self._proc.poll()

    def fill(self, text: str) -> str:
        """``text`` with this instance's ``{port}`` and ``{workdir}``."""
        return fill(text, port=self.port, workdir=self.workdir)

    def start(self) -> AppProcess:
        """Copy the files, start the command, wait until ready; stop all on failure."""
        self.port = free_port()
        self.workdir = Path(tempfile.mkdtemp(prefix="gymfuzz-app-"))
        try:
            self._spawn()
            self._wait_ready()
        except BaseException:
            self.stop()
            raise
        return self

    def _spawn(self) -> None:
        cwd = (self.base / self.launch.cwd).resolve()
        for name in self.launch.copy_files:
            src = (cwd / name).resolve()
            if not src.exists():
                raise HarnessError(f"launch.copy: {src} does not exist")
            dst = self.workdir / Path(name).name
            if src.is_dir():
                shutil.copytree(src, dst)
            else:
                shutil.copy2(src, dst)
        env = {**os.environ, **{k: self.fill(v) for k, v in self.launch.env.items()}}
        command = [self.fill(part) for part in self.launch.command]
        self._log = self.workdir / ".gymfuzz-app.log"
        with self._log.open("wb") as log:
            try:
                self._proc = subprocess.Popen(
                    command,
                    cwd=cwd,
                    env=env,
                    stdin=subprocess.DEVNULL,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                    start_new_session=True,
                )
            except OSError as exc:
                raise HarnessError(f"launch.command: cannot start {command[0]!r}: {exc}") from None
        self._watchdog = subprocess.Popen(
            [sys.executable, "-c", _WATCHDOG, str(self._proc.pid), str(self.workdir)],
            stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )

    def _wait_ready(self) -> None:
        assert self._proc is not None
        url = self.url + self.launch.ready
        deadline = time.monotonic() + self.launch.timeout_s
        while time.monotonic() < deadline:
            if self._proc.poll() is not None:
                raise HarnessError(
                    f"app exited with code {self._proc.returncode} before {url} answered; "
                    f"its output ends: {self.output_tail()}"
                )
            try:
                if httpx.get(url, timeout=2).status_code < 500:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        raise HarnessError(
            f"app did not answer {url} within {self.launch.timeout_s:g} s; "
            f"its output ends: {self.output_tail()}"
        )

    def output_tail(self, lines: int = 5) -> str:
        """The last lines the app printed (for error messages)."""
        try:
            text = self._log.read_text(errors="replace") if self._log else ""
        except OSError:
            text = ""
        return " | ".join(text.strip().splitlines()[-lines:]) or "(nothing)"

    def stop(self, grace: float = 5.0) -> None:
        """Stop the process group and the watchdog, remove the workdir; idempotent."""
        proc, self._proc = self._proc, None
        if proc is not None and proc.poll() is None:
            for sig, wait in ((signal.SIGTERM, grace), (signal.SIGKILL, 5.0)):
                try:
                    os.killpg(proc.pid, sig)
                except ProcessLookupError:
                    break
                try:
                    proc.wait(timeout=wait)
                    break
                except subprocess.TimeoutExpired:
                    continue
        if proc is not None:
            _kill_group_leftovers(proc.pid)
        watchdog, self._watchdog = self._watchdog, None
        if watchdog is not None:
            if watchdog.stdin is not None:
                watchdog.stdin.close()
            try:
                watchdog.wait(timeout=10)
            except subprocess.TimeoutExpired:
                watchdog.kill()
                watchdog.wait()
        if self.workdir != Path() and self.workdir.exists():
            shutil.rmtree(self.workdir, ignore_errors=True)


def _kill_group_leftovers(pgid: int) -> None:
    """Children that outlived the group leader (a server's workers) are killed too."""
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pgid, signal.SIGKILL)
