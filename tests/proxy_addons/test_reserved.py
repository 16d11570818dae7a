"""The reserved paths' rules: what is the proxy's, and the limits on what it reads."""

from __future__ import annotations

import pytest

from proxy_addons.control import authorized
from proxy_addons.reserved import (
    MAX_EVENT_BYTES,
    MAX_PLAN_BYTES,
    BodyError,
    check_headers,
    is_reserved,
    load_json,
    parse_event,
)


@pytest.mark.parametrize(
    ("path", "reserved"),
    [
        ("/__gymfuzz/events", True),
        ("/__gymfuzz/control/health?x=1", True),
        ("/%5f%5fgymfuzz/events", True),
        ("/__GYMFUZZ/events", True),
        ("//__gymfuzz/events", True),
        ("/__gymfuzz", True),
        ("/__gymfuzzy/x", False),
        ("/api/__gymfuzz/x", False),
        ("/?next=/__gymfuzz/", False),
    ],
)
def test_is_reserved(path: str, reserved: bool) -> None:
    assert is_reserved(path) is reserved


@pytest.mark.parametrize(
    ("path", "headers", "status", "message"),
    [
        ("/__gymfuzz/events", {"transfer-encoding": "chunked"}, 411, "needs a Content-Length"),
        ("/__gymfuzz/events", {"content-length": "x1"}, 400, "unreadable Content-Length 'x1'"),
        (
            "/__gymfuzz/events",
            {"content-length": str(MAX_EVENT_BYTES + 1)},
            413,
            f"above the {MAX_EVENT_BYTES}-byte limit of /__gymfuzz/events",
        ),
        (
            "/__gymfuzz/control/plans/a",
            {"content-length": str(MAX_PLAN_BYTES + 1)},
            413,
            f"above the {MAX_PLAN_BYTES}-byte limit",
        ),
    ],
)
def test_bodies_refused_on_their_headers(
    path: str, headers: dict[str, str], status: int, message: str
) -> None:
    reply = check_headers(path, headers)
    assert reply is not None and reply.status == status
    assert message in reply.body.decode() and reply.body.decode().count("\n") == 1


def test_bodies_within_the_limits_pass_their_headers() -> None:
    assert check_headers("/__gymfuzz/control/plans/a", {"content-length": "1000000"}) is None
    assert check_headers("/__gymfuzz/events", {}) is None


@pytest.mark.parametrize(
    ("body", "status", "message"),
    [
        (b"[" * 5000 + b"]" * 5000, 400, "nested deeper than 8 levels"),
        (b'{"a":' * 9 + b"1" + b"}" * 9, 400, "nested deeper than 8 levels"),
        (b"\xff", 400, "not JSON"),
        (b"x" * 101, 413, "101 bytes is above the 100-byte limit"),
    ],
)
def test_load_json_limits(body: bytes, status: int, message: str) -> None:
    with pytest.raises(BodyError, match=message) as caught:
        load_json(body, max_bytes=100 if len(body) == 101 else 100_000, max_depth=8)
    assert caught.value.status == status


def test_load_json_within_limits() -> None:
    assert load_json(b'{"a":' * 7 + b"1" + b"}" * 7, max_bytes=1000, max_depth=8) is not None


def test_events_must_be_posted_objects() -> None:
    assert parse_event("POST", "/__gymfuzz/events", b'{"event": "fired"}') == {"event": "fired"}
    for method, body, status in (("GET", b"", 405), ("POST", b"[1]", 400)):
        reply = parse_event(method, "/__gymfuzz/events", body)
        assert not isinstance(reply, dict) and reply.status == status


def test_a_credential_with_any_bytes_is_compared_not_crashed_on() -> None:
    token = "t0ken"
    assert authorized({"authorization": "Bearer t0ken"}, token)
    assert not authorized({"authorization": "Bearer \udcff\udcfet0ken"}, token)
    assert not authorized({"authorization": "Bearer t\u00f6ken"}, token)
