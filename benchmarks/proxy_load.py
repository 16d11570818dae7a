"""A minimal keep-alive HTTP upstream and load generator for ``proxy_bench.py``.

Both run as their own processes (``python benchmarks/proxy_load.py serve|load ...``) so they
do not share an interpreter with the proxy they measure. Only loopback addresses are used,
and every run is bounded by a request count.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import time

BODY = json.dumps({"ok": True, "items": list(range(40))}).encode()
RESPONSE = (
    b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: "
    + str(len(BODY)).encode()
    + b"\r\n\r\n"
    + BODY
)


async def _handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    try:
        while True:
            head = await reader.readuntil(b"\r\n\r\n")
            length = 0
            for line in head.split(b"\r\n"):
                if line.lower().startswith(b"content-length:"):
                    length = int(line.split(b":", 1)[1])
            if length:
                await reader.readexactly(length)
            writer.write(RESPONSE)
            await writer.drain()
    except (asyncio.IncompleteReadError, ConnectionError):
        pass
    finally:
        writer.close()


async def serve(port: int) -> None:
    """Answer every request on 127.0.0.1:``port`` with a small JSON body, keep-alive."""
    server = await asyncio.start_server(_handle, "127.0.0.1", port, backlog=512)
    print("listening", flush=True)
    async with server:
        await server.serve_forever()


async def _read_response(reader: asyncio.StreamReader) -> int:
    head = await reader.readuntil(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1])
    length = 0
    for line in head.split(b"\r\n"):
        if line.lower().startswith(b"content-length:"):
            length = int(line.split(b":", 1)[1])
    await reader.readexactly(length)
    return status


async def load(port: int, total: int, concurrency: int, aimed_every: int) -> dict[str, object]:
    """Send ``total`` GETs over ``concurrency`` keep-alive connections; latencies in ms."""
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    counter = iter(range(total))

    async def worker() -> None:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        try:
            for i in counter:
                aimed = aimed_every and i % aimed_every == 0
                path = f"/api/aimed/{i}" if aimed else f"/api/item/{i}"
                request = f"GET {path} HTTP/1.1\r\nhost: 127.0.0.1:{port}\r\n\r\n".encode()
                t0 = time.perf_counter()
                writer.write(request)
                status = await _read_response(reader)
                latencies.append((time.perf_counter() - t0) * 1000)
                statuses[status] = statuses.get(status, 0) + 1
                if status >= 500:  # the proxy may close after an error; start afresh
                    writer.close()
                    reader, writer = await asyncio.open_connection("127.0.0.1", port)
        finally:
            writer.close()

    t0 = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    elapsed = time.perf_counter() - t0
    return {"elapsed_s": elapsed, "latencies_ms": latencies, "statuses": statuses}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    sub = parser.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("serve")
    p.add_argument("--port", type=int, required=True)
    p = sub.add_parser("load")
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--total", type=int, required=True)
    p.add_argument("--concurrency", type=int, default=8)
    p.add_argument("--aimed-every", type=int, default=0)
    args = parser.parse_args()
    if args.cmd == "serve":
        asyncio.run(serve(args.port))
    else:
        result = asyncio.run(load(args.port, args.total, args.concurrency, args.aimed_every))
        json.dump(result, sys.stdout)


if __name__ == "__main__":
    main()
