"""The gymfuzz mitmproxy addon: episode routing, network faults, page script, ledger.

Load it embedded (:class:`proxy_addons.embedded.EmbeddedProxy`) or with
``mitmdump -s proxy_addons/mitmdump_addon.py``. Options (``--set name=value``):

``gymfuzz_ledger_dir``
    folder for the per-episode JSONL ledgers (empty: no ledger files).
``gymfuzz_plan``
    a plan JSON file used as the default plan (for clients that name no episode).
``gymfuzz_require_auth``
    in regular (forward) proxy mode, challenge clients that send no credentials with
    ``407`` so browsers send their episode id. Off: such clients get the default plan.
``gymfuzz_episode_header``
    header added to upstream requests with the episode id, so an app can isolate parallel
    episodes (e.g. one database per episode). Empty: add nothing.

**Episodes.** A client names its episode as the *username* of HTTP basic proxy credentials
(``Proxy-Authorization``; the header is removed before forwarding). Playwright does it with
``browser.new_context(proxy={"server": url, "username": episode_id, "password": "x"})``.

**Reserved paths.** ``/__gymfuzz/events`` (POST, JSON) receives page-runtime events and writes
them to the ledger; the proxy answers it and never forwards it.

**Failure policy.** A hook never breaks a flow: an exception inside gymfuzz's own code is
logged, recorded in the ledger as ``hook_error``, and the flow continues untouched.
"""

from __future__ import annotations

import base64
import binascii
import json
import logging
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mitmproxy import ctx, exceptions, http
from mitmproxy.proxy import mode_specs

from proxy_addons import seeding
from proxy_addons.envelope import RESERVED_PREFIX
from proxy_addons.episodes import EpisodeRegistry, EpisodeState
from proxy_addons.faults import Draw
from proxy_addons.injection import inject, is_html, script_tag
from proxy_addons.plan import ActiveFault, PlanError, parse_plan

logger = logging.getLogger(__name__)

META = "gymfuzz"
EVENTS_PATH = RESERVED_PREFIX + "events"
_ASSET_DESTS = frozenset(
    {"script", "style", "image", "font", "audio", "video", "track", "manifest"}
)


@dataclass
class FlowInfo:
    """What gymfuzz knows of one flow, kept in ``flow.metadata["gymfuzz"]``."""

    state: EpisodeState
    started: float
    resource: str
    fired: list[tuple[ActiveFault, Draw]] = field(default_factory=list)
    facts: list[dict[str, Any]] = field(default_factory=list)
    reached_backend: bool = True
    done: bool = False

    def note(self, active: ActiveFault, facts: dict[str, Any]) -> None:
        """Keep what a fault reports it did, for the ledger."""
        if facts:
            self.facts.append({"id": active.envelope.id, "kind": active.envelope.kind, **facts})


def resource_type(req: http.Request) -> str:
    """Classify a request as ``document``, ``fetch`` or ``asset`` from its headers."""
    dest = req.headers.get("sec-fetch-dest", "").lower()
    if dest in ("document", "iframe", "frame"):
        return "document"
    if dest in _ASSET_DESTS:
        return "asset"
    if dest == "empty":
        return "fetch"
    if "text/html" in req.headers.get("accept", "") and req.method == "GET":
        return "document"
    path = req.path.split("?", 1)[0].lower()
    if path.endswith((".js", ".css", ".png", ".jpg", ".jpeg", ".gif", ".svg", ".woff", ".woff2")):
        return "asset"
    return "fetch"


def parse_proxy_auth(value: str) -> str | None:
    """The username of a ``Basic`` proxy credential, or ``None`` if unreadable."""
    scheme, _, token = value.partition(" ")
    if scheme.lower() != "basic":
        return None
    try:
        user = base64.b64decode(token.strip(), validate=True).decode("utf-8").partition(":")[0]
    except (binascii.Error, UnicodeDecodeError):
        return None
    return user or None


