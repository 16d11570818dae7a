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
    header added to the app's requests (not other hosts') with the episode id, so an app can
    isolate parallel episodes (e.g. one database per episode). Empty: add nothing.
``gymfuzz_control_token``
    the bearer token of the control API (:mod:`proxy_addons.control`). Empty: the API is off.
``gymfuzz_app_host``
    the app's host, or comma-separated host globs, for regular (forward) mode. Empty: each
    episode's app is the host of its first document request.

**Scope.** A plan applies to the target app's own traffic only; see :mod:`proxy_addons.scope`
for the rule. Other hosts are passed through untouched, with no fault decision evaluated.

**Episodes.** A client names its episode as the *username* of HTTP basic proxy credentials
(``Proxy-Authorization``; the header is removed before forwarding). For HTTPS the credentials
come with the ``CONNECT`` request, and every request inside that tunnel belongs to its
episode. Playwright does it with
``browser.new_context(proxy={"server": url, "username": episode_id, "password": "x"})``.

**Reserved paths.** ``/__gymfuzz/events`` (POST, JSON) receives page-runtime events and writes
them to the ledger; ``/__gymfuzz/control/...`` is the control API (:mod:`proxy_addons.control`).
The proxy answers them and never forwards them, whatever fails while answering; bodies have
size and depth limits (:mod:`proxy_addons.reserved`).

