"""The HTML report: written atomically, self-contained, and its plots render in Chromium."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from playwright.async_api import Browser

from fuzzer.cli import main
from fuzzer.play.journal import Journal
from tests.fuzzer.play.test_journal import result


def _journal(tmp_path: Path) -> tuple[Path, Path]:
    path, ledgers = tmp_path / "results.jsonl", tmp_path / "results.ledgers"
    ledgers.mkdir()
    j = Journal.open(path, resume=False)
    for trial in range(3):
        ok = result("s1", trial)
        ok.faults_fired = ["latency"]
        j.write(ok)
        bad = result("s2", trial, passed=trial == 0)
        bad.faults_fired = ["modal"]
        bad.summary = "FAIL required 'one booking': found 0 <script>alert(1)</script>"
        j.write(bad)
    j.close()
    records = [
        {"seq": 0, "t_ms": 0, "type": "plan"},
        {"seq": 1, "t_ms": 5, "type": "request", "flow": "f1", "method": "GET", "path": "/"},
        {
            "seq": 2,
            "t_ms": 40,
            "type": "response",
            "flow": "f1",
            "method": "GET",
            "path": "/",
            "status": 200,
            "duration_ms": 35,
            "faults": [],
        },
        {"seq": 3, "t_ms": 60, "type": "page", "kind": "modal", "event": "fired"},
        {"seq": 4, "t_ms": 90, "type": "verdict", "passed": False},
    ]
    for trial in (1, 2):
        (ledgers / f"s2.{trial}.jsonl").write_text("\n".join(map(json.dumps, records)) + "\n")
    return path, ledgers


@pytest.mark.browser
async def test_report_plots_render_in_chromium(tmp_path: Path, browser: Browser) -> None:
    path, _ = _journal(tmp_path)
    out = tmp_path / "report.html"
    assert main(["report", str(path), "-o", str(out)]) == 0
    html = out.read_text()
    assert "<script>alert(1)" not in html  # text from results is escaped
    assert "src=" not in html and "href=" not in html  # self-contained
    page = await browser.new_page()
    await page.goto(out.as_uri())
    charts = await page.eval_on_selector_all(
        "svg.chart",
        "els => els.map(e => [e.getAttribute('aria-label'), "
        "e.getBoundingClientRect().width, e.getBoundingClientRect().height])",
    )
    labels = [c[0] for c in charts]
    assert "success by drill and fault kind" in labels
    assert "pass^k by agent and condition" in labels
    assert "failure attribution for naive" in labels
    assert labels.count("timeline of s2.1") == 1 and "timeline of s2.2" in labels
    assert all(w > 50 and h > 30 for _, w, h in charts)
    assert await page.locator("svg.chart rect.cell").count() == 2  # latency, modal
    assert await page.locator("svg.chart polyline.series").count() == 1
    await page.close()


def test_report_on_a_missing_journal_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["report", str(tmp_path / "nope.jsonl"), "-o", str(tmp_path / "r.html")]) == 2
    assert "no such results journal" in capsys.readouterr().err
    assert not (tmp_path / "r.html").exists()


def test_a_newer_journal_is_read_with_one_warning(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path, _ = _journal(tmp_path)
    lines = path.read_text().splitlines()
    newer = [json.dumps({**json.loads(line), "retries": 2, "cost_usd": 0.1}) for line in lines]
    path.write_text("\n".join(newer) + "\n")
    out = tmp_path / "report.html"
    assert main(["report", str(path), "-o", str(out)]) == 0
    err = capsys.readouterr().err.strip().splitlines()
    assert err == [
        f"gymfuzz: warning: {path}: ignored fields this version does not know: cost_usd, retries"
    ]
    assert out.is_file()


@pytest.mark.parametrize(
    ("tail", "message"),
    [
        ("<html>not a journal</html>\n", ":7: not a results record: not JSON"),
        ('{"scenario_id": "s9"}\n', ":7: not an episode record: "),
        ("[1, 2]\n", ":7: not a results record: expected a JSON object"),
        ('{"scenario_id": "s3", "tri', ":7: the last line is cut off"),
    ],
)
def test_a_torn_or_foreign_line_is_one_clear_line_and_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], tail: str, message: str
) -> None:
    path, _ = _journal(tmp_path)
    with path.open("a") as fh:
        fh.write(tail)
    out = tmp_path / "report.html"
    assert main(["report", str(path), "-o", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"gymfuzz: error: {path}{message}"), err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err
    assert not out.exists()
