"""A single-use tunnel on loopback that lets one direction of a connection drip at a set rate.

mitmproxy passes a body on as soon as it has it; it has no way to hand it to the client a few
bytes at a time. The ``throttle`` fault therefore routes one flow's connection to the app
through a :class:`DripTunnel`: a tiny ``CONNECT`` proxy on ``127.0.0.1`` that accepts exactly one
connection, opens the real connection to the app, copies one direction at once and lets the
other through in ``chunk_bytes`` slices at ``bytes_per_s``. mitmproxy speaks to the app through
it as through any upstream proxy (TLS included: the tunnel only copies bytes), and, with the
response streamed, hands each slice to the client as it comes.

Each slice leaves at the time its last byte would have arrived over a link of that bandwidth,
counted from the first byte available plus ``first_byte_ms``, so a body of ``n`` bytes takes
``first_byte_ms + n / bytes_per_s`` in all, never more than ``max_ms`` (then the rest goes at
once). All waits are ``asyncio`` sleeps: other flows are never held up.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from dataclasses import dataclass
from typing import Literal

#: the longest the tunnel stays open past its ``max_ms``, so a forgotten one closes itself
GRACE_S = 60.0
_HEAD_LIMIT = 64 * 1024


@dataclass(frozen=True)
class DripRate:
    """How one direction drips: bandwidth, slice size, delay before the first byte, cap."""

    bytes_per_s: int
    chunk_bytes: int
    first_byte_ms: int = 0
    max_ms: int = 600_000


class DripTunnel:
    """One ``CONNECT`` tunnel whose ``direction`` drips at ``rate``; see the module docstring.

    Args:
        rate: the bandwidth, slice size, first-byte delay and cap.
        direction: ``response`` (app to client drips) or ``request`` (client to app drips).
    """

    def __init__(self, rate: DripRate, direction: Literal["response", "request"]) -> None:
        self.rate = rate
        self.direction = direction
        #: bytes let through the dripping direction so far
        self.dripped = 0
        #: monotonic times of the first dripped byte's arrival and of the last slice sent
        self.first_at: float | None = None
        self.last_at: float | None = None
        #: why the tunnel could not reach the app, if it could not
        self.failure: str | None = None
        self._server: asyncio.Server | None = None
        self._task: asyncio.Task[None] | None = None
        self._writers: list[asyncio.StreamWriter] = []
        self.address: tuple[str, int] = ("127.0.0.1", 0)

    async def start(self) -> tuple[str, int]:
        """Listen on a free loopback port; return its address."""
        self._server = await asyncio.start_server(self._accept, "127.0.0.1", 0)
        self.address = self._server.sockets[0].getsockname()[:2]
        return self.address

    def close(self) -> None:
        """Stop listening and drop both connections. Safe to call twice."""
        if self._server is not None:
            self._server.close()
            self._server = None
        if self._task is not None and not self._task.done():
            self._task.cancel()
        for writer in self._writers:
            writer.close()
        self._writers.clear()

    def took_ms(self) -> float:
        """Milliseconds from the first dripped byte's arrival to the last slice sent."""
        if self.first_at is None or self.last_at is None:
            return 0.0
        return (self.last_at - self.first_at) * 1000.0

    async def _accept(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        if self._task is not None or self._server is None:  # single use
            writer.close()
            return
        self._server.close()
        self._writers.append(writer)
        self._task = asyncio.current_task()
        limit = self.rate.max_ms / 1000.0 + GRACE_S
        with contextlib.suppress(asyncio.CancelledError, TimeoutError, OSError):
            await asyncio.wait_for(self._serve(reader, writer), limit)
        self._task = None
        self.close()

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            head = await reader.readuntil(b"\r\n\r\n")
        except (asyncio.IncompleteReadError, asyncio.LimitOverrunError):
            return
        if len(head) > _HEAD_LIMIT:
            return
        target = _connect_target(head)
        if target is None:
            writer.write(b"HTTP/1.1 400 Bad Request\r\ncontent-length: 0\r\n\r\n")
            return
        try:
            up_reader, up_writer = await asyncio.open_connection(*target)
        except OSError as exc:
            self.failure = str(exc)
            writer.write(b"HTTP/1.1 502 Bad Gateway\r\ncontent-length: 0\r\n\r\n")
            await writer.drain()
            return
        self._writers.append(up_writer)
        writer.write(b"HTTP/1.1 200 Connection established\r\n\r\n")
        await writer.drain()
        drip_up = self.direction == "request"
        await asyncio.gather(
            self._pipe(reader, up_writer, drip=drip_up),
            self._pipe(up_reader, writer, drip=not drip_up),
        )

    async def _pipe(
        self, src: asyncio.StreamReader, dst: asyncio.StreamWriter, *, drip: bool
    ) -> None:
        while data := await src.read(65536):
            if drip:
                await self._drip(data, dst)
            else:
                dst.write(data)
                await dst.drain()
        if dst.can_write_eof():
            dst.write_eof()

    async def _drip(self, data: bytes, dst: asyncio.StreamWriter) -> None:
        rate = self.rate
        if self.first_at is None:
            self.first_at = time.monotonic()
        start = self.first_at + rate.first_byte_ms / 1000.0
        cap = self.first_at + rate.max_ms / 1000.0
        for i in range(0, len(data), rate.chunk_bytes):
            piece = data[i : i + rate.chunk_bytes]
            # The slice leaves when its last byte would have arrived over the slow link.
            due = min(cap, start + (self.dripped + len(piece)) / rate.bytes_per_s)
            wait = due - time.monotonic()
            if wait > 0:
                await asyncio.sleep(wait)
            dst.write(piece)
            await dst.drain()
            self.dripped += len(piece)
            self.last_at = time.monotonic()


def _connect_target(head: bytes) -> tuple[str, int] | None:
    """The ``(host, port)`` of a ``CONNECT host:port HTTP/1.1`` request head, or ``None``."""
    line = head.split(b"\r\n", 1)[0].decode("latin-1")
    parts = line.split(" ")
    if len(parts) != 3 or parts[0] != "CONNECT":
        return None
    host, sep, port = parts[1].rpartition(":")
    if not sep or not port.isdigit():
        return None
    return host.strip("[]"), int(port)