**Failure policy.** A hook never breaks a flow: an exception inside gymfuzz's own code is
logged, recorded in the ledger as ``hook_error``, and the flow continues untouched.
"""

from __future__ import annotations

import json
import logging
import time
import weakref
from collections.abc import Callable
from pathlib import Path
from typing import Any

from mitmproxy import ctx, exceptions, http
from mitmproxy.proxy import mode_specs

from proxy_addons import own_paths, records, reserved, scope
from proxy_addons.classify import (
    classify,
    parse_proxy_auth,
    resource_of_content_type,
)
from proxy_addons.decide import decide_late, decide_request
from proxy_addons.envelope import RESERVED_PREFIX
from proxy_addons.episodes import EpisodeRegistry
from proxy_addons.flowinfo import FlowInfo
from proxy_addons.injection import MAX_DOCUMENT_BYTES, is_html
from proxy_addons.plan import PlanError, parse_plan
from proxy_addons.rewrite import ask_for_the_page, inject_page, over_cap

logger = logging.getLogger(__name__)

META = "gymfuzz"
EVENTS_PATH = reserved.EVENTS_PATH
#: bodies larger than this (or of unknown length) pass through streamed when nothing needs them
STREAM_ABOVE = 256 * 1024


class GymfuzzAddon:
    """The addon; see the module docstring.

    Args:
        registry: the episodes' plans and ledgers, owned by the caller, who closes it (the
            embedded proxy keeps it across a restart of mitmproxy); ``None``: the addon makes
            its own and closes it when mitmproxy shuts down.
    """

    def __init__(self, registry: EpisodeRegistry | None = None) -> None:
        self.registry = registry or EpisodeRegistry(ledger_dir=None)
        self._owns_registry = registry is None
        #: episodes named on CONNECT, for the requests inside each tunnel
        self._tunnels: weakref.WeakKeyDictionary[Any, str] = weakref.WeakKeyDictionary()
        # Option values read once per configure, not per request (the hot path stays short).
        self._require_auth = False
        self._episode_header = "X-Gymfuzz-Episode"
        self._control_token = ""
        self._app_hosts: tuple[str, ...] = ()

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
        loader.add_option(
            "gymfuzz_control_token",
            str,
            "",
            "Bearer token of the control API under /__gymfuzz/control/ (empty: API off).",
        )
        loader.add_option(
            "gymfuzz_app_host",
            str,
            "",
            "Regular mode: the app's host or comma-separated host globs; other hosts are"
            " passed through untouched (empty: the host of each episode's first page load).",
        )

    def configure(self, updated: set[str]) -> None:
        self._require_auth = ctx.options.gymfuzz_require_auth
        self._episode_header = ctx.options.gymfuzz_episode_header
        self._control_token = ctx.options.gymfuzz_control_token
        if "gymfuzz_app_host" in updated:
            try:
                self._app_hosts = scope.parse_app_hosts(ctx.options.gymfuzz_app_host)
            except ValueError as exc:
                raise exceptions.OptionsError(f"gymfuzz_{exc}") from None
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
        if self._owns_registry:
            self.registry.close()

    # -- hooks -----------------------------------------------------------------------------

    def http_connect(self, flow: http.HTTPFlow) -> None:
        try:
            raw = flow.request.headers.get("proxy-authorization")
            episode = parse_proxy_auth(raw) if raw else None
            if episode is not None:
                self._tunnels[flow.client_conn] = episode
            elif self._require_auth:
                flow.response = self._challenge()
        except Exception as exc:
            self._hook_error(flow, "http_connect", exc)

    def requestheaders(self, flow: http.HTTPFlow) -> None:
        try:
            self._admit(flow)
        except Exception as exc:  # a hook never breaks a flow
            self._hook_error(flow, "requestheaders", exc)
        if flow.response is None and reserved.is_reserved(flow.request.path):
            # Refuse an oversized body before mitmproxy reads it.
            req = flow.request
            self._seal(flow, lambda: reserved.check_headers(req.path, req.headers), final=False)

    async def request(self, flow: http.HTTPFlow) -> None:
        if flow.response is not None:
            return
        info = flow.metadata.get(META)
        if reserved.is_reserved(flow.request.path):
            # Sealed: whatever happens here, the proxy answers and the app never sees it.
            reply: reserved.Reply | None = None
            try:
                if isinstance(info, FlowInfo):
                    info.reached_backend = False
                req = flow.request
                reply = await own_paths.answer(
                    req.method,
                    req.path,
                    req.headers,
                    req.get_content(strict=False) or b"",
                    info.state.ledger if isinstance(info, FlowInfo) else None,
                    self.registry,
                    self._control_token,
                )
            except Exception as exc:
                self._hook_error(flow, "request", exc)
                reply = reserved.plain(500, f"failed to answer: {type(exc).__name__}")
            finally:
                self._seal(flow, lambda: reply, final=True)
            return
        if not isinstance(info, FlowInfo):
            return
        try:
            await self._decide_and_apply(flow, info)
        except Exception as exc:
            self._hook_error(flow, "request", exc)

    async def response(self, flow: http.HTTPFlow) -> None:
        info = flow.metadata.get(META)
        if not isinstance(info, FlowInfo) or info.done:
            return
        try:
            if info.reached_backend:
                for active in info.observers:
                    active.fault.observe(flow)
            for active, draw in info.fired:
                info.note(active, await active.fault.on_response(flow, draw))
                if flow.error is not None:  # killed by the fault: nothing is delivered
                    break
            if flow.error is not None:
                info.state.ledger.write(records.error_record(flow, info))
                return
            injected = inject_page(flow, info)
            info.state.ledger.write(records.response_record(flow, info, injected))
        except Exception as exc:
            self._hook_error(flow, "response", exc)
        finally:
            self._finish(flow, info)

    def responseheaders(self, flow: http.HTTPFlow) -> None:
        info = flow.metadata.get(META)
        resp = flow.response
        if not isinstance(info, FlowInfo) or resp is None or info.done:
            return
        try:
            if not info.in_scope:
                resp.stream = True  # not the app's: pass it on as it arrives
                return
            if info.deferred:
                self._decide_late(flow, info)
            needs_body = info.state.plan.page_script is not None and is_html(
                resp.headers.get("content-type")
            )
            if needs_body and over_cap(resp.headers.get("content-length", "")):
                # Too large to rewrite: it passes as it arrives, and the ledger says why.
                info.inject_skipped = f"document larger than the {MAX_DOCUMENT_BYTES}-byte cap"
                needs_body = False
            if info.fired or info.observers:
                if not (needs_body or info.observers) and all(
                    active.fault.streams(flow) for active, _ in info.fired
                ):
                    resp.stream = True  # e.g. a drip: each slice goes on as it comes
                return
            if needs_body:
                return
            length = resp.headers.get("content-length", "")
            if not length.isdigit() or int(length) > STREAM_ABOVE:
                resp.stream = True  # nothing reads it: pass it through as it arrives
        except Exception as exc:
            self._hook_error(flow, "responseheaders", exc)

    def _decide_late(self, flow: http.HTTPFlow, info: FlowInfo) -> None:
        """Decide the faults left for the response's content type (see ``decide``)."""
        req, resp = flow.request, flow.response
        shown = resource_of_content_type(
            resp.headers.get("content-type") if resp else None, req.method
        )
        resource = shown or info.resource
        decisions = decide_late(info, resource, req.method, req.path)
        info.state.ledger.write(records.decision_record(flow, resource, decisions))

    def error(self, flow: http.HTTPFlow) -> None:
        info = flow.metadata.get(META)
        if not isinstance(info, FlowInfo) or info.done:
            return
        try:
            for active, _ in info.fired:
                info.note(active, active.fault.release(flow))
            info.state.ledger.write(records.error_record(flow, info))
        except Exception as exc:
            self._hook_error(flow, "error", exc)
        finally:
            self._finish(flow, info)

    async def websocket_message(self, flow: http.HTTPFlow) -> None:
        info = flow.metadata.get(META)
        if not isinstance(info, FlowInfo) or not info.fired or flow.websocket is None:
            return
        try:
            index = len(flow.websocket.messages) - 1
            for active, draw in info.fired:
                facts = await active.fault.on_message(flow, draw, index)
                if facts:
                    info.state.ledger.write(
                        {
                            "type": "websocket",
                            "flow": flow.id,
                            "path": flow.request.path,
                            "id": active.envelope.id,
                            "kind": active.envelope.kind,
                            **facts,
                        }
                    )
        except Exception as exc:
            self._hook_error(flow, "websocket_message", exc)

    # -- internals -------------------------------------------------------------------------

    def _admit(self, flow: http.HTTPFlow) -> None:
        """Name the flow's episode, challenge if needed, and start its bookkeeping."""
        req = flow.request
        raw = req.headers.pop("proxy-authorization", None)
        episode = parse_proxy_auth(raw) if raw else self._tunnels.get(flow.client_conn)
        if (
            episode is None
            and self._require_auth
            and isinstance(flow.client_conn.proxy_mode, mode_specs.RegularMode)
        ):
            flow.response = self._challenge()
            return
        state = self.registry.get(episode)
        state.inflight += 1
        resource = classify(req)
        info = FlowInfo(state, time.monotonic(), resource.kind, resource.sure)
        reverse = isinstance(flow.client_conn.proxy_mode, mode_specs.ReverseMode)
        if not reverse or state.plan.hosts is not None or state.plan.needs_host:
            info.host = req.pretty_host.lower()  # read only when something needs it
        info.in_scope = scope.in_scope(
            state,
            info.host,
            reverse=reverse,
            app_hosts=self._app_hosts,
            document=resource.kind == "document",
        )
        flow.metadata[META] = info
        ask_for_the_page(flow, info)
        header = self._episode_header
        # Only the app learns the episode id; other hosts get the request untouched.
        own = info.in_scope and not req.path.startswith(RESERVED_PREFIX)
        if header and episode is not None and own:
            req.headers[header] = episode

    @staticmethod
    def _challenge() -> http.Response:
        return http.Response.make(
            407,
            b"gymfuzz: name your episode as the proxy username",
            {"Proxy-Authenticate": 'Basic realm="gymfuzz"', "content-type": "text/plain"},
        )

    def _seal(
        self,
        flow: http.HTTPFlow,
        answer: Callable[[], reserved.Reply | None],
        *,
        final: bool,
    ) -> None:
        """Set the proxy's answer on a reserved path; a failure becomes a ``500`` answer.

        ``final``: no later hook will answer, so no answer at all is a failure too.
        """
        try:
            reply = answer()
        except Exception as exc:
            self._hook_error(flow, "reserved", exc)
            reply = reserved.plain(500, f"failed to answer: {type(exc).__name__}")
        if reply is None and final:
            reply = reserved.plain(500, "failed to answer this gymfuzz path")
        if reply is not None:
            headers = {"content-type": reply.content_type, "cache-control": "no-store"}
            flow.response = http.Response.make(reply.status, reply.body, headers)

    async def _decide_and_apply(self, flow: http.HTTPFlow, info: FlowInfo) -> None:
        req, state = flow.request, info.state
        if not state.plan.faults or not info.in_scope:
            state.ledger.write(records.request_record(flow, info, []))
            return
        decisions = decide_request(info, req.method, info.host, req.path)
        state.ledger.write(records.request_record(flow, info, decisions))
        for active, draw in info.fired:
            info.note(active, await active.fault.on_request(flow, draw))
            if flow.response is not None or flow.error is not None:
                # Answered or killed by the fault: the backend never sees it.
                info.reached_backend = False
                break

    def _finish(self, flow: http.HTTPFlow, info: FlowInfo) -> None:
        if info.done:
            return
        info.done = True
        info.state.inflight -= 1
        for active, _ in info.fired:
            try:
                active.fault.release(flow)
            except Exception as exc:
                self._hook_error(flow, "release", exc)

    def _hook_error(self, flow: http.HTTPFlow, hook: str, exc: BaseException) -> None:
        logger.warning("gymfuzz %s hook failed on %s: %r", hook, flow.request.url, exc)
        info = flow.metadata.get(META)
        if isinstance(info, FlowInfo):
            info.state.ledger.write(
                {"type": "hook_error", "flow": flow.id, "hook": hook, "error": repr(exc)}
            )
