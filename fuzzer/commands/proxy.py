"""``gymfuzz proxy``: run the gymfuzz proxy in front of any web app, until interrupted.

Usage::

    gymfuzz proxy --upstream http://127.0.0.1:3000   # reverse proxy in front of the app
    gymfuzz proxy                                    # forward proxy (HTTP and HTTPS)
        [--listen-host 127.0.0.1] [--listen-port 8080] [--plan FILE] [--ledger DIR]
        [--control-token TOKEN] [--confdir DIR] [--app-host HOST] [--passthrough-other-hosts]

``--plan FILE`` is one JSON object: a plan (``{"seed", "faults", "page_script"}``) or a
scenario as written in a pack (its page perturbations are bundled into the page script). It
is the default plan, used by every client that names no episode; clients that name one (the
proxy username) get the plan installed for it through the control API. The control API
(``/__gymfuzz/control/``) needs the token, printed at start when not given. In forward mode,
HTTPS goes through mitmproxy's certificate authority: its certificate path and how to trust
it are printed at start. A bad plan file exits with code 2 and one line naming the field.

Plans apply to the app's own traffic only. In reverse mode that is everything; in forward
mode it is ``--app-host`` (a host, or comma-separated host globs such as
``app.test,*.app.test``) or, without it, the host of each episode's first page load. Other
hosts are passed through untouched; with ``--passthrough-other-hosts`` their HTTPS is not
even decrypted (cheapest, but they are then absent from the ledger).
"""

from __future__ import annotations

import argparse
import json
import secrets
import signal
import threading
from collections.abc import Mapping
from pathlib import Path
from types import FrameType
from typing import Any

DEFAULT_PORT = 8080


class ProxyUsageError(ValueError):
    """Bad ``gymfuzz proxy`` input (printed as one line, exit code 2)."""


def load_plan_file(path: Path) -> dict[str, Any]:
    """Read ``--plan``: a plan or a scenario, as the proxy's default plan (validated)."""
    from proxy_addons.plan import PlanError, parse_plan

    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ProxyUsageError(f"--plan: {path}: {exc.strerror or exc}") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise ProxyUsageError(f"--plan: {path}: not one JSON object: {exc}") from None
    if not isinstance(data, dict):
        raise ProxyUsageError(f"--plan: {path}: expected a JSON object, got {type(data).__name__}")
    try:
        data = dict(scenario_plan(data, str(path)) or data)
        data = {**data, "episode": None}
        parse_plan(data, source=str(path))
    except (PlanError, ValueError) as exc:
        raise ProxyUsageError(f"--plan: {exc}") from None
    return data


def scenario_plan(document: Mapping[str, Any], source: str) -> dict[str, Any] | None:
    """The plan of a scenario (network faults and the bundled page script); ``None`` for a plan.

    The proxy's plan converter (``EmbeddedProxy(plan_converter=...)``): a scenario given to
    ``--plan`` or ``PUT /__gymfuzz/control/plans/<episode>`` installs its page perturbations
    too. A document with a ``verifier`` is a scenario; a bad one raises ``ValueError``.
    """
    if "verifier" not in document:
        return None
    from scenarios.model import ScenarioError, load_scenario
    from scenarios.plan import proxy_plan

    episode = document.get("episode")
    body = {k: v for k, v in document.items() if k != "episode"}  # the proxy's, not the scenario's
    try:
        scenario = load_scenario(body, source=source)
    except ScenarioError as exc:
        raise ValueError(str(exc)) from None
    return proxy_plan(scenario, episode if isinstance(episode, str) else "default")


def _ca_help(confdir: Path) -> str:
    cert = confdir / "mitmproxy-ca-cert.pem"
    return (
        f"  HTTPS: clients must trust mitmproxy's CA certificate {cert}\n"
        f"    curl: --cacert {cert}; Python: SSL_CERT_FILE={cert};\n"
        "    Playwright: new_context(ignore_https_errors=True) or add it to the system store\n"
        f"    (Debian: cp {cert} /usr/local/share/ca-certificates/mitmproxy.crt"
        " && update-ca-certificates)"
    )


