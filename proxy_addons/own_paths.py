"""Answer a request on gymfuzz's own paths: the control API or the page-event sink.

The rules (what is reserved, the limits, the one-line refusals) are in
:mod:`proxy_addons.reserved`; the addon makes sure that whatever this answers, or fails to,
the request never reaches the app.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping

from proxy_addons import control, reserved
from proxy_addons.episodes import EpisodeRegistry
from proxy_addons.ledger import Ledger


async def answer(
    method: str,
    path: str,
    headers: Mapping[str, str],
    body: bytes,
    ledger: Ledger | None,
    registry: EpisodeRegistry,
    token: str,
) -> reserved.Reply:
    """The proxy's answer to one request on a reserved path.

    Args:
        ledger: the ledger of the request's episode (``None``: it could not be told).
        registry: the proxy's episodes, for the control API.
        token: the control API's token (empty: the API is off).
    """
    if len(body) > reserved.body_limit(path):
        return reserved.plain(413, f"body of {len(body)} bytes is above the limit")
    if path.startswith(reserved.CONTROL_PREFIX):
        # Off the event loop: validating a large plan must not hold other episodes' traffic.
        return await asyncio.to_thread(control.handle, method, path, headers, body, registry, token)
    event = reserved.parse_event(method, path, body)
    if isinstance(event, reserved.Reply):
        return event
    if ledger is None:
        return reserved.plain(400, "the proxy could not tell this event's episode")
    ledger.write({"type": "page", **event})
    return reserved.Reply(204, b"", "text/plain")
