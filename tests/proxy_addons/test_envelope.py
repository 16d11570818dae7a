from __future__ import annotations

import pytest

from proxy_addons import seeding
from proxy_addons.envelope import OccurrenceTrigger, RequestMatch


@pytest.mark.parametrize(
    ("trigger", "fires_on"),
    [
        ({}, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]),
        ({"start": 3, "count": 1}, [3]),
        ({"every": 4}, [1, 5, 9]),
        ({"count": 2}, [1, 2]),
        ({"start": 2, "every": 3, "count": 2}, [2, 5]),
    ],
)
def test_trigger_occurrences(trigger: dict[str, int], fires_on: list[int]) -> None:
    t = OccurrenceTrigger.model_validate(trigger)
    assert [n for n in range(1, 11) if t.is_candidate(n)] == fires_on


def test_match_fields() -> None:
    m = RequestMatch(methods=("post",), path="/api/bookings*", resource="fetch")
    assert m.matches("POST", "h", "/api/bookings?x=1", "fetch")
    assert not m.matches("GET", "h", "/api/bookings", "fetch")
    assert not m.matches("POST", "h", "/api/other", "fetch")
    assert not m.matches("POST", "h", "/api/bookings", "document")
    r = RequestMatch(path=r"re:^/api/bookings/\d+$", host="*.example.com")
    assert r.matches("DELETE", "app.example.com", "/api/bookings/12", "fetch")
    assert not r.matches("DELETE", "example.org", "/api/bookings/12", "fetch")
    assert not r.matches("DELETE", "app.example.com", "/api/bookings/x", "fetch")


def test_keyed_draws_are_pinned() -> None:
    # Golden values: a change here changes every recorded fault schedule.
    draws = [round(seeding.unit(7, "flaky", "GET /api/x", k), 6) for k in range(1, 4)]
    assert draws == [0.637334, 0.269231, 0.211623]
    assert seeding.unit(8, "flaky", "GET /api/x", 1) != seeding.unit(7, "flaky", "GET /api/x", 1)
    assert all(0 <= d < 1 for d in draws)
