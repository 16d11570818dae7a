"""Fault decisions for one request, without a proxy: deferral to the response's content type."""

from __future__ import annotations

from typing import Any

from proxy_addons.decide import decide_late, decide_request
from proxy_addons.episodes import EpisodeRegistry
from proxy_addons.flowinfo import FlowInfo
from proxy_addons.plan import parse_plan


def _info(*faults: dict[str, Any], resource: str = "fetch", sure: bool = True) -> FlowInfo:
    registry = EpisodeRegistry(ledger_dir=None)
    state = registry.set_plan(parse_plan({"episode": "ep", "seed": 3, "faults": list(faults)}))
    return FlowInfo(state, 0.0, resource, sure)


CUT_ASSETS = {
    "id": "cut",
    "kind": "truncate",
    "match": {"resource": "asset"},
    "params": {"keep_bytes": 1},
}
ERROR_ASSETS_BEFORE = {
    "id": "err",
    "kind": "http_error",
    "match": {"resource": "asset"},
    "params": {"status": 500},
}
ERROR_ASSETS_AFTER = {
    **ERROR_ASSETS_BEFORE,
    "id": "err-after",
    "params": {"status": 500, "when": "after"},
}


def test_unsure_request_defers_only_response_faults_that_filter_on_resource() -> None:
    info = _info(CUT_ASSETS, ERROR_ASSETS_BEFORE, ERROR_ASSETS_AFTER, sure=False)
    decisions = decide_request(info, "GET", "app.test", "/download")
    # http_error before the backend must be decided now: on the guess (fetch), no match.
    assert decisions == []
    assert [a.envelope.id for a in info.deferred] == ["cut", "err-after"]
    assert info.state.matches == {}  # nothing counted yet


def test_sure_request_is_decided_at_once() -> None:
    info = _info(CUT_ASSETS, resource="asset", sure=True)
    decisions = decide_request(info, "GET", "app.test", "/logo.png")
    assert decisions == [{"id": "cut", "kind": "truncate", "occurrence": 1, "fired": True}]
    assert info.deferred == []


def test_late_decision_counts_only_what_the_content_type_matches() -> None:
    info = _info(CUT_ASSETS, ERROR_ASSETS_AFTER, sure=False)
    decide_request(info, "GET", "app.test", "/download")
    assert decide_late(info, "fetch", "GET", "/download") == []
    assert info.state.matches == {} and info.fired == [] and info.deferred == []

    info = _info(CUT_ASSETS, ERROR_ASSETS_AFTER, sure=False)
    decide_request(info, "GET", "app.test", "/download")
    decisions = decide_late(info, "asset", "GET", "/download")
    assert [d["id"] for d in decisions] == ["cut", "err-after"]
    assert [a.envelope.id for a, _ in info.fired] == ["cut", "err-after"]
    assert info.state.matches == {"cut": 1, "err-after": 1}


def test_other_match_fields_still_apply_before_deferring() -> None:
    wrong_path = {**CUT_ASSETS, "match": {"resource": "asset", "path": "/static/*"}}
    info = _info(wrong_path, sure=False)
    decide_request(info, "GET", "app.test", "/download")
    assert info.deferred == []
