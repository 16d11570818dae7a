"""The ledger records the addon writes for a flow (see :mod:`proxy_addons.ledger`).

``request``
    ``method``, ``path``, ``resource`` (``resource_sure: false`` when the headers did not
    tell it), ``decisions`` (one per counted fault: ``id``, ``kind``, ``occurrence``,
    ``fired``), ``deferred`` (ids of faults left for the response's content type) and
    ``in_scope: false`` for traffic that is not the app's.
``decision``
    the deferred faults decided once the response headers showed the ``resource`` type.
``response`` / ``error``
    ``status`` or ``error``, ``duration_ms``, ``reached_backend``, and ``faults``: what each
    fired fault reports it did. A response also says whether the page script was
    ``injected``, and, for a page that should have had it, ``inject_skipped``: why not (too
    large, an unknown content-encoding, a body that does not decode in its charset).
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

from proxy_addons.flowinfo import FlowInfo

if TYPE_CHECKING:
    from mitmproxy.http import HTTPFlow


def request_record(
    flow: HTTPFlow, info: FlowInfo, decisions: list[dict[str, Any]]
) -> dict[str, Any]:
    """The record of a request once its faults are decided."""
    req = flow.request
    record: dict[str, Any] = {
        "type": "request",
        "flow": flow.id,
        "method": req.method,
        "host": req.pretty_host,
        "path": req.path,
        "resource": info.resource,
        "decisions": decisions,
    }
    if not info.sure:
        record["resource_sure"] = False
    if info.deferred:
        record["deferred"] = [active.envelope.id for active in info.deferred]
    if not info.in_scope:
        record["in_scope"] = False
    return record


def decision_record(
    flow: HTTPFlow, resource: str, decisions: list[dict[str, Any]]
) -> dict[str, Any]:
    """The record of deferred faults decided on the response's content type."""
    return {
        "type": "decision",
        "flow": flow.id,
        "method": flow.request.method,
        "path": flow.request.path,
        "resource": resource,
        "decisions": decisions,
    }


def response_record(flow: HTTPFlow, info: FlowInfo, injected: bool) -> dict[str, Any]:
    """The record of a delivered response."""
    resp = flow.response
    record = {
        "type": "response",
        "flow": flow.id,
        "method": flow.request.method,
        "path": flow.request.path,
        "status": resp.status_code if resp else None,
        "duration_ms": round((time.monotonic() - info.started) * 1000, 3),
        "reached_backend": info.reached_backend,
        "faults": info.facts,
        "injected": injected,
    }
    if info.inject_skipped is not None:
        record["inject_skipped"] = info.inject_skipped
    return record


def error_record(flow: HTTPFlow, info: FlowInfo) -> dict[str, Any]:
    """The record of a flow that ended without a response (killed, reset, upstream down)."""
    return {
        "type": "error",
        "flow": flow.id,
        "method": flow.request.method,
        "path": flow.request.path,
        "error": flow.error.msg if flow.error else None,
        "duration_ms": round((time.monotonic() - info.started) * 1000, 3),
        # a connection to the app that never opened means the request never got there
        "reached_backend": info.reached_backend
        and flow.server_conn.timestamp_tcp_setup is not None,
        "faults": info.facts,
    }
