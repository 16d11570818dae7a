"""Let the injected script run under a page's Content-Security-Policy, without weakening it.

The policy is never dropped nor loosened for anything else: the directive that governs inline
scripts (``script-src-elem``, else ``script-src``, else ``default-src``) gets the SHA-256 hash
of exactly our script (``'sha256-...'``), so only that script is additionally allowed. When the
directive already allows every inline script (``'unsafe-inline'`` without any nonce or hash,
which would otherwise switch ``'unsafe-inline'`` off) the policy is left as it is.
"""

from __future__ import annotations

import base64
import hashlib

_SCRIPT_DIRECTIVES = ("script-src-elem", "script-src", "default-src")


def script_hash(body: str) -> str:
    """The CSP source expression allowing an inline script whose text is ``body``."""
    digest = hashlib.sha256(body.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode('ascii')}'"


def allow_script(policy: str, source: str) -> str:
    """Return ``policy`` with ``source`` (e.g. from :func:`script_hash`) allowed for scripts."""
    directives = [d.strip() for d in policy.split(";")]
    names = [d.split(None, 1)[0].lower() if d else "" for d in directives]
    for name in _SCRIPT_DIRECTIVES:
        if name not in names:
            continue
        i = names.index(name)
        tokens = directives[i].split()
        values = [t.lower() for t in tokens[1:]]
        has_key = any(v.startswith(("'nonce-", "'sha256-", "'sha384-", "'sha512-")) for v in values)
        if "'unsafe-inline'" in values and not has_key:
            return policy
        if source in tokens:
            return policy
        tokens = [t for t in tokens if t.lower() != "'none'"] + [source]
        directives[i] = " ".join(tokens)
        return "; ".join(d for d in directives if d)
    return policy
