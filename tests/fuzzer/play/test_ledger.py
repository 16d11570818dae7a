"""The one reader of ledgers: every record type that says a fault fired is read."""

from __future__ import annotations

import json
from pathlib import Path

from fuzzer.play.ledger import (
    Fire,
    distracted_by,
    faults_fired,
    fired_kinds,
    fires,
    last_run,
    read_records,
)

RUN = [
    {"type": "plan", "episode": "ep", "t_ms": 100.0},
    {
        "type": "request",
        "t_ms": 150.0,
        "decisions": [{"id": "slow", "kind": "latency", "fired": True}],
    },
    {"type": "request", "t_ms": 160.0, "deferred": ["late"], "decisions": []},
    # decided once the response's content type was known
    {
        "type": "decision",
        "t_ms": 180.0,
        "decisions": [{"id": "late", "kind": "http_error", "fired": True}],
    },
    {
        "type": "decision",
        "t_ms": 190.0,
        "decisions": [{"id": "off", "kind": "reset", "fired": False}],
    },
    {"type": "page", "t_ms": 300.0, "perturbation": "ad", "kind": "popup_ad", "event": "fired"},
    {"type": "page", "t_ms": 350.0, "perturbation": "ad", "kind": "popup_ad", "event": "lured"},
]


def test_a_fault_decided_on_the_response_counts_as_fired() -> None:
    assert fired_kinds(RUN) == ["http_error", "latency", "popup_ad"]
    assert fires(RUN) == [
        Fire("slow", "latency", 50.0, "network"),
        Fire("late", "http_error", 80.0, "network"),
        Fire("ad", "popup_ad", 200.0, "page"),
    ]


def test_the_gym_view_and_the_runner_agree(tmp_path: Path) -> None:
    ledger = tmp_path / "ep.jsonl"
    old = [
        {"type": "plan", "t_ms": 0.0},
        {"type": "page", "perturbation": "x", "kind": "modal", "event": "fired"},
    ]
    ledger.write_text("".join(json.dumps(r) + "\n" for r in [*old, *RUN]))
    records = last_run(read_records(ledger))
    assert records == RUN
    assert [f["kind"] for f in faults_fired(ledger)] == ["latency", "http_error", "popup_ad"]
    assert sorted({f["kind"] for f in faults_fired(ledger)}) == fired_kinds(records)


def test_page_events_count_once_and_bait_is_named() -> None:
    events = [
        {"event": "fired", "perturbation": "ad", "kind": "popup_ad"},
        {"event": "fired", "perturbation": "d", "kind": "decoy"},
        {"event": "decoy_used", "perturbation": "d", "kind": "decoy"},
    ]
    assert [f.fault for f in fires(RUN, events)] == ["slow", "late", "ad", "d"]
    assert distracted_by(RUN, events) == ["decoy", "popup_ad"]


def test_no_ledger_reads_as_nothing(tmp_path: Path) -> None:
    assert read_records(tmp_path / "missing.jsonl") == []
    assert read_records(None) == []
    assert faults_fired(tmp_path / "missing.jsonl") == []
