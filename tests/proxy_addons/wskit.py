"""A real websocket server (Starlette on uvicorn, wsproto) and a minimal wsproto client."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import uvicorn
from starlette.applications import Starlette
from starlette.routing import WebSocketRoute
from starlette.websockets import WebSocket
from wsproto import ConnectionType, WSConnection
from wsproto.events import (
    AcceptConnection,
    CloseConnection,
    Message,
    Request,
    TextMessage,
)

MESSAGES = 8


async def _feed(ws: WebSocket) -> None:
    await ws.accept()
    for i in range(MESSAGES):
        await ws.send_text(f"m{i}")
    await ws.close()


@contextmanager
def ws_server() -> Iterator[str]:
    """Serve ``/feed`` (sends ``m0``..``m7`` then closes); yield its ``http://`` base URL."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    app = Starlette(routes=[WebSocketRoute("/feed", _feed)])
    config = uvicorn.Config(app, host="127.0.0.1", port=port, ws="wsproto", log_level="error")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(10)


def receive_all(host: str, port: int, target: str, timeout: float = 10.0) -> list[str]:
    """Open a websocket to ``host:port`` and return the text messages until it closes."""
    ws = WSConnection(ConnectionType.CLIENT)
    got: list[str] = []
    with socket.create_connection((host, port), timeout=timeout) as sock:
        sock.sendall(ws.send(Request(host=f"{host}:{port}", target=target)))
        closed = False
        while not closed:
            data = sock.recv(65536)
            if not data:
                break
            ws.receive_data(data)
            for event in ws.events():
                if isinstance(event, TextMessage):
                    got.append(event.data)
                elif isinstance(event, CloseConnection):
                    sock.sendall(ws.send(event.response()))
                    closed = True
                elif not isinstance(event, AcceptConnection | Message):
                    raise AssertionError(f"unexpected websocket event {event!r}")
    return got
