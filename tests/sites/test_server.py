from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from sites.booking.server import SiteProcess
from tests.sites.sample import FIXTURE, episode


def test_site_process_serves_a_real_server(site: SiteProcess) -> None:
    assert site.url.startswith("http://127.0.0.1:")
    admin = {"X-Admin-Token": site.admin_token}
    with httpx.Client(base_url=site.url, timeout=10) as http:
        assert http.put("/_admin/tenants/e1", json=FIXTURE, headers=admin).status_code == 204
        body = {"date": "2026-12-03", "time": "11:00", "title": "Over the wire", "attendee": "Ann"}
        created = http.post("/api/bookings", json=body, headers=episode("e1"))
        assert created.status_code == 201, created.text
        state = http.get("/_admin/tenants/e1/state", headers=admin).json()
        row = state["bookings"][str(created.json()["id"])]
        assert (row["title"], row["time"]) == ("Over the wire", "11:00")
        slots = http.get("/api/slots?date=2026-12-03", headers=episode("e1")).json()["slots"]
        assert [s["time"] for s in slots if not s["available"]] == ["11:00"]
        assert http.get("/_admin/tenants/e1/state").status_code == 403
        page = http.get("/")
        assert page.headers["content-type"] == "text/html; charset=utf-8"
    assert (site.data_dir / "e1.sqlite3").exists()


def test_stop_ends_the_process_and_removes_its_temp_dir() -> None:
    site = SiteProcess()
    data_dir, url = site.data_dir, site.url
    site.stop()
    site.stop()  # idempotent
    assert not data_dir.exists()
    with pytest.raises(httpx.ConnectError):
        httpx.get(f"{url}/api/config", timeout=2)


def test_given_data_dir_and_token_are_used_and_kept(tmp_path: Path) -> None:
    with SiteProcess(data_dir=tmp_path, admin_token="fixed") as site:
        headers = {"X-Admin-Token": "fixed"}
        response = httpx.put(f"{site.url}/_admin/tenants/k", json=FIXTURE, headers=headers)
        assert response.status_code == 204
    assert (tmp_path / "k.sqlite3").exists()


def test_startup_failure_reports_the_child_stderr(tmp_path: Path) -> None:
    not_a_dir = tmp_path / "file"
    not_a_dir.write_text("x")
    with pytest.raises(RuntimeError, match=r"(?s)exited with code 1 before listening.*FileExists"):
        SiteProcess(data_dir=not_a_dir)


def test_cli_prints_listening_line_and_generated_token(tmp_path: Path) -> None:
    env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    proc = subprocess.Popen(
        [sys.executable, "-m", "sites.booking", "--port", "0", "--data-dir", str(tmp_path)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        assert proc.stdout is not None
        first = proc.stdout.readline()
        second = proc.stdout.readline()
        assert first.startswith("gymfuzz-site listening on http://127.0.0.1:")
        assert second.startswith("admin token: ")
        url, token = first.split()[-1], second.split()[-1]
        state = httpx.get(f"{url}/_admin/tenants/x/state", headers={"X-Admin-Token": token})
        assert state.status_code == 200
    finally:
        proc.terminate()
        proc.communicate(timeout=10)


@pytest.mark.parametrize("args", [["--port", "70000"], ["--port", "abc"], ["--bogus"]])
def test_cli_bad_arguments_exit_2(args: list[str]) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "sites.booking", *args],
        capture_output=True,
        text=True,
        timeout=30,
        cwd=Path(__file__).resolve().parents[2],
    )
    assert result.returncode == 2
    assert "usage: python -m sites.booking" in result.stderr
