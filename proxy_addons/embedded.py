"""Run mitmproxy in-process, on its own thread and event loop.

:class:`EmbeddedProxy` is how the gymfuzz runner puts a real mitmproxy in front of an app::

    with EmbeddedProxy(upstream="http://127.0.0.1:8000", ledger_dir=Path("ledgers")) as proxy:
        proxy.set_plan({"episode": "ep-1", "seed": 7, "faults": [...], "page_script": js})
        # browser context: proxy={"server": proxy.url, "username": "ep-1", "password": "x"}
        ...
        await proxy.wait_idle("ep-1")

It listens on two ports of ``listen_host``: :attr:`~EmbeddedProxy.url`, a regular (forward)
proxy whose clients name their episode as the proxy username (challenged with 407 when they
send no credentials), and, when ``upstream`` is given, :attr:`~EmbeddedProxy.reverse_url`, a
reverse proxy in front of the app for clients that cannot use a proxy (they get the default
plan, or name an episode by sending ``Proxy-Authorization`` themselves).

**Reverse mode keeps the browser's Host.** The app receives the ``Host`` the browser sent
(the proxy's address), with ``Origin`` and ``Referer`` untouched, so they agree as frameworks
check them: Django's CSRF/Origin check, Rails' and Laravel's forgery protection pass with
their defaults, and the absolute URLs an app builds from ``Host`` (redirects) point back at
the proxy. The app must accept that host (Django: ``ALLOWED_HOSTS``; its ``DEBUG`` default
accepts ``localhost`` and ``127.0.0.1``). An app that routes by its own name (virtual hosting)
wants the upstream's host instead: ``mitm_options={"keep_host_header": False}``.

Plans apply to the app's own traffic only (:mod:`proxy_addons.scope`): on the forward
listener the app is ``app_host``, by default the host of ``upstream``; with neither, each
episode's app is the host of its first page load.
"""

from __future__ import annotations

import asyncio
import contextlib
import errno
import json
import threading
import time
from collections.abc import Mapping
from pathlib import Path
from types import TracebackType
from typing import Any

from proxy_addons.addon import GymfuzzAddon
from proxy_addons.episodes import EpisodeRegistry, PlanConverter
from proxy_addons.plan import parse_plan
from proxy_addons.scope import allow_hosts_patterns, host_of_url, parse_app_hosts


class ProxyStartError(RuntimeError):
    """mitmproxy could not start (e.g. the port is taken)."""


def _bind_error(exc: BaseException, host: str, ports: tuple[int, int]) -> str:
    """One line saying which address could not be bound, and why."""
    if isinstance(exc, OSError) and exc.errno == errno.EADDRINUSE:
        wanted = [p for p in ports if p] or [0]
        where = " or ".join(f"{host}:{p}" for p in wanted)
        return f"{where} is already in use (another process listens there)"
    return str(exc).splitlines()[0]


