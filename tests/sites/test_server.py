from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from sites.booking.server import SiteProcess
from tests.pids import alive, wait_dead
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


def test_the_site_dies_with_its_parent_even_under_sigkill(tmp_path: Path) -> None:
    script = tmp_path / "parent.py"
    script.write_text(
        "import time\n"
        "from sites.booking.server import SiteProcess\n"
        "site = SiteProcess()\n"
        "print(site.pid, site.data_dir, site.url, flush=True)\n"
        "time.sleep(600)\n"
    )
    parent = subprocess.Popen([sys.executable, str(script)], stdout=subprocess.PIPE, text=True)
    site_pid, data_dir = 0, ""
    try:
        assert parent.stdout is not None
        pid_text, data_dir, url = parent.stdout.readline().split()
        site_pid = int(pid_text)
        assert httpx.get(f"{url}/api/config", timeout=10).status_code == 200
        parent.send_signal(signal.SIGKILL)
        parent.wait(timeout=10)
        assert wait_dead(site_pid), "the site outlived its killed parent"
        end = time.monotonic() + 10
        while Path(data_dir).exists() and time.monotonic() < end:
            time.sleep(0.1)
        assert not Path(data_dir).exists(), "the site's data dir outlived its killed parent"
    finally:
        if parent.poll() is None:
            parent.kill()
            parent.wait()
        if parent.stdout is not None:
            parent.stdout.close()
        if site_pid and alive(site_pid):
            os.kill(site_pid, signal.SIGKILL)
        if data_dir:
            shutil.rmtree(data_dir, ignore_errors=True)


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
