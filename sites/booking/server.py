"""Run the booking site: here (:func:`serve`) or in a child process (:class:`SiteProcess`).

:func:`serve` blocks and, as soon as the socket listens, prints exactly one line to stdout::

    gymfuzz-site listening on http://127.0.0.1:40123

so a parent process learns the port even with ``port=0``. When the admin token was
generated rather than given, a second line ``admin token: ...`` follows. With
``exit_with_stdin`` the site also stops when its stdin reaches end of file: a parent that
holds the only write end of that pipe takes the site with it when it dies, even by SIGKILL.

:class:`SiteProcess` does that for you::

    with SiteProcess() as site:
        httpx.get(f"{site.url}/api/config")
        httpx.get(f"{site.url}/_admin/tenants/default/state",
                  headers={"X-Admin-Token": site.admin_token})
"""

from __future__ import annotations

import contextlib
import os
import queue
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
from pathlib import Path
from types import TracebackType
from typing import IO, Self

import uvicorn

from sites.booking.app import create_app

#: Seconds the site keeps an idle keep-alive connection open.
KEEP_ALIVE_S = 300

#: Environment variable read for the admin token when none is given.
TOKEN_ENV = "GYMFUZZ_ADMIN_TOKEN"

#: Prefix of the line :func:`serve` prints once it listens.
LISTENING_PREFIX = "gymfuzz-site listening on "


def _url(host: str, port: int) -> str:
    return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"


class _AnnouncingServer(uvicorn.Server):
    """A uvicorn server that prints the listening line once its socket is bound."""

    def __init__(
        self, config: uvicorn.Config, token_line: str | None, *, exit_with_stdin: bool = False
    ) -> None:
        super().__init__(config)
        self._token_line = token_line
        self._exit_with_stdin = exit_with_stdin

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        await super().startup(sockets)
        if self.should_exit or not self.servers:
            return
        # With port 0 the kernel picked the port: read it back from the bound socket.
        port = self.servers[0].sockets[0].getsockname()[1]
        print(LISTENING_PREFIX + _url(self.config.host, port), flush=True)
        if self._token_line:
            print(self._token_line, flush=True)
        if self._exit_with_stdin:
            threading.Thread(target=self._exit_at_eof, name="stdin-watch", daemon=True).start()

    def _exit_at_eof(self) -> None:
        """Wait for stdin to close (the parent stopped or died), then stop serving."""
        with contextlib.suppress(OSError, ValueError):
            while sys.stdin.buffer.read(4096):
                pass
        self.should_exit = True


def serve(
    host: str = "127.0.0.1",
    port: int = 0,
    data_dir: Path | None = None,
    admin_token: str | None = None,
    *,
    exit_with_stdin: bool = False,
    remove_data_dir: bool = False,
    single_tenant: bool = False,
) -> None:
    """Serve the booking site until interrupted (SIGINT/SIGTERM).

    Args:
        host: Interface to bind; keep the default unless others must reach the site.
        port: TCP port; 0 binds a free one (printed on the listening line).
        data_dir: Where the tenants' SQLite files live; ``None`` uses a temporary directory
            that is removed when the server stops.
        admin_token: Secret for the admin API; ``None`` reads ``GYMFUZZ_ADMIN_TOKEN``, or
            generates one and prints it as ``admin token: ...``.
        exit_with_stdin: Also stop when stdin reaches end of file (the parent closed its end
            of the pipe, or died).
        remove_data_dir: Remove ``data_dir`` when the server stops (it was made for this
            server alone).
        single_tenant: One database for every request, the episode header ignored (see
            :func:`~sites.booking.app.create_app`).
    """
    token_line = None
    if admin_token is None:
        admin_token = os.environ.get(TOKEN_ENV) or None
    if admin_token is None:
        admin_token = secrets.token_urlsafe(24)
        token_line = f"admin token: {admin_token}"
    with contextlib.ExitStack() as stack:
        if data_dir is not None and remove_data_dir:
            stack.callback(shutil.rmtree, data_dir, ignore_errors=True)
        if data_dir is None:  # only then: a folder given is the caller's to remove
            data_dir = Path(
                stack.enter_context(tempfile.TemporaryDirectory(prefix="gymfuzz-site-"))
            )
        app = create_app(data_dir, admin_token, single_tenant=single_tenant)
        config = uvicorn.Config(
            app,
            host=host,
            port=port,
            log_level="warning",
            access_log=False,
            timeout_graceful_shutdown=3,
            # Longer than a proxy keeps an idle upstream connection: with uvicorn's 5 s
            # default, a request sent on a connection the site was closing failed as
            # "server closed connection" (a lost script, a page that never ran).
            timeout_keep_alive=KEEP_ALIVE_S,
        )
        _AnnouncingServer(config, token_line, exit_with_stdin=exit_with_stdin).run()


