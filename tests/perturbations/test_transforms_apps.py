"""Every transform on the embedded site and on a MiniWoB++ task, through a real gymfuzz proxy.

The proxy injects each episode's page bundle and writes its ledger. On the embedded site's
Preferences page a careful agent saves two preferences under each transform and the site's
database holds them; on MiniWoB++'s login-user task (a page nobody wrote for gymfuzz) a
careful agent logs in and the task's own reward is 1.0. The transform's ``fired`` event is in
the episode's ledger, as every perturbation's is.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import pytest_asyncio
from playwright.async_api import Browser, Page, expect

from perturbations import build_bundle
from proxy_addons.embedded import EmbeddedProxy
from sites.booking.server import SiteProcess

from . import miniwob_kit
from .transform_cases import CASE_IDS, CASES, TransformCase

pytestmark = [pytest.mark.browser, pytest.mark.proxy, pytest.mark.asyncio(loop_scope="module")]

SITE_PARTS = {"page": "body", "form": "#prefs", "group": "nav.site-nav"}
MINIWOB_PARTS = {"page": "body", "form": "#area", "group": "#form"}
FIXTURE = {"today": "2026-11-23", "preferences": {"seat": "aisle", "meal": "standard"}}

_episodes = itertools.count(1)


@pytest.fixture(scope="module")
def proxy(tmp_path_factory: pytest.TempPathFactory) -> Iterator[EmbeddedProxy]:
    with EmbeddedProxy(ledger_dir=tmp_path_factory.mktemp("ledgers")) as p:
        yield p


@pytest.fixture(scope="module")
def site() -> Iterator[SiteProcess]:
    with SiteProcess() as running:
        yield running


@pytest.fixture(scope="module")
def miniwob_url() -> Iterator[str]:
    pytest.importorskip("miniwob", reason="the MiniWoB++ pages come from the dev extra 'miniwob'")
    with miniwob_kit.serve_miniwob() as url:
        yield url


@pytest_asyncio.fixture(loop_scope="module")
async def open_episode(module_browser: Browser, proxy: EmbeddedProxy) -> AsyncIterator[Any]:
    contexts = []

    async def _open(url: str, entry: dict[str, object], seed: int = 3) -> tuple[str, Page]:
        episode = f"tf-{next(_episodes)}"
        config = {"episode": episode, "seed": seed, "perturbations": [entry]}
        proxy.set_plan(
            {"episode": episode, "seed": seed, "faults": [], "page_script": build_bundle(config)}
        )
        context = await module_browser.new_context(
            proxy={"server": proxy.url, "username": episode, "password": "x"},
            viewport={"width": 900, "height": 650},
        )
        contexts.append(context)
        page = await context.new_page()
        return episode, page

    yield _open
    for context in contexts:
        await context.close()


def ledger_fired(proxy: EmbeddedProxy, episode: str) -> list[dict[str, Any]]:
    path = proxy.ledger_path(episode)
    assert path is not None
    records = [json.loads(line) for line in Path(path).read_text().splitlines() if line]
    return [r for r in records if r.get("type") == "page" and r.get("event") == "fired"]


async def admin(site: SiteProcess, method: str, path: str, **kw: Any) -> httpx.Response:
    async with httpx.AsyncClient(base_url=site.url) as http:
        return await http.request(method, path, headers={"X-Admin-Token": site.admin_token}, **kw)


async def wait_fired(page: Page) -> None:
    await page.wait_for_function(
        "window.__gymfuzz && window.__gymfuzz.events.some(e => e.event === 'fired')"
    )
    events = await page.evaluate("window.__gymfuzz.events")
    assert [e for e in events if e["event"] == "error"] == []


@pytest.mark.parametrize("case", CASES, ids=CASE_IDS)
async def test_site_preferences_saved_under_transform(
    open_episode: Any, proxy: EmbeddedProxy, site: SiteProcess, case: TransformCase
) -> None:
    episode, page = await open_episode(site.url, case.envelope(SITE_PARTS))
    reset = await admin(site, "PUT", f"/_admin/tenants/{episode}", json=FIXTURE)
    assert reset.status_code == 204, reset.text
    await page.goto(f"{site.url}/preferences")
    await wait_fired(page)
    # A careful agent: roles and labels, waits for the state it expects, checks what it set.
    seat = page.get_by_role("combobox", name="Seat")
    await expect(seat).to_be_enabled()
    await seat.select_option("window")
    await expect(page.get_by_text("Saved").first).to_be_visible()
    meal = page.get_by_role("button", name="Meal")
    await meal.click()
    await page.get_by_role("option", name="Kosher").click()
    await expect(meal).to_contain_text("Kosher")
    await expect(page.get_by_text("Saved")).to_have_count(2)
    state = (await admin(site, "GET", f"/_admin/tenants/{episode}/state")).json()
    stored = {k: row["value"] for k, row in state["preferences"].items()}
    assert stored["seat"] == "window" and stored["meal"] == "kosher"
    await proxy.wait_idle(episode)
    assert [r["perturbation"] for r in ledger_fired(proxy, episode)] == [case.name]


@pytest.mark.parametrize("case", CASES, ids=CASE_IDS)
async def test_miniwob_login_solved_under_transform(
    open_episode: Any, proxy: EmbeddedProxy, miniwob_url: str, case: TransformCase
) -> None:
    episode, page = await open_episode(miniwob_url, case.envelope(MINIWOB_PARTS))
    await page.goto(f"{miniwob_url}/miniwob/login-user.html")
    await wait_fired(page)
    query = await miniwob_kit.start_task(page, "login-7")
    user, password = query.split('"')[1], query.split('"')[3]
    # The fields are found by the text beside them: their order may change (reorder).
    fields = [page.locator("p", has_text=name).locator("input") for name in ("Username", "Pass")]
    for field, value in zip(fields, (user, password), strict=True):
        await field.fill(value)
        assert await field.input_value() == value
    await page.get_by_role("button", name="Login").click()
    assert await miniwob_kit.reward(page) == 1.0
    await proxy.wait_idle(episode)
    assert [r["perturbation"] for r in ledger_fired(proxy, episode)] == [case.name]
