from __future__ import annotations

import pytest

from proxy_addons.injection import inject, inject_document, is_html, script_tag


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        (
            "<html><head><title>x</title></head></html>",
            "<html><head>TAG<title>x</title></head></html>",
        ),
        ('<HTML lang="en"><HEAD id=h>', '<HTML lang="en"><HEAD id=h>TAG'),
        ("<html><body>b</body></html>", "<html>TAG<body>b</body></html>"),
        ("<!DOCTYPE html><p>bare</p>", "<!DOCTYPE html>TAG<p>bare</p>"),
        ("<p>fragment</p>", "TAG<p>fragment</p>"),
        ("<header>not a head</header>", "TAG<header>not a head</header>"),
    ],
)
def test_inject_runs_first(html: str, expected: str) -> None:
    assert inject(html, "TAG") == expected


def test_script_tag_cannot_be_closed_from_inside() -> None:
    tag = script_tag("var s = '</SCRIPT><script>alert(1)</script>';", nonce="abc")
    assert tag.count("</script>") == 1 and tag.endswith("</script>")
    assert 'nonce="abc"' in tag


@pytest.mark.parametrize(
    ("ctype", "html"),
    [
        ("text/html; charset=utf-8", True),
        ("application/xhtml+xml", True),
        ("text/plain", False),
        ("application/json", False),
        (None, False),
    ],
)
def test_is_html(ctype: str | None, html: bool) -> None:
    assert is_html(ctype) is html


def test_the_plan_id_goes_on_the_script_element() -> None:
    page = b"<html><head></head><body></body></html>"
    out = inject_document(page, "text/html", "var a;", "a1-B_2")
    assert out == (
        b'<html><head><script data-gymfuzz="runtime" data-gymfuzz-plan="a1-B_2">var a;'
        b"</script></head><body></body></html>"
    )
    for bad in ("", 'x" onload="y', "a b", "x" * 65):
        with pytest.raises(ValueError, match="plan_id"):
            inject_document(page, "text/html", "var a;", bad)
