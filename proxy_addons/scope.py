"""Which requests a plan applies to: by default, the target app's own traffic and nothing else.

The rule, first match wins:

1. A plan that lists ``hosts`` (host globs) applies to requests to those hosts.
2. Otherwise, on a reverse listener every request is the app's: it all goes to the upstream.
3. Otherwise (regular, forward mode) with app hosts configured (``gymfuzz_app_host``,
   ``EmbeddedProxy(app_host=...)``, ``gymfuzz proxy --app-host``; an embedded proxy given an
   ``upstream`` uses that host), requests to those hosts.
4. Otherwise the app is the host of the episode's first document request (a page load):
   from then on that host is in scope. Requests before it, to any host, are not.

Everything out of scope (a CDN, analytics, a login provider, the browser's own calls, the
harness's traffic) gets no fault and no page script: no fault decision is evaluated and the
response is passed on as it arrives. Hosts are compared without the port and case-blind.
"""

from __future__ import annotations

import fnmatch
import re

from proxy_addons.episodes import EpisodeState

_HOST_GLOB = re.compile(r"^[a-z0-9.*?\[\]:_-]+$")


def parse_app_hosts(value: str, *, where: str = "app_host") -> tuple[str, ...]:
    """Read a comma-separated list of host globs (``app.test, *.app.test``); ``ValueError``."""
    hosts = tuple(h.strip().lower() for h in value.split(",") if h.strip())
    for host in hosts:
        if not _HOST_GLOB.match(host):
            raise ValueError(
                f"{where}: expected host names or globs such as 'app.test' or '*.app.test', "
                f"without scheme, port or path (got {host!r})"
            )
    return hosts


def allow_hosts_patterns(hosts: tuple[str, ...]) -> list[str]:
    """mitmproxy ``allow_hosts`` regexes (over ``host:port``) for these host globs."""
    patterns = []
    for glob in hosts:
        body = re.escape(glob).replace(r"\*", ".*").replace(r"\?", ".")
        patterns.append(rf"^{body}:\d+$")
    return patterns


def host_of_url(url: str) -> str:
    """The lower-case host of ``url`` (``http://[::1]:8000/x`` gives ``::1``)."""
    from urllib.parse import urlsplit

    return (urlsplit(url).hostname or "").lower()


def in_scope(
    state: EpisodeState,
    host: str,
    *,
    reverse: bool,
    app_hosts: tuple[str, ...],
    document: bool,
) -> bool:
    """Apply the rule of the module docstring to one request; may learn the episode's app.

    Args:
        state: the episode (its plan's ``hosts``, its learned app host).
        host: the request's host, lower case, without the port.
        reverse: the request came in on a reverse listener.
        app_hosts: the configured app host globs (empty: none configured).
        document: the request is a page load (it may name the app, rule 4).
    """
    hosts = state.plan.hosts
    if hosts is not None:
        return any(fnmatch.fnmatchcase(host, h) for h in hosts)
    if reverse:
        return True
    if app_hosts:
        return any(fnmatch.fnmatchcase(host, h) for h in app_hosts)
    if state.app_host is None and document and host:
        state.app_host = host
        state.ledger.write({"type": "scope", "app_host": host, "from": "first document request"})
    return host == state.app_host
