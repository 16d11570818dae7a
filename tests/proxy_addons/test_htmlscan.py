"""The insertion point of the page script, found by tokenizing the document."""

from __future__ import annotations

import pytest

from proxy_addons.htmlscan import insertion_point
from proxy_addons.injection import inject


def _mark(html: str) -> str:
    return inject(html, "@")


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        (
            "<!doctype html><html><head><title>t</title>",
            "<!doctype html><html><head>@<title>t</title>",
        ),
        (
            '<html><script>var s = "<head>"; var e = "<\\/script>";</script><head>',
            '<html>@<script>var s = "<head>"; var e = "<\\/script>";</script><head>',
        ),
        (
            "<html><!-- <head> --><head x='<head>'>",
            "<html><!-- <head> --><head x='<head>'>@",
        ),
        ('<html lang="<head>"><body>', '<html lang="<head>">@<body>'),
        ("<html><title>a <head> b</title><body>", "<html><title>a <head> b</title>@<body>"),
        (
            "<html><style>x { content: '<head>' }</style><head>",
            "<html><style>x { content: '<head>' }</style><head>@",
        ),
        ("<html><textarea><head></textarea><head>", "<html><textarea><head></textarea><head>@"),
        (
            "<html><script>'</scripts>'; '<head>'</script>",
            "<html>@<script>'</scripts>'; '<head>'</script>",
        ),
        ("<html><head data-a=x>", "<html><head data-a=x>@"),
        ("<!DOCTYPE html>\n<p>bare</p>", "<!DOCTYPE html>@\n<p>bare</p>"),
        ("<p>a < b</p><headline>", "@<p>a < b</p><headline>"),
        ("<html><!-->", "<html>@<!-->"),
        ("<html><plaintext><head>", "<html>@<plaintext><head>"),
        ("<html><head", "<html>@<head"),
        ("", "@"),
    ],
)
def test_the_script_goes_between_tokens_before_the_pages_scripts(html: str, expected: str) -> None:
    assert _mark(html) == expected


def test_an_unclosed_script_ends_the_walk() -> None:
    html = "<html><script>var s = '<head>';"
    assert insertion_point(html) == len("<html>")


def test_the_walk_is_linear() -> None:
    # Thousands of "<" that open nothing, and an attribute full of quotes: no re-scanning.
    html = "<html>" + "< " * 200_000 + "<div a='" + '"' * 100_000 + "'><head>"
    assert insertion_point(html) == len(html)
