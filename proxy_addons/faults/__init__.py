"""The catalog of network fault kinds: ``FAULTS[kind]`` is the class implementing it.

Every module in this folder (except ``base``) defines exactly one fault and is listed here;
a test keeps the two in step.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel, ValidationError

from fielderrors import describe
from proxy_addons.faults.base import Draw, NetworkFault
from proxy_addons.faults.hang import HangFault
from proxy_addons.faults.http_error import HttpErrorFault
from proxy_addons.faults.latency import LatencyFault
from proxy_addons.faults.malformed import MalformedFault
from proxy_addons.faults.phantom_write import PhantomWriteFault
from proxy_addons.faults.reorder import ReorderFault
from proxy_addons.faults.reset import ResetFault
from proxy_addons.faults.session_expiry import SessionExpiryFault
from proxy_addons.faults.stale import StaleFault
from proxy_addons.faults.throttle import ThrottleFault
from proxy_addons.faults.truncate import TruncateFault
from proxy_addons.faults.websocket import WebsocketFault

FAULTS: Mapping[str, type[NetworkFault]] = {
    cls.kind: cls
    for cls in (
        LatencyFault,
        ThrottleFault,
        HttpErrorFault,
        ResetFault,
        HangFault,
        TruncateFault,
        MalformedFault,
        ReorderFault,
        StaleFault,
        PhantomWriteFault,
        SessionExpiryFault,
        WebsocketFault,
    )
}


def parse_params(kind: str, params: Mapping[str, Any], *, where: str = "params") -> BaseModel:
    """Validate ``params`` for ``kind``; raise ``ValueError`` naming the field and value."""
    cls = FAULTS.get(kind)
    if cls is None:
        raise ValueError(f"unknown network fault kind {kind!r}; known: {', '.join(sorted(FAULTS))}")
    try:
        return cls.Params.model_validate(dict(params))
    except ValidationError as exc:
        raise ValueError(describe(exc, where)) from None


def make_fault(kind: str, params: Mapping[str, Any]) -> NetworkFault:
    """Build the fault object for ``kind`` from raw params (validated)."""
    return FAULTS[kind](parse_params(kind, params))


__all__ = ["FAULTS", "Draw", "NetworkFault", "make_fault", "parse_params"]
