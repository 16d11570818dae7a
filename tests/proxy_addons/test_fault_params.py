from __future__ import annotations

from typing import Any

import pytest

from proxy_addons.envelope import OccurrenceTrigger
from proxy_addons.faults import FAULTS, make_fault, parse_params
from proxy_addons.faults.base import Draw
from proxy_addons.faults.latency import LatencyFault
from proxy_addons.faults.throttle import ThrottleFault

# The smallest valid params of every kind: the catalog and the documentation stay in step.
MINIMAL: dict[str, dict[str, Any]] = {
    "latency": {"ms": 10},
    "throttle": {"bytes_per_s": 1000},
    "http_error": {"status": 503},
    "reset": {},
    "hang": {"timeout_ms": 100},
    "truncate": {},
    "malformed": {},
    "reorder": {},
    "stale": {},
    "phantom_write": {},
    "session_expiry": {},
    "websocket": {},
}


def test_every_kind_has_minimal_params_and_documents_them() -> None:
    assert set(MINIMAL) == set(FAULTS)
    for kind, params in MINIMAL.items():
        fault = make_fault(kind, params)
        doc = type(fault).__module__
        module_doc = __import__(doc, fromlist=["_"]).__doc__ or ""
        for name in FAULTS[kind].Params.model_fields:
            assert f"{name}:" in module_doc, f"{kind}: param {name!r} is not documented"


@pytest.mark.parametrize(
    ("kind", "params", "message"),
    [
        (
            "latency",
            {"ms": 1, "distribution": "pareto"},
            r"params\.distribution: 'pareto' is not one of 'uniform' or 'lognormal'",
        ),
        ("latency", {"ms": 1, "sigma": 9}, r"params\.sigma: 9 is greater than 3"),
        ("throttle", {"bytes_per_s": 0}, r"params\.bytes_per_s: 0 is less than 1"),
        (
            "throttle",
            {"bytes_per_s": 10, "chunk_bytes": 0},
            r"params\.chunk_bytes: 0 is less than 1",
        ),
        ("hang", {}, r"params\.timeout_ms: required field is missing"),
        (
            "hang",
            {"timeout_ms": 10, "then": "503"},
            r"params\.then: '503' is not one of 'reset' or",
        ),
        ("truncate", {"keep": 1.5}, r"params\.keep: 1\.5 is greater than 1"),
        ("malformed", {"mode": "xml"}, r"params\.mode: 'xml' is not one of 'invalid_json'"),
        ("reorder", {"group": 1}, r"params\.group: 1 is less than 2"),
        ("stale", {"pick": "last"}, r"params\.pick: 'last' is not one of 'first' or 'previous'"),
        ("phantom_write", {"status": 500}, r"params\.status: 500 is greater than 299"),
        (
            "session_expiry",
            {"cookies": ["a b"]},
            r"params\.cookies\[0\]: 'a b': String should match",
        ),
        ("websocket", {"direction": "up"}, r"params\.direction: 'up' is not one of 'server'"),
        ("reset", {"when": "later"}, r"params\.when: 'later' is not one of 'before' or 'after'"),
    ],
)
def test_bad_params_name_field_and_value(kind: str, params: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_params(kind, params)


def test_latency_distributions_are_keyed_and_bounded() -> None:
    fixed = make_fault("latency", {"ms": 250})
    lognormal = make_fault("latency", {"ms": 100, "distribution": "lognormal", "max_ms": 400})
    assert isinstance(fixed, LatencyFault) and isinstance(lognormal, LatencyFault)
    draws = [Draw(1, "f", "GET /x", k) for k in range(1, 200)]
    assert {fixed.delay_ms(d) for d in draws} == {250.0}
    delays = [lognormal.delay_ms(d) for d in draws]
    assert delays == [lognormal.delay_ms(d) for d in draws]  # replayable
    assert max(delays) <= 400 and min(delays) < 100 < max(delays)


def test_throttle_wait_is_size_over_bandwidth() -> None:
    fault = make_fault("throttle", {"bytes_per_s": 2000, "first_byte_ms": 5, "max_ms": 1000})
    assert isinstance(fault, ThrottleFault)
    assert fault.wait_ms(1000) == 505.0
    assert fault.wait_ms(10**9) == 1000.0


def test_after_ms_trigger_waits_since_first_match() -> None:
    t = OccurrenceTrigger(after_ms=500, count=1)
    assert t.waiting(0.0) and t.waiting(499.9)
    assert not t.waiting(500.0)
    assert OccurrenceTrigger().waiting(0.0) is False


def test_stale_remembers_a_bounded_number_of_requests() -> None:
    import asyncio

    from mitmproxy.test import tflow

    from proxy_addons.faults.stale import MAX_REMEMBERED

    fault = make_fault("stale", {})

    def flow_for(i: int) -> Any:
        flow = tflow.tflow(resp=True)
        flow.request.path = f"/api/items?page={i}"
        return flow

    for i in range(MAX_REMEMBERED + 10):
        fault.observe(flow_for(i))
    draw = Draw(1, "s", "GET /api/items", 1)
    first = asyncio.run(fault.on_request(flow_for(0), draw))
    beyond = asyncio.run(fault.on_request(flow_for(MAX_REMEMBERED + 5), draw))
    assert first["served"] is True and beyond["served"] is False
