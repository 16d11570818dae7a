"""The preferences rules, their fixture key and the preferences API (in-process app)."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from sites.booking.fixture import parse_fixture
from sites.booking.pages import page_route
from sites.booking.preferences import Preferences, check_value, label, parse_preferences
from tests.sites.sample import ADMIN, FIXTURE, episode

T1 = episode("t1")


async def state(client: httpx.AsyncClient, tenant: str = "t1") -> dict[str, Any]:
    response = await client.get(f"/_admin/tenants/{tenant}/state", headers=ADMIN)
    result: dict[str, Any] = response.json()
    return result


def stored(snapshot: dict[str, Any]) -> dict[str, str]:
    return {key: row["value"] for key, row in snapshot["preferences"].items()}


# ---- rules and fixture --------------------------------------------------------------------


def test_fixture_without_preferences_gets_the_defaults() -> None:
    assert parse_fixture({"today": "2026-11-23"}).preferences == Preferences(
        seat="aisle", meal="standard", home_airport="LHR"
    )


def test_fixture_preferences_fill_missing_keys_with_defaults() -> None:
    fixture = parse_fixture({"today": "2026-11-23", "preferences": {"meal": "vegan"}})
    assert fixture.preferences.items() == [
        ("seat", "aisle"),
        ("meal", "vegan"),
        ("home_airport", "LHR"),
    ]


@pytest.mark.parametrize(
    ("preferences", "message"),
    [
        ("window", r"^preferences: expected an object, got 'window'$"),
        ({"seat": "x"}, r"^preferences\.seat: expected one of aisle, middle, window, got 'x'$"),
        (
            {"meal": "fish"},
            r"^preferences\.meal: expected one of standard, vegetarian, vegan, kosher, halal,"
            r" gluten_free, got 'fish'$",
        ),
        ({"home_airport": "lis"}, r"^preferences\.home_airport: expected an IATA .* got 'lis'$"),
        ({"home_airport": 3}, r"^preferences\.home_airport: expected .* got 3$"),
        ({"color": "red"}, r"^preferences\.color: unknown field \(allowed: home_airport, meal"),
    ],
)
def test_bad_fixture_preferences_name_key_and_value(preferences: object, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_fixture({"today": "2026-11-23", "preferences": preferences})


def test_labels_are_what_the_page_shows() -> None:
    assert label("seat", "window") == "Window"
    assert label("meal", "gluten_free") == "Gluten-free"
    assert label("home_airport", "LIS") == "Lisbon (LIS)"


def test_check_value_rejects_unknown_key() -> None:
    with pytest.raises(KeyError):
        check_value("color", "red")
    assert parse_preferences({}) == Preferences()


# ---- API ----------------------------------------------------------------------------------


async def test_get_preferences_of_a_fixture(seeded: httpx.AsyncClient) -> None:
    await seeded.put(
        "/_admin/tenants/t1",
        json={**FIXTURE, "preferences": {"seat": "window", "home_airport": "LIS"}},
        headers=ADMIN,
    )
    response = await seeded.get("/api/preferences", headers=T1)
    assert response.status_code == 200
    assert response.json() == {
        "preferences": {"seat": "window", "meal": "standard", "home_airport": "LIS"},
        "labels": {"seat": "Window", "meal": "Standard", "home_airport": "Lisbon (LIS)"},
    }


async def test_put_stores_one_key_and_only_in_its_tenant(seeded: httpx.AsyncClient) -> None:
    response = await seeded.put("/api/preferences/meal", json={"value": "halal"}, headers=T1)
    assert response.status_code == 200
    assert response.json() == {"key": "meal", "value": "halal"}
    assert stored(await state(seeded)) == {
        "home_airport": "LHR",
        "meal": "halal",
        "seat": "aisle",
    }
    assert stored(await state(seeded, "t2"))["meal"] == "standard"
    again = await seeded.put("/api/preferences/home_airport", json={"value": "ZRH"}, headers=T1)
    assert again.json() == {"key": "home_airport", "value": "ZRH"}
    assert (await seeded.get("/api/preferences", headers=T1)).json()["preferences"] == {
        "seat": "aisle",
        "meal": "halal",
        "home_airport": "ZRH",
    }


async def test_unknown_key_is_404(seeded: httpx.AsyncClient) -> None:
    response = await seeded.put("/api/preferences/color", json={"value": "red"}, headers=T1)
    assert response.status_code == 404
    assert response.json() == {
        "error": "key: unknown preference 'color' (known: seat, meal, home_airport)"
    }


@pytest.mark.parametrize(
    ("key", "body", "status", "error"),
    [
        ("seat", {"value": "x"}, 422, "seat: expected one of aisle, middle, window, got 'x'"),
        ("seat", {"value": None}, 422, "seat: expected one of aisle, middle, window, got None"),
        (
            "home_airport",
            {"value": "XXX"},
            422,
            "home_airport: expected an IATA airport code the site knows (e.g. LHR), got 'XXX'",
        ),
        ("meal", {}, 422, "value: required field is missing"),
        ("meal", {"value": "vegan", "why": 1}, 422, "why: unknown field (allowed: value)"),
        ("meal", ["vegan"], 422, "body: expected a JSON object, got ['vegan']"),
    ],
)
async def test_invalid_put_names_key_and_value_and_changes_nothing(
    seeded: httpx.AsyncClient, key: str, body: object, status: int, error: str
) -> None:
    before = await state(seeded)
    response = await seeded.put(f"/api/preferences/{key}", json=body, headers=T1)
    assert response.status_code == status
    assert response.json() == {"error": error}
    assert await state(seeded) == before


async def test_body_that_is_not_json_is_400(seeded: httpx.AsyncClient) -> None:
    response = await seeded.put("/api/preferences/seat", content=b"{oops", headers=T1)
    assert response.status_code == 400
    assert response.json()["error"].startswith("body: invalid JSON")


async def test_preferences_page_is_served_uncached(client: httpx.AsyncClient) -> None:
    response = await client.get("/preferences")
    assert response.status_code == 200
    assert response.headers["cache-control"] == "no-store"
    assert "<title>Preferences</title>" in response.text
    assert '<a href="/inbox">Inbox</a>' in response.text


@pytest.mark.parametrize("path", ["/", "/preferences", "/inbox"])
async def test_every_page_has_the_site_navigation(client: httpx.AsyncClient, path: str) -> None:
    response = await client.get(path)
    assert (
        '<nav class="site-nav"><a href="/">Meetings</a> <a href="/trips">Trips</a>'
        ' <a href="/preferences">Preferences</a> <a href="/inbox">Inbox</a></nav>'
    ) in response.text


def test_page_route_refuses_a_missing_page() -> None:
    with pytest.raises(ValueError, match=r"^filename: no page 'nope\.html' in "):
        page_route("/nope", "nope.html")
