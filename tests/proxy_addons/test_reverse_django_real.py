"""Reverse mode in front of a real Django with its default CSRF and Origin checks."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.async_api import Browser, Page

from proxy_addons.embedded import EmbeddedProxy
from tests.cli import command

from .procs import ROOT, free_port, running

pytest.importorskip("django")
pytestmark = [pytest.mark.proxy, pytest.mark.browser]

SITE = Path(__file__).resolve().parent / "django_app"
USER, PASSWORD = "alice", "pw-alice-1"


def _django(env: dict[str, str], *args: str) -> None:
    subprocess.run(
        [sys.executable, "-m", "django", *args],
        cwd=SITE,
        env=env,
        check=True,
        capture_output=True,
        timeout=120,
    )


@pytest.fixture(scope="module")
def django_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A Django dev server with a user, on its own sqlite database."""
    import os

    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "loginsite.settings",
        "PYTHONPATH": str(SITE),
        "LOGINSITE_DB": str(tmp_path_factory.mktemp("django") / "db.sqlite3"),
    }
    _django(env, "migrate", "--noinput")
    create = (
        "from django.contrib.auth.models import User; "
        f"User.objects.create_user({USER!r}, password={PASSWORD!r})"
    )
    _django(env, "shell", "-c", create)
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    cmd = [sys.executable, "-m", "django", "runserver", f"127.0.0.1:{port}", "--noreload"]
    with running(cmd, ready_url=f"{url}/login/", env=env, cwd=SITE):
        yield url


async def _log_in(page: Page, base: str, password: str) -> str:
    await page.goto(f"{base}/login/")
    await page.fill("input[name=username]", USER)
    await page.fill("input[name=password]", password)
    async with page.expect_navigation():
        await page.click("#go")
    return await page.content()


async def test_a_login_post_through_gymfuzz_proxy_passes_djangos_checks(
    django_url: str, browser: Browser, tmp_path: Path
) -> None:
    plan = tmp_path / "plan.json"
    plan.write_text(json.dumps({"seed": 1, "faults": [], "page_script": "window.__gf = 1;"}))
    port = free_port()
    args = ["proxy", "--upstream", django_url, "--listen-port", str(port), "--plan", str(plan)]
    base = f"http://127.0.0.1:{port}"
    with running(command(*args), ready_url=f"{base}/__gymfuzz/control/health", cwd=ROOT):
        context = await browser.new_context()
        try:
            page = await context.new_page()
            # A wrong password: Django re-renders the form from the POST; the runtime is there.
            await _log_in(page, base, "wrong")
            failed = (await page.title(), await page.evaluate("window.__gf"))
            await _log_in(page, base, PASSWORD)
            who = await page.text_content("#who")
            url = page.url
        finally:
            await context.close()
    assert failed == ("login failed", 1)
    assert who == f"hello {USER}"
    assert url == f"{base}/done/"  # Django's redirect came back through the proxy


async def test_without_the_browsers_host_django_refuses_the_login(
    django_url: str, browser: Browser
) -> None:
    # The control: an upstream Host that disagrees with the browser's Origin fails the check.
    with EmbeddedProxy(
        upstream=django_url, forward=False, mitm_options={"keep_host_header": False}
    ) as proxy:
        context = await browser.new_context()
        try:
            html = await _log_in(await context.new_page(), proxy.reverse_url, PASSWORD)
        finally:
            await context.close()
    assert "CSRF verification failed" in html
