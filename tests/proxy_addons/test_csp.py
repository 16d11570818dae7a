from __future__ import annotations

import pytest

from proxy_addons.csp import allow_script, script_hash
from proxy_addons.injection import document_charset, inject_document, script_body

H = "'sha256-AAA='"


@pytest.mark.parametrize(
    ("policy", "expected"),
    [
        ("script-src 'self'", f"script-src 'self' {H}"),
        ("default-src 'none'; img-src *", f"default-src {H}; img-src *"),
        (
            "default-src 'self'; script-src 'nonce-abc' 'strict-dynamic'",
            f"default-src 'self'; script-src 'nonce-abc' 'strict-dynamic' {H}",
        ),
        ("script-src 'unsafe-inline' https:", "script-src 'unsafe-inline' https:"),
        ("script-src 'unsafe-inline' 'nonce-x'", f"script-src 'unsafe-inline' 'nonce-x' {H}"),
        (
            "script-src-elem 'self'; script-src 'none'",
            f"script-src-elem 'self' {H}; script-src 'none'",
        ),
        ("img-src *; frame-ancestors 'none'", "img-src *; frame-ancestors 'none'"),
    ],
)
def test_allow_script_adds_only_our_hash(policy: str, expected: str) -> None:
    assert allow_script(policy, H) == expected


def test_script_hash_is_the_csp_sha256_of_the_text() -> None:
    # echo -n "alert(1)" | openssl dgst -sha256 -binary | base64
    assert script_hash("alert(1)") == "'sha256-bhHHL3z2vDgxUt0W3dWQOrprscmda2Y5pLsLg4GF+pI='"


def test_script_body_is_ascii_and_cannot_close_the_element() -> None:
    body = script_body("var s = 'h\u00e9 \U0001f600 </SCRIPT>';")
    assert body == "var s = 'h\\u00e9 \\ud83d\\ude00 <\\/SCRIPT>';"
    assert body.isascii()


@pytest.mark.parametrize(
    ("content", "ctype", "charset"),
    [
        (b"<html>", "text/html; charset=ISO-8859-1", "ISO-8859-1"),
        (b'<meta charset="windows-1252"><p>', "text/html", "windows-1252"),
        (b"\xef\xbb\xbf<html>", "text/html; charset=latin-1", "utf-8-sig"),
        (b"<p>", "text/html", "utf-8"),
    ],
)
def test_document_charset(content: bytes, ctype: str, charset: str) -> None:
    assert document_charset(content, ctype) == charset


def test_inject_document_keeps_the_charset_and_extends_meta_csp() -> None:
    page = (
        '<html><head><meta http-equiv="Content-Security-Policy" content="script-src \'self\'">'
        "</head><body>caf\u00e9</body></html>"
    ).encode("cp1252")
    script = "x = '\u00e9'"
    out = inject_document(page, "text/html; charset=windows-1252", script)
    assert out is not None
    text = out.decode("cp1252")
    assert "caf\u00e9" in text and "x = '\\u00e9'" in text
    assert f"script-src 'self' {script_hash(script_body(script))}" in text


def test_undecodable_document_is_left_alone() -> None:
    assert inject_document(b"<html>\xff\xfe\xfa", "text/html; charset=utf-8", "x") is None
    assert inject_document(b"<html>", "text/html; charset=no-such-charset", "x") is None