class GymfuzzAddon:
    """The addon; see the module docstring."""

    def __init__(self, registry: EpisodeRegistry | None = None) -> None:
        self.registry = registry or EpisodeRegistry(ledger_dir=None)

    # -- configuration -------------------------------------------------------------------

    def load(self, loader: Any) -> None:
        loader.add_option("gymfuzz_ledger_dir", str, "", "Folder for per-episode JSONL ledgers.")
        loader.add_option("gymfuzz_plan", str, "", "Plan JSON file used as the default plan.")
        loader.add_option(
            "gymfuzz_require_auth",
            bool,
            False,
            "In regular mode, answer 407 to clients without proxy credentials.",
        )
        loader.add_option(
            "gymfuzz_episode_header",
            str,
            "X-Gymfuzz-Episode",
            "Header carrying the episode id to the upstream app (empty: none).",
        )

    def configure(self, updated: set[str]) -> None:
        if "gymfuzz_ledger_dir" in updated and ctx.options.gymfuzz_ledger_dir:
            self.registry.ledger_dir = Path(ctx.options.gymfuzz_ledger_dir)
        if "gymfuzz_plan" in updated and ctx.options.gymfuzz_plan:
            path = Path(ctx.options.gymfuzz_plan)
            try:
                data = json.loads(path.read_text(encoding="utf-8"))
                plan = parse_plan({**data, "episode": None}, source=str(path))
            except (OSError, json.JSONDecodeError, PlanError) as exc:
                raise exceptions.OptionsError(f"gymfuzz_plan: {exc}") from None
            self.registry.set_plan(plan)

    def done(self) -> None:
        self.registry.close()

    # -- hooks -----------------------------------------------------------------------------

    def requestheaders(self, flow: http.HTTPFlow) -> None:
        try:
            self._admit(flow)
        except Exception as exc:  # a hook never breaks a flow
            self._hook_error(flow, "requestheaders", exc)

    async def request(self, flow: http.HTTPFlow) -> None:
        info = flow.metadata.get(META)
        if not isinstance(info, FlowInfo) or flow.response is not None:
            return
        try:
            if flow.request.path.startswith(RESERVED_PREFIX):
                self._reserved(flow, info)
                return
            await self._decide_and_apply(flow, info)
        except Exception as exc:
            self._hook_error(flow, "request", exc)

    async def response(self, flow: http.HTTPFlow) -> None:
        info = flow.metadata.get(META)
        if not isinstance(info, FlowInfo) or info.done:
            return
        try:
            for active, draw in info.fired:
                info.note(active, await active.fault.on_response(flow, draw))
            injected = self._inject(flow, info)
            resp = flow.response
            info.state.ledger.write(
                {
                    "type": "response",
                    "flow": flow.id,
                    "method": flow.request.method,
                    "path": flow.request.path,
                    "status": resp.status_code if resp else None,
                    "duration_ms": round((time.monotonic() - info.started) * 1000, 3),
                    "reached_backend": info.reached_backend,
                    "faults": info.facts,
                    "injected": injected,
                }
            )
        except Exception as exc:
            self._hook_error(flow, "response", exc)
        finally:
            self._finish(info)

    def error(self, flow: http.HTTPFlow) -> None:
        info = flow.metadata.get(META)
        if not isinstance(info, FlowInfo) or info.done:
            return
        try:
            info.state.ledger.write(
                {
                    "type": "error",
                    "flow": flow.id,
                    "method": flow.request.method,
                    "path": flow.request.path,
                    "error": flow.error.msg if flow.error else None,
                    "duration_ms": round((time.monotonic() - info.started) * 1000, 3),
                    "faults": info.facts,
                }
            )
        finally:
            self._finish(info)

    # -- internals -------------------------------------------------------------------------

    def _admit(self, flow: http.HTTPFlow) -> None:
        """Name the flow's episode, challenge if needed, and start its bookkeeping."""
        req = flow.request
        raw = req.headers.pop("proxy-authorization", None)
        episode = parse_proxy_auth(raw) if raw else None
        regular = isinstance(flow.client_conn.proxy_mode, mode_specs.RegularMode)
        if episode is None and regular and ctx.options.gymfuzz_require_auth:
            flow.response = http.Response.make(
                407,
                b"gymfuzz: name your episode as the proxy username",
                {"Proxy-Authenticate": 'Basic realm="gymfuzz"', "content-type": "text/plain"},
            )
            return
        state = self.registry.get(episode)
        state.inflight += 1
        flow.metadata[META] = FlowInfo(state, time.monotonic(), resource_type(req))
        header = ctx.options.gymfuzz_episode_header
        if header and episode is not None and not req.path.startswith(RESERVED_PREFIX):
            req.headers[header] = episode

    def _reserved(self, flow: http.HTTPFlow, info: FlowInfo) -> None:
        """Answer gymfuzz's own paths; they never reach the upstream app."""
        info.reached_backend = False
        if flow.request.path.split("?", 1)[0] == EVENTS_PATH and flow.request.method == "POST":
            try:
                event = json.loads(flow.request.get_text(strict=False) or "null")
            except json.JSONDecodeError:
                event = None
            if isinstance(event, dict):
                info.state.ledger.write({"type": "page", **event})
                flow.response = http.Response.make(204, b"", {"cache-control": "no-store"})
            else:
                flow.response = http.Response.make(400, b"expected a JSON object")
            return
        flow.response = http.Response.make(404, b"unknown gymfuzz path")

    async def _decide_and_apply(self, flow: http.HTTPFlow, info: FlowInfo) -> None:
        req, state = flow.request, info.state
        plan = state.plan
        key = f"{req.method} {req.path.split('?', 1)[0]}"
        decisions = []
        for active in plan.faults:
            env = active.envelope
            if not env.match.matches(req.method, req.pretty_host, req.path, info.resource):
                continue
            n = state.matches[env.id] = state.matches.get(env.id, 0) + 1
            if not env.trigger.is_candidate(n):
                continue
            k = state.key_matches[(env.id, key)] = state.key_matches.get((env.id, key), 0) + 1
            fired = seeding.unit(plan.seed, env.id, key, k) < env.probability
            decisions.append({"id": env.id, "kind": env.kind, "occurrence": k, "fired": fired})
            if fired:
                info.fired.append((active, Draw(plan.seed, env.id, key, k)))
        state.ledger.write(
            {
                "type": "request",
                "flow": flow.id,
                "method": req.method,
                "path": req.path,
                "resource": info.resource,
                "decisions": decisions,
            }
        )
        for active, draw in info.fired:
            info.note(active, await active.fault.on_request(flow, draw))
            if flow.response is not None:  # answered by the fault: the backend never sees it
                info.reached_backend = False
                break

    def _inject(self, flow: http.HTTPFlow, info: FlowInfo) -> bool:
        script = info.state.plan.page_script
        resp = flow.response
        if (
            script is None
            or resp is None
            or not info.reached_backend
            or flow.request.method != "GET"
            or not 200 <= resp.status_code < 300
            or not is_html(resp.headers.get("content-type"))
        ):
            return False
        text = resp.get_text(strict=False)
        if text is None:
            return False
        resp.text = inject(text, script_tag(script))
        return True

    def _finish(self, info: FlowInfo) -> None:
        if not info.done:
            info.done = True
            info.state.inflight -= 1

    def _hook_error(self, flow: http.HTTPFlow, hook: str, exc: BaseException) -> None:
        logger.warning("gymfuzz %s hook failed on %s: %r", hook, flow.request.url, exc)
        info = flow.metadata.get(META)
        if isinstance(info, FlowInfo):
            info.state.ledger.write(
                {"type": "hook_error", "flow": flow.id, "hook": hook, "error": repr(exc)}
            )