class EmbeddedProxy:
    """A mitmproxy with the gymfuzz addon, running on a background thread.

    Args:
        upstream: base URL of the app for the reverse listener (``None``: no reverse listener).
        ledger_dir: folder for per-episode ledgers (``None``: no ledger files).
        listen_host: address to bind; keep the default loopback unless you mean it.
        require_auth: challenge forward-proxy clients that send no episode (see module doc).
        confdir: mitmproxy's configuration folder (CA certificates); default ``~/.mitmproxy``.
        control_token: bearer token of the control API (:mod:`proxy_addons.control`);
            ``None`` leaves the API off.
        listen_port: port of the forward listener (0: any free port).
        reverse_port: port of the reverse listener (0: any free port).
        forward: open the forward listener (``False`` needs ``upstream``: reverse only).
        mitm_options: further mitmproxy options, e.g. ``{"ssl_verify_upstream_trusted_ca":
            "app-ca.pem"}`` for an app whose certificate a public CA did not sign.
        app_host: the app's host (or comma-separated host globs) on the forward listener;
            other hosts are passed through untouched. ``None``: the host of ``upstream``,
            or, without one, the host of each episode's first page load.
        passthrough_other_hosts: tunnel HTTPS to hosts outside ``app_host`` without
            decrypting it (mitmproxy's ``allow_hosts``): the cheapest way past, but those
            requests are not in the ledger and no plan's ``hosts`` can reach them. Needs an
            ``app_host`` (or ``upstream``).
        plan_converter: turns documents that are not plans (a scenario) into plans, for
            :meth:`set_plan` and the control API; see
            :data:`~proxy_addons.episodes.PlanConverter`.
    """

    def __init__(
        self,
        *,
        upstream: str | None = None,
        ledger_dir: Path | None = None,
        listen_host: str = "127.0.0.1",
        require_auth: bool = True,
        confdir: Path | None = None,
        control_token: str | None = None,
        listen_port: int = 0,
        reverse_port: int = 0,
        forward: bool = True,
        mitm_options: Mapping[str, Any] | None = None,
        app_host: str | None = None,
        passthrough_other_hosts: bool = False,
        plan_converter: PlanConverter | None = None,
    ) -> None:
        if not forward and not upstream:
            raise ValueError("a proxy without the forward listener needs an upstream")
        if app_host is None and upstream:
            app_host = host_of_url(upstream)
        self.app_hosts = parse_app_hosts(app_host or "")
        if passthrough_other_hosts and not self.app_hosts:
            raise ValueError("passthrough_other_hosts: needs an app_host or an upstream")
        self._passthrough = passthrough_other_hosts
        self.upstream = upstream
        self.listen_host = listen_host
        self.registry = EpisodeRegistry(ledger_dir, converter=plan_converter)
        self._require_auth = require_auth
        self._confdir = confdir
        self._control_token = control_token or ""
        self._ports = (listen_port, reverse_port)
        self._forward = forward
        self._mitm_options = dict(mitm_options or {})
        self._thread: threading.Thread | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._master: Any = None
        self._ready = threading.Event()
        self._error: BaseException | None = None
        self.port: int = 0
        self.reverse_port: int | None = None

    # -- lifecycle -------------------------------------------------------------------------

    def start(self, timeout: float = 30.0) -> EmbeddedProxy:
        """Start the proxy and wait until it listens; raise :class:`ProxyStartError` if not."""
        self._loop, self._master, self._error = None, None, None
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._run, name="gymfuzz-proxy", daemon=True)
        self._thread.start()
        if not self._ready.wait(timeout):
            self._halt()
            raise ProxyStartError(f"mitmproxy did not start listening within {timeout:.0f} s")
        if self._error is not None:
            self._halt()
            raise ProxyStartError(f"mitmproxy failed to start: {self._error}") from self._error
        return self

    @property
    def running(self) -> bool:
        """Whether the proxy's thread is alive (it stops with :meth:`stop`, or when mitmproxy
        itself ends)."""
        return self._thread is not None and self._thread.is_alive()

    def restart(self, timeout: float = 30.0) -> EmbeddedProxy:
        """Start again a proxy whose thread stopped, on the ports it had when they are free
        (else on any free ones: read :attr:`url` again). Plans and ledgers are kept; requests
        that were in flight when it stopped are lost. Does nothing while it runs."""
        if self.running:
            return self
        self.registry.lose_inflight()  # nothing waits for a request the stopped proxy held
        wanted = self._ports
        self._ports = (self.port, self.reverse_port or 0)
        try:
            return self.start(timeout)
        except ProxyStartError:
            self._ports = wanted  # the old ports are taken: any free ones
            return self.start(timeout)

    def _run(self) -> None:
        try:
            asyncio.run(self._main())
        except BaseException as exc:
            self._error = exc
            self._ready.set()

    async def _main(self) -> None:
        from mitmproxy import addons, options
        from mitmproxy.master import Master

        modes = [f"regular@{self._ports[0]}"] if self._forward else []
        if self.upstream:
            modes.append(f"reverse:{self.upstream}@{self._ports[1]}")
        opts = options.Options(listen_host=self.listen_host, mode=modes)
        if self._confdir is not None:
            opts.update(confdir=str(self._confdir))
        master = Master(opts, with_termlog=False)
        master.addons.add(*addons.default_addons())
        master.addons.add(GymfuzzAddon(self.registry))
        opts.update(
            gymfuzz_require_auth=self._require_auth,
            gymfuzz_control_token=self._control_token,
            gymfuzz_app_host=",".join(self.app_hosts),
            **({"allow_hosts": self._allow_hosts()} if self._passthrough else {}),
            # Leave bodies unstreamed so HTML can be rewritten, and keep connections to the
            # app alive like a browser would.
            connection_strategy="lazy",
            # Reverse mode: the app sees the Host the browser used, so Origin, Referer, CSRF
            # checks, absolute redirects and cookies all agree (see the module docstring).
            **{"keep_host_header": True, **self._mitm_options},
        )
        self._master = master
        self._loop = asyncio.get_running_loop()
        run = asyncio.ensure_future(master.run())
        server = master.addons.get("proxyserver")
        deadline = time.monotonic() + 30
        failed: BaseException | None = None
        while not server.is_running or len(server.listen_addrs()) < len(modes):
            failed = next((i.last_exception for i in server.servers if i.last_exception), None)
            if failed is not None or run.done() or time.monotonic() > deadline:
                break
            await asyncio.sleep(0.01)
        if failed is not None:
            # e.g. the port is taken: mitmproxy logs it and keeps running without a listener.
            self._error = ProxyStartError(_bind_error(failed, self.listen_host, self._ports))
            with contextlib.suppress(Exception):
                await self._shutdown()
                await run
            self._master = None  # nothing left for stop() to shut down
            self._ready.set()
            return
        if run.done():
            exc = run.exception()
            self._error = exc or ProxyStartError("mitmproxy exited during start-up")
        else:
            for inst in server.servers:
                port = inst.listen_addrs[0][1]
                if inst.mode.type_name == "reverse":
                    self.reverse_port = port
                else:
                    self.port = port
            if not (self.port or self.reverse_port):
                self._error = ProxyStartError("mitmproxy started but bound no port")
        self._ready.set()
        await run

    def _allow_hosts(self) -> list[str]:
        # The reverse listener's upstream must stay intercepted whatever the app hosts say.
        upstream = (host_of_url(self.upstream),) if self.upstream else ()
        return allow_hosts_patterns(self.app_hosts + upstream)

    async def _shutdown(self) -> None:
        # Master.shutdown() leaves the listening sockets open; close the servers first. Then
        # close the connections still held (a browser's kept-alive one, the one to the app
        # behind it, a flow a fault holds): the loop is about to close, and a connection it
        # leaves open is only found by the garbage collector, later, as a ResourceWarning.
        server = self._master.addons.get("proxyserver")
        try:
            await server.servers.update([])
            for handler in list(server.connections.values()):
                for io in list(handler.transports.values()):
                    if io.writer is not None:
                        io.writer.close()
            await asyncio.sleep(0)  # let the transports see their close
        finally:
            self._master.shutdown()

    def stop(self, timeout: float = 10.0) -> None:
        """Stop the proxy and close every ledger. Safe to call twice."""
        self._halt(timeout)
        self.registry.close()

    def _halt(self, timeout: float = 10.0) -> None:
        """Stop mitmproxy and its thread (the ledgers stay open)."""
        loop, master = self._loop, self._master
        if loop is not None and master is not None and not loop.is_closed():
            with contextlib.suppress(RuntimeError):  # loop already closed
                asyncio.run_coroutine_threadsafe(self._shutdown(), loop)
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None

    def __enter__(self) -> EmbeddedProxy:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    # -- use -------------------------------------------------------------------------------

    @property
    def url(self) -> str:
        """The forward-proxy address, e.g. ``http://127.0.0.1:41234``."""
        return f"http://{self.listen_host}:{self.port}"

    @property
    def reverse_url(self) -> str:
        """The reverse-proxy address in front of ``upstream``."""
        if self.reverse_port is None:
            raise RuntimeError("this proxy was started without an upstream")
        return f"http://{self.listen_host}:{self.reverse_port}"

    def set_plan(self, plan: Mapping[str, Any]) -> None:
        """Validate and install a plan, or a document the plan converter turns into one
        (raises :class:`~proxy_addons.plan.PlanError`).

        Installing replaces any earlier plan of the same episode atomically: flows already in
        flight finish under the plan they started with.
        """
        self.registry.set_plan(parse_plan(self.registry.convert(plan, source="plan")))

    def clear_plan(self, episode: str) -> None:
        """Forget an episode (its ledger file stays)."""
        self.registry.clear(episode)

    def record(self, episode: str | None, record: Mapping[str, Any]) -> None:
        """Append a record (e.g. the verdict) to an episode's ledger."""
        json.dumps(record)  # fail here, in the caller, on unserializable input
        self.registry.get(episode).ledger.write(record)

    def ledger_path(self, episode: str | None) -> Path | None:
        """Path of an episode's ledger file."""
        return self.registry.ledger_path(episode)

    def inflight(self, episode: str | None) -> int:
        """Requests of ``episode`` the proxy has admitted and not yet finished."""
        state = self.registry.peek(episode)
        return state.inflight if state else 0

    async def wait_idle(self, episode: str | None, timeout: float = 10.0) -> bool:
        """Wait until ``episode`` has no request in flight; False if ``timeout`` ran out."""
        deadline = time.monotonic() + timeout
        while self.inflight(episode) > 0:
            if time.monotonic() > deadline:
                return False
            await asyncio.sleep(0.02)
        return True