def cmd_proxy(args: argparse.Namespace) -> int:
    """Run the proxy until SIGINT or SIGTERM."""
    from proxy_addons.embedded import EmbeddedProxy, ProxyStartError

    plan = load_plan_file(args.plan) if args.plan else None
    app_host = _app_host(args)
    token = args.control_token or secrets.token_urlsafe(18)
    confdir = args.confdir or Path.home() / ".mitmproxy"
    reverse = args.upstream is not None
    proxy = EmbeddedProxy(
        upstream=args.upstream,
        ledger_dir=args.ledger,
        listen_host=args.listen_host,
        require_auth=False,
        confdir=confdir,
        control_token=token,
        listen_port=0 if reverse else args.listen_port,
        reverse_port=args.listen_port,
        forward=not reverse,
        app_host=app_host,
        passthrough_other_hosts=args.passthrough_other_hosts,
        plan_converter=scenario_plan,
    )
    try:
        proxy.start()
    except ProxyStartError as exc:
        raise ProxyUsageError(f"--listen-port {args.listen_port}: {exc}") from None
    stop = threading.Event()

    def on_signal(signum: int, frame: FrameType | None) -> None:
        stop.set()

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    try:
        if plan is not None:
            proxy.set_plan(plan)
        base = proxy.reverse_url if reverse else proxy.url
        what = f"reverse proxy in front of {args.upstream}" if reverse else "forward proxy"
        lines = [f"gymfuzz proxy: {what} at {base}"]
        if not reverse:
            lines.append(_ca_help(confdir))
        lines += [
            f"  app: {_app_line(args.upstream, app_host)}",
            f"  default plan: {args.plan or 'none (no faults)'}",
            f"  ledgers: {args.ledger or 'not recorded (pass --ledger DIR)'}",
            f"  control: {base}/__gymfuzz/control/  (Authorization: Bearer {token})",
        ]
        print("\n".join(lines), flush=True)
        while not stop.wait(0.5):
            pass
    finally:
        proxy.stop()
    print("gymfuzz proxy: stopped", flush=True)
    return 0


def _app_host(args: argparse.Namespace) -> str | None:
    """Check ``--app-host`` and ``--passthrough-other-hosts``; ProxyUsageError if unusable."""
    from proxy_addons.scope import parse_app_hosts

    if args.app_host is None:
        if args.passthrough_other_hosts:
            raise ProxyUsageError("--passthrough-other-hosts: needs --app-host")
        return None
    if args.upstream is not None:
        raise ProxyUsageError(
            f"--app-host {args.app_host!r}: forward mode only; with --upstream every"
            " request goes to the app"
        )
    try:
        parse_app_hosts(args.app_host, where="--app-host")
    except ValueError as exc:
        raise ProxyUsageError(str(exc)) from None
    return str(args.app_host)


def _app_line(upstream: str | None, app_host: str | None) -> str:
    if upstream is not None:
        return f"{upstream} (every request)"
    if app_host is not None:
        return f"{app_host} (other hosts untouched)"
    return "the host of each episode's first page load (--app-host to name it)"


def _port(value: str) -> int:
    try:
        n = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a port number, got {value!r}") from None
    if not 0 <= n <= 65_535:
        raise argparse.ArgumentTypeError(f"must be 0 to 65535, got {n}")
    return n


def _url(value: str) -> str:
    if not value.startswith(("http://", "https://")):
        raise argparse.ArgumentTypeError(f"expected an http:// or https:// URL, got {value!r}")
    return value.rstrip("/")


def add_parser(sub: Any) -> None:
    """Register ``gymfuzz proxy`` on the CLI's subparsers."""
    p = sub.add_parser("proxy", help="run the fault-injecting proxy in front of any web app")
    p.add_argument("--upstream", type=_url, help="reverse mode: the app's base URL")
    p.add_argument("--listen-host", default="127.0.0.1", help="address (default 127.0.0.1)")
    p.add_argument(
        "--listen-port", type=_port, default=DEFAULT_PORT, help=f"port (default {DEFAULT_PORT})"
    )
    p.add_argument("--plan", type=Path, help="default plan: a plan or scenario JSON file")
    p.add_argument("--ledger", type=Path, help="folder for per-episode JSONL ledgers")
    p.add_argument("--control-token", help="control API token (default: a random one)")
    p.add_argument("--confdir", type=Path, help="mitmproxy folder with the CA (~/.mitmproxy)")
    p.add_argument(
        "--app-host",
        help="forward mode: the app's host or comma-separated host globs (default: the host"
        " of each episode's first page load); other hosts are never touched",
    )
    p.add_argument(
        "--passthrough-other-hosts",
        action="store_true",
        help="with --app-host: tunnel other hosts' HTTPS without decrypting it",
    )
    p.set_defaults(func=cmd_proxy)
