"""Name the current episode for a browser that cannot send proxy credentials.

Chrome takes no username in ``--proxy-server`` and refuses a ``Proxy-Authorization`` header
set through the DevTools protocol, so a Selenium-driven Chrome cannot tell the gymfuzz proxy
which episode it plays. :class:`EpisodeRelay` sits between such a browser and the gymfuzz
proxy and adds the credentials of the episode in progress (``<episode>:gymfuzz``) to every
request it passes on::

    browser --proxy-server=relay.url --> EpisodeRelay --(episode as username)--> gymfuzz proxy

One relay serves one browser, whose episodes run one after another: set
:attr:`EpisodeRelay.episode` before the browser's first request of an episode. Each browser
connection gets its own connection to the gymfuzz proxy, so keep-alive works as without the
relay. Plain HTTP requests are named one by one; a ``CONNECT`` (HTTPS, WebSocket over TLS)
is named once and its tunnel is then passed through untouched.

It is a byte relay, not a proxy of its own: it reads request heads and request bodies
(``Content-Length`` or chunked) to find where the next head starts, and copies responses as
they come. It runs on its own thread and event loop, so it can sit in front of an
:class:`~proxy_addons.embedded.EmbeddedProxy` of the same process (two mitmproxy instances
cannot share one process: mitmproxy keeps its context in module globals).
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import threading
from types import TracebackType
from urllib.parse import urlsplit

_HEAD_END = b"\r\n\r\n"
_MAX_HEAD = 256 * 1024


class RelayError(RuntimeError):
    """The relay could not start."""


def basic_credentials(episode: str) -> str:
    """The ``Proxy-Authorization`` value that names ``episode`` to the gymfuzz proxy."""
    token = base64.b64encode(f"{episode}:gymfuzz".encode()).decode("ascii")
    return f"Basic {token}"


def name_request(head: bytes, episode: str | None) -> bytes:
    """``head`` (request line and headers, ending in a blank line) with its
    ``Proxy-Authorization`` replaced by ``episode``'s (left as is when ``episode`` is None)."""
    if episode is None:
        return head
    lines = head[: -len(_HEAD_END)].split(b"\r\n")
    kept = [ln for ln in lines[1:] if not ln.lower().startswith(b"proxy-authorization:")]
    auth = b"Proxy-Authorization: " + basic_credentials(episode).encode("ascii")
    return b"\r\n".join([lines[0], *kept, auth]) + _HEAD_END


def body_length(head: bytes) -> int | None:
    """Bytes of body after ``head``: its ``Content-Length`` (0 without one), or ``None`` for a
    chunked body. Raises ``ValueError`` on a malformed length."""
    length = 0
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        name = name.strip().lower()
        if name == b"transfer-encoding" and b"chunked" in value.lower():
            return None
        if name == b"content-length":
            length = int(value.strip())
            if length < 0:
                raise ValueError(f"negative Content-Length {length}")
    return length