class SiteProcess:
    """The booking site running in a child process (``python -m sites.booking --port 0``).

    Like :class:`subprocess.Popen`, it starts in the constructor; use it as a context
    manager or call :meth:`stop`. The site's stdout is drained in a background thread and its
    stderr goes to a temporary file, so a chatty child never blocks. The child's stdin is a
    pipe whose write end only this object holds: when the parent dies, even by SIGKILL, the
    site sees end of file and stops (``--exit-with-stdin``).

    Args:
        data_dir: Where the tenants' databases live; ``None`` uses a temporary directory that
            :meth:`stop` removes.
        admin_token: Admin token to give the site; ``None`` generates one.
        host: Interface to bind.
        startup_timeout: Seconds to wait for the listening line.

    Raises:
        RuntimeError: The child exited or did not listen in time; the message includes its
            stderr.

    Attributes:
        url: Base URL, e.g. ``"http://127.0.0.1:40123"`` (no trailing slash).
        admin_token: The token the admin API expects in ``X-Admin-Token``.
        data_dir: The directory holding the tenants' databases.
    """

    def __init__(
        self,
        *,
        data_dir: Path | None = None,
        admin_token: str | None = None,
        host: str = "127.0.0.1",
        startup_timeout: float = 20.0,
    ) -> None:
        self.admin_token = admin_token or secrets.token_urlsafe(24)
        self._own_dir = data_dir is None
        self.data_dir = data_dir or Path(tempfile.mkdtemp(prefix="gymfuzz-site-"))
        # Lives as long as the child; closed in stop().
        self._stderr = tempfile.TemporaryFile()  # noqa: SIM115
        package_root = str(Path(__file__).resolve().parents[2])
        env = dict(os.environ)
        # The token goes through the environment so it never shows up in `ps`.
        env[TOKEN_ENV] = self.admin_token
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [package_root, env.get("PYTHONPATH")]))
        env["PYTHONUNBUFFERED"] = "1"
        self._proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "sites.booking",
                "--host",
                host,
                "--port",
                "0",
                "--data-dir",
                str(self.data_dir),
                "--exit-with-stdin",
                *(["--remove-data-dir"] if self._own_dir else []),
            ],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self._stderr,
            env=env,
            text=True,
        )
        assert self._proc.stdout is not None
        self._lines: queue.Queue[str | None] = queue.Queue()
        self._reader = threading.Thread(
            target=_pump, args=(self._proc.stdout, self._lines), daemon=True
        )
        self._reader.start()
        try:
            self.url = self._wait_listening(startup_timeout)
        except BaseException:
            self.stop()
            raise

    def _wait_listening(self, timeout: float) -> str:
        try:
            while True:
                line = self._lines.get(timeout=timeout)
                if line is None:
                    self._proc.wait(timeout=5)
                    raise RuntimeError(
                        f"booking site exited with code {self._proc.returncode} before"
                        f" listening; its stderr:\n{self._stderr_text()}"
                    )
                if line.startswith(LISTENING_PREFIX):
                    return line.removeprefix(LISTENING_PREFIX).strip()
        except queue.Empty:
            raise RuntimeError(
                f"booking site did not print its listening line within {timeout:g} s;"
                f" its stderr:\n{self._stderr_text()}"
            ) from None

    def _stderr_text(self) -> str:
        self._stderr.seek(0)
        return self._stderr.read().decode(errors="replace").strip() or "(empty)"

    @property
    def pid(self) -> int:
        """The child's process id."""
        return self._proc.pid

    @property
    def returncode(self) -> int | None:
        """The child's exit code, or ``None`` while it runs."""
        return self._proc.poll()

    def stop(self, grace: float = 5.0) -> None:
        """Terminate the site (SIGTERM, then SIGKILL after *grace* seconds); idempotent."""
        if self._proc.stdin is not None:
            with contextlib.suppress(OSError):
                self._proc.stdin.close()
        if self._proc.poll() is None:
            self._proc.terminate()
            try:
                self._proc.wait(timeout=grace)
            except subprocess.TimeoutExpired:
                self._proc.kill()
                self._proc.wait()
        self._reader.join(timeout=5)
        if self._proc.stdout is not None:
            self._proc.stdout.close()
        self._stderr.close()
        if self._own_dir:
            shutil.rmtree(self.data_dir, ignore_errors=True)

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()


def _pump(stream: IO[str], lines: queue.Queue[str | None]) -> None:
    """Forward the child's stdout lines to *lines*, then ``None`` at end of stream."""
    for line in stream:
        lines.put(line)
    lines.put(None)
