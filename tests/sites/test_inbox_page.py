"""The Inbox page in a real Chromium, against the real site subprocess."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from playwright.async_api import Browser, Page, Route, expect

from sites.booking.inbox import ME
from sites.booking.server import SiteProcess
from tests.sites.sample import COUNT_READ_BODIES, FIXTURE, MAILS, episode

pytestmark = pytest.mark.browser


async def reset(site: SiteProcess, tenant: str, fixture: dict[str, Any]) -> None:
    async with httpx.AsyncClient(base_url=site.url) as http:
        response = await http.put(
            f"/_admin/tenants/{tenant}", json=fixture, headers={"X-Admin-Token": site.admin_token}
        )
        assert response.status_code == 204, response.text


async def emails(site: SiteProcess, tenant: str = "t1") -> dict[str, Any]:
    async with httpx.AsyncClient(base_url=site.url) as http:
        response = await http.get(
            f"/_admin/tenants/{tenant}/state", headers={"X-Admin-Token": site.admin_token}
        )
    table: dict[str, Any] = response.json()["emails"]
    return table


@pytest.fixture
async def page(browser: Browser, site: SiteProcess) -> AsyncIterator[Page]:
    """The Inbox page of tenant "t1" (FIXTURE with the test mails), inbox listed."""
    await reset(site, "t1", {**FIXTURE, "emails": MAILS})
    context = await browser.new_context(extra_http_headers=episode("t1"))
    await context.add_init_script(COUNT_READ_BODIES)
    page = await context.new_page()
    await page.goto(f"{site.url}/inbox")
    await expect(page.locator("#message-list")).to_have_attribute("data-state", "ready")
    yield page
    await context.close()


async def test_read_a_message_and_switch_folders(page: Page) -> None:
    await expect(page).to_have_title("Inbox")
    items = page.locator("#message-list li.message")
    await expect(items).to_have_count(2)
    await expect(page.locator("#message-list")).to_have_attribute("data-folder", "inbox")
    await expect(items.locator(".subject")).to_have_text(["Agenda", "Lunch?"])
    await expect(items.first.locator(".from")).to_have_text("ann@example.com")
    await expect(items.first.locator(".to")).to_have_text(ME)
    await expect(page.locator("#message-view")).to_be_hidden()

    await page.click('#message-list li[data-id="3"]')
    view = page.locator("#message-view")
    await expect(view).to_have_attribute("data-id", "3")
    await expect(view).to_have_attribute("data-state", "ready")
    await expect(view.locator(".subject")).to_have_text("Agenda")
    await expect(view.locator(".from")).to_have_text("ann@example.com")
    await expect(view.locator(".to")).to_have_text(ME)
    assert await view.locator(".body").text_content() == "Line one\nLine two"

    await page.click("#folder-sent")
    await expect(page.locator("#message-list")).to_have_attribute("data-folder", "sent")
    await expect(page.locator("#message-list")).to_have_attribute("data-state", "ready")
    await expect(items).to_have_count(1)
    await expect(items.locator(".to")).to_have_text("bo@example.com")
    await expect(page.locator("#folder-sent")).to_have_attribute("aria-pressed", "true")
    await expect(view).to_be_hidden()


async def test_send_a_message_then_see_it_in_sent(page: Page, site: SiteProcess) -> None:
    await page.click("#folder-sent")
    await expect(page.locator("#message-list li.message")).to_have_count(1)
    await expect(page.locator("#compose-form")).to_be_hidden()
    await page.click("#compose")
    await expect(page.locator("#compose-form")).to_be_visible()
    await page.fill("#to", "dee@example.com")
    await page.fill("#subject", "Flights")
    await page.fill("#body", "Booked.\nSee you.")
    await page.click("#send")

    status = page.locator("#send-status")
    await expect(status).to_have_attribute("data-state", "sent")
    await expect(status).to_have_text("Sent to dee@example.com (#10).")
    await expect(page.locator("#compose-form")).to_be_hidden()
    await expect(page.locator('#message-list li[data-id="10"] .subject')).to_have_text("Flights")

    table = await emails(site)
    assert table["10"] == {
        "id": 10,
        "folder": "sent",
        "sender": ME,
        "recipient": "dee@example.com",
        "subject": "Flights",
        "body": "Booked.\nSee you.",
    }
    await page.click("#compose")  # a new message starts empty
    for field in ("#to", "#subject", "#body"):
        await expect(page.locator(field)).to_have_value("")
    await expect(status).to_have_attribute("data-state", "idle")


async def test_rejected_send_shows_the_server_message_and_keeps_the_form(
    page: Page, site: SiteProcess
) -> None:
    await page.click("#compose")
    await page.fill("#to", "not-an-address")
    await page.fill("#subject", "Hello")
    await page.click("#send")
    status = page.locator("#send-status")
    await expect(status).to_have_attribute("data-state", "error")
    await expect(status).to_have_text(
        "Not sent (HTTP 422: to: expected an e-mail address, got 'not-an-address')."
    )
    await expect(page.locator("#compose-form")).to_be_visible()
    await expect(page.locator("#to")).to_have_value("not-an-address")

    await page.route("**/api/emails", lambda route: route.abort())
    await page.fill("#to", "ann@example.com")
    await page.click("#send")
    await expect(status).to_have_text("Not sent (network error).")
    assert sorted(await emails(site), key=int) == ["3", "5", "9"]

    await page.unroute("**/api/emails")
    await page.click("#send")
    await expect(status).to_have_attribute("data-state", "sent")
    assert sorted(await emails(site), key=int) == ["3", "5", "9", "10"]


async def test_a_send_in_flight_cannot_be_sent_twice(page: Page, site: SiteProcess) -> None:
    release = asyncio.Event()
    posted = asyncio.Event()

    async def hold(route: Route) -> None:
        if route.request.method == "POST":
            posted.set()
            await release.wait()
        await route.fallback()

    await page.route("**/api/emails", hold)
    await page.click("#compose")
    await page.fill("#to", "ann@example.com")
    await page.fill("#subject", "Once")
    await page.click("#send")
    await posted.wait()
    await expect(page.locator("#send-status")).to_have_attribute("data-state", "sending")
    await expect(page.locator("#send")).to_be_disabled()
    await page.press("#subject", "Enter")  # submitting again is ignored while sending
    release.set()
    await expect(page.locator("#send-status")).to_have_attribute("data-state", "sent")
    sent = [m for m in (await emails(site)).values() if m["folder"] == "sent"]
    assert [m["subject"] for m in sent] == ["Re: Agenda", "Once"]


async def test_failed_list_keeps_the_old_one_and_refresh_recovers(
    page: Page, site: SiteProcess
) -> None:
    async def down(route: Route) -> None:
        await route.fulfill(status=503, json={"error": "maintenance"})

    await page.route("**/api/emails?folder=*", down)
    await page.click("#refresh-messages")
    await expect(page.locator("#message-list")).to_have_attribute("data-state", "error")
    await expect(page.locator("#messages-note")).to_contain_text("HTTP 503: maintenance")
    await expect(page.locator("#message-list li.message")).to_have_count(2)

    await page.unroute("**/api/emails?folder=*", down)
    async with httpx.AsyncClient(base_url=site.url) as http:
        sent = await http.post(
            "/api/emails",
            json={"to": "x@example.com", "subject": "Elsewhere"},
            headers=episode("t1"),
        )
        assert sent.status_code == 201
    await page.click("#folder-sent")
    await expect(page.locator("#message-list")).to_have_attribute("data-state", "ready")
    await expect(page.locator("#message-list li.message .subject")).to_have_text(
        ["Re: Agenda", "Elsewhere"]
    )
    await expect(page.locator("#messages-note")).to_be_hidden()


async def test_page_keeps_working_after_clone_replacement(page: Page) -> None:
    await page.evaluate(
        "() => { const m = document.querySelector('main'); m.replaceWith(m.cloneNode(true)); }"
    )
    await page.click('#message-list li[data-id="9"]')
    await expect(page.locator("#message-view .subject")).to_have_text("Lunch?")
    await page.click("#compose")
    await page.fill("#to", "cy@example.org")
    await page.fill("#subject", "Re: Lunch?")
    await page.click("#send")
    await expect(page.locator("#send-status")).to_have_attribute("data-state", "sent")
    await expect(page.locator("#compose-form")).to_be_hidden()


async def test_a_late_answer_for_an_older_message_is_dropped(page: Page) -> None:
    release = asyncio.Event()
    held = asyncio.Event()

    async def hold_first(route: Route) -> None:
        held.set()
        await release.wait()
        await route.fallback()

    await page.route("**/api/emails/3", hold_first)
    await page.click('#message-list li[data-id="3"]')
    await held.wait()
    view = page.locator("#message-view")
    await expect(view).to_have_attribute("data-state", "loading")
    await page.click('#message-list li[data-id="9"]')
    await expect(view.locator(".subject")).to_have_text("Lunch?")

    before: int = await page.evaluate("window.__bodiesRead")
    release.set()
    await page.wait_for_function(f"window.__bodiesRead > {before}")
    await expect(view).to_have_attribute("data-id", "9")
    await expect(view.locator(".subject")).to_have_text("Lunch?")
    await expect(page.locator('#message-list li[aria-current="true"]')).to_have_attribute(
        "data-id", "9"
    )