async def _copy_chunked(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    while True:
        size_line = await reader.readuntil(b"\r\n")
        writer.write(size_line)
        size = int(size_line.split(b";")[0].strip(), 16)
        if size == 0:
            while True:  # trailers, up to the blank line
                line = await reader.readuntil(b"\r\n")
                writer.write(line)
                if line == b"\r\n":
                    return
        writer.write(await reader.readexactly(size + 2))


async def _pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    with contextlib.suppress(ConnectionError, asyncio.IncompleteReadError):
        while data := await reader.read(65536):
            writer.write(data)
            await writer.drain()
    with contextlib.suppress(ConnectionError, OSError):
        writer.close()


class EpisodeRelay:
    """A forward-proxy relay to ``upstream_proxy`` that names :attr:`episode` on each request.

    Args:
        upstream_proxy: the gymfuzz proxy's forward address, e.g. ``http://127.0.0.1:41234``.
        listen_host: address to bind (loopback by default).
    """

    def __init__(self, upstream_proxy: str, *, listen_host: str = "127.0.0.1") -> None:
        parts = urlsplit(upstream_proxy)
        if parts.scheme != "http" or not parts.hostname or not parts.port:
            raise ValueError(f"upstream_proxy: expected http://host:port, got {upstream_proxy!r}")
        self.upstream_proxy = upstream_proxy
        self._upstream = (parts.hostname, parts.port)
        self.listen_host = listen_host
        self.episode: str | None = None
        self.port = 0
        self._thread: threading.Thread | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stopping: asyncio.Event | None = None
        self._handlers: set[asyncio.Task[None]] = set()
        self._ready = threading.Event()
        self._error: BaseException | None = None

    @property
    def url(self) -> str:
        """The address to give the browser as ``--proxy-server``."""
        return f"http://{self.listen_host}:{self.port}"

    def start(self, timeout: float = 10.0) -> EpisodeRelay:
        """Start listening; raise :class:`RelayError` if it cannot."""
        self._thread = threading.Thread(target=self._run, name="gymfuzz-relay", daemon=True)
        self._thread.start()
        if not self._ready.wait(timeout) or self._error is not None:
            self.stop()
            raise RelayError(f"the episode relay did not start: {self._error or 'timeout'}")
        return self

    def _run(self) -> None:
        try:
            asyncio.run(self._main())
        except BaseException as exc:
            self._error = exc
            self._ready.set()

    async def _main(self) -> None:
        self._loop = asyncio.get_running_loop()
        self._stopping = asyncio.Event()
        server = await asyncio.start_server(self._serve, self.listen_host, 0)
        self.port = server.sockets[0].getsockname()[1]
        self._ready.set()
        await self._stopping.wait()
        # Not ``wait_closed`` first: it would wait for the browser's keep-alive connections.
        server.close()
        handlers = list(self._handlers)
        for handler in handlers:
            handler.cancel()
        await asyncio.gather(*handlers, return_exceptions=True)
        await server.wait_closed()

    async def _serve(self, creader: asyncio.StreamReader, cwriter: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        if task is not None:
            self._handlers.add(task)
        back: asyncio.Future[None] | None = None
        uwriter: asyncio.StreamWriter | None = None
        try:
            ureader, uwriter = await asyncio.open_connection(*self._upstream)
            back = asyncio.ensure_future(_pipe(ureader, cwriter))
            await self._forward_requests(creader, uwriter)
        except (OSError, asyncio.IncompleteReadError, asyncio.LimitOverrunError, ValueError):
            pass  # a gone peer or a malformed request: drop the connection, as a proxy would
        finally:
            for writer in (uwriter, cwriter):
                if writer is not None:
                    with contextlib.suppress(OSError):
                        writer.close()
            if back is not None:
                back.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await back
            if task is not None:
                self._handlers.discard(task)

    async def _forward_requests(
        self, creader: asyncio.StreamReader, uwriter: asyncio.StreamWriter
    ) -> None:
        while True:
            head = await creader.readuntil(_HEAD_END)
            if len(head) > _MAX_HEAD:
                raise ValueError("request head too large")
            uwriter.write(name_request(head, self.episode))
            if head[:8].upper() == b"CONNECT ":
                await _pipe(creader, uwriter)  # a tunnel from here on
                return
            length = body_length(head)
            if length is None:
                await _copy_chunked(creader, uwriter)
            elif length:
                uwriter.write(await creader.readexactly(length))
            await uwriter.drain()

    def stop(self, timeout: float = 10.0) -> None:
        """Stop the relay. Safe to call twice."""
        loop, stopping = self._loop, self._stopping
        if loop is not None and stopping is not None and not loop.is_closed():
            with contextlib.suppress(RuntimeError):
                loop.call_soon_threadsafe(stopping.set)
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None

    def __enter__(self) -> EpisodeRelay:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()
