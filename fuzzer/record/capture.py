"""Record one demonstration of a task on an app: its actions, its requests, its state change.

:func:`record` starts the app of a target file, a real mitmproxy in front of it and Chromium
through the proxy (as every gymfuzz episode does), then:

1. **the no-op baseline**: resets the app, opens the start page, waits, and keeps the
   changes nobody caused (the app's own writes: sessions, logs, clocks);
2. **the demonstration**: resets the app again and lets a person (``headed``) or a Playwright
   function (``script``) do the task once. The page side (``recorder.js``) reports every
   action with the ways to find its element again; the browser reports every request with
   its body; the app's state is read before and after.

The result is a :class:`Demonstration`, plain JSON (``recording.json``), from which
:mod:`fuzzer.record.infer` infers the drill. States are read raw: the target file's own
``ignore`` is left to the inference to confirm, not applied here.
"""

from __future__ import annotations

import asyncio
import bisect
import contextlib
import json
import tempfile
import time
from collections.abc import Awaitable, Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl, urlsplit

from fuzzer.play.episode import settled_records
from fuzzer.play.harness import start_harness
from fuzzer.targets.app import AppTarget
from scenarios.model import load_scenario
from scenarios.verify.diff import diff_states

if TYPE_CHECKING:
    from playwright.async_api import BrowserContext, Page, Request, Response, Route

    from fuzzer.play.harness import Harness
    from scenarios.verify.state import State

#: A scripted demonstration: ``async def demo(page, start_url)``.
Script = Callable[["Page", str], Awaitable[None]]

RECORDER_JS = Path(__file__).with_name("recorder.js")
#: How long the no-op baseline leaves the start page open.
BASELINE_WAIT_S = 2.0
WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


class DemonstrationError(ValueError):
    """The scripted demonstration raised: its message names the script's error."""


@dataclass
class Demonstration:
    """What one recorded demonstration holds (``recording.json``).

    Args:
        target: the target file's name.
        start: the page the demonstration opened first (a path on the app).
        actions: every action in order: ``kind`` (``goto``, ``click``, ``fill``, ``select``,
            ``press``), the ``element`` (tag, role, name, css, ``locators``...), the page it
            was taken on (``page``: url, title, heading), the ``value`` typed or chosen and,
            for a select, the ``options`` it offered; ``t`` seconds from the start.
        requests: every request the page sent: method, path, ``body`` (form or JSON fields),
            resource type, status, ``t``, ``action`` (the index of the action before it) and,
            for a write (POST, PUT, PATCH, DELETE), its ``effects``: the state diff from just
            before it was let through to its answer.
        pages: the pages loaded, with their landmarks, in order.
        changes: the state diff of the demonstration (table, op, pk, row, before, fields).
        baseline: the state diff of the no-op baseline.
        tables: every table of the app's state (with or without rows).
        state: the app's state after the demonstration.
        recorded_at: when the demonstration started (Unix time), to tell the app's clocks.
        ledger: the proxy's ledger of the demonstration.
    """

    target: str
    start: str
    actions: list[dict[str, Any]] = field(default_factory=list)
    requests: list[dict[str, Any]] = field(default_factory=list)
    pages: list[dict[str, Any]] = field(default_factory=list)
    changes: list[dict[str, Any]] = field(default_factory=list)
    baseline: list[dict[str, Any]] = field(default_factory=list)
    tables: list[str] = field(default_factory=list)
    state: dict[str, dict[str, dict[str, Any]]] = field(default_factory=dict)
    recorded_at: float = 0.0
    ledger: list[dict[str, Any]] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Demonstration:
        return cls(**data)

    def write(self, path: Path) -> None:
        """Write ``recording.json`` whole or not at all."""
        tmp = path.with_name(path.name + ".tmp")
        tmp.write_text(json.dumps(self.to_json(), indent=1, sort_keys=True) + "\n")
        tmp.replace(path)

    @classmethod
    def read(cls, path: Path) -> Demonstration:
        return cls.from_json(json.loads(path.read_text()))


def changes_of(before: State, after: State) -> list[dict[str, Any]]:
    """The diff of two snapshots as JSON records, in table then key order."""
    return [
        {
            "table": c.table,
            "op": c.op,
            "pk": c.pk,
            "row": c.row,
            "before": c.before,
            "fields": list(c.fields),
        }
        for c in diff_states(before, after).changes()
    ]


def _plan(episode: str) -> dict[str, Any]:
    return {"episode": episode, "seed": 0, "faults": [], "page_script": None}


def _body(request: Request) -> dict[str, Any]:
    """A request's form or JSON fields (``{}`` when it has none or another kind)."""
    try:
        data = request.post_data
    except (UnicodeDecodeError, ValueError):
        return {}
    if not data:
        return {}
    kind = (request.headers.get("content-type") or "").split(";")[0].strip()
    if kind == "application/json":
        with contextlib.suppress(ValueError):
            parsed = json.loads(data)
            return parsed if isinstance(parsed, dict) else {"": parsed}
        return {}
    if kind == "application/x-www-form-urlencoded":
        out: dict[str, Any] = {}
        for key, value in parse_qsl(data, keep_blank_values=True):
            out[key] = value if key not in out else [*_as_list(out[key]), value]
        return out
    return {}


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


class _Tape:
    """The demonstration's actions and requests as they happen, on one clock."""

    def __init__(self, origin: str) -> None:
        self.origin = origin
        self.t0 = time.monotonic()
        self.actions: list[dict[str, Any]] = []
        self.requests: list[dict[str, Any]] = []
        self.pages: list[dict[str, Any]] = []
        self._by_request: dict[int, dict[str, Any]] = {}
        self._before: dict[int, State] = {}
        self._pending: list[asyncio.Task[None]] = []

    def now(self) -> float:
        return round(time.monotonic() - self.t0, 3)

    def action(self, payload: dict[str, Any]) -> None:
        if not isinstance(payload, dict) or payload.get("kind") is None:
            return
        at = payload.pop("at", None)  # the page's clock when it happened
        wall = at / 1000 if isinstance(at, int | float) else time.time()
        payload = {**payload, "t": self.now(), "wall": wall}
        if payload["kind"] == "load":
            self.pages.append({"t": payload["t"], **payload.get("page", {})})
        else:
            self.actions.append(payload)

    def goto(self, url: str) -> None:
        parts = urlsplit(url)
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        self.actions.append(
            {"kind": "goto", "url": path or "/", "t": self.now(), "wall": time.time()}
        )

    def request(self, request: Request) -> None:
        parts = urlsplit(request.url)
        if f"{parts.scheme}://{parts.netloc}" != self.origin:
            return
        entry = {
            "method": request.method,
            "path": parts.path,
            "query": parts.query,
            "resource": request.resource_type,
            "body": _body(request),
            "status": None,
            "t": self.now(),
            "wall": time.time(),
            "action": -1,
        }
        self._by_request[id(request)] = entry
        self.requests.append(entry)

    def response(self, response: Response) -> None:
        entry = self._by_request.get(id(response.request))
        if entry is not None:
            entry["status"] = response.status

    async def hold_write(self, route: Route, snapshot: Callable[[], Awaitable[State]]) -> None:
        """Let a request through; a write is let through only once the state before it is
        read, and the state after it is read once its answer arrives: its ``effects``."""
        request = route.request
        if request.method in WRITE_METHODS:
            self._before[id(request)] = await snapshot()
        await route.continue_()

    def write_answered(self, response: Response, snapshot: Callable[[], Awaitable[State]]) -> None:
        before = self._before.pop(id(response.request), None)
        entry = self._by_request.get(id(response.request))
        if before is None or entry is None:
            return

        async def effects() -> None:
            entry["effects"] = changes_of(before, await snapshot())

        self._pending.append(asyncio.ensure_future(effects()))

    async def settle(self) -> None:
        """Wait for the effects still being read; then tie each request to the action
        before it. Both carry the machine's clock: an action is stamped by the page as it
        happens, a request when the browser reports it, which is never earlier than the
        action that caused it, whichever message arrived first."""
        await asyncio.gather(*self._pending)
        self.actions.sort(key=lambda a: a["wall"])
        walls = [a["wall"] for a in self.actions]
        for request in self.requests:
            request["action"] = bisect.bisect_right(walls, request["wall"]) - 1


async def _instrument(
    context: BrowserContext, tape: _Tape, snapshot: Callable[[], Awaitable[State]]
) -> None:
    await context.expose_binding("__gymfuzzRecord", lambda _source, payload: tape.action(payload))
    await context.add_init_script(path=str(RECORDER_JS))
    context.on("request", tape.request)
    context.on("response", tape.response)
    context.on("response", lambda response: tape.write_answered(response, snapshot))
    await context.route("**/*", lambda route: tape.hold_write(route, snapshot))


def _scripted(page: Page, tape: _Tape) -> None:
    """Let a script's ``page.goto`` be recorded as an action (a person's typed URL is seen
    as a navigation no action caused)."""
    original = page.goto

    async def goto(url: str, **kwargs: Any) -> Response | None:
        tape.goto(url)
        return await original(url, **kwargs)

    page.goto = goto  # type: ignore[method-assign]


async def _raw_snapshot(target: AppTarget, episode: str) -> State:
    return await target.instance_of(episode).snapshot()


async def _baseline(harness: Harness, target: AppTarget, start_url: str) -> list[dict[str, Any]]:
    episode = "record-baseline"
    scenario = _scenario(target)
    await target.reset(episode, scenario)
    try:
        before = await _raw_snapshot(target, episode)
        harness.proxy.set_plan(_plan(episode))
        try:
            context = await harness.new_context(episode)
            try:
                page = await context.new_page()
                await page.goto(target.instance_of(episode).url + start_url)
                await asyncio.sleep(BASELINE_WAIT_S)
            finally:
                await context.close()
            await settled_records(harness, episode)
        finally:
            harness.proxy.clear_plan(episode)
        return changes_of(before, await _raw_snapshot(target, episode))
    finally:
        await target.release(episode)


def _scenario(target: AppTarget) -> Any:
    return load_scenario(
        {
            "id": "record",
            "drill": "record",
            "seed": 0,
            "goal": {"text": "a demonstration", "start": target.spec.start},
            "verifier": {},
        },
        source="record",
    )


async def _demonstrate(
    harness: Harness, target: AppTarget, script: Script | None
) -> tuple[_Tape, State, State, list[dict[str, Any]]]:
    episode = "record-demonstration"
    await target.reset(episode, _scenario(target))
    try:
        url = target.instance_of(episode).url
        before = await _raw_snapshot(target, episode)
        harness.proxy.set_plan(_plan(episode))
        try:
            tape = _Tape(url)
            context = await harness.new_context(episode)
            try:
                await _instrument(context, tape, lambda: _raw_snapshot(target, episode))
                page = await context.new_page()
                if script is not None:
                    _scripted(page, tape)
                    try:
                        await script(page, url + target.spec.start)
                    except Exception as exc:  # the script's own failure: the user's to fix
                        first = str(exc).splitlines()[0] if str(exc) else ""
                        raise DemonstrationError(
                            f"--script: the demonstration failed ({type(exc).__name__}: {first})"
                        ) from None
                else:
                    await page.goto(url + target.spec.start)
                    await page.wait_for_event("close", timeout=0)
                await asyncio.sleep(0.3)  # the last change event's binding call lands
            finally:
                with contextlib.suppress(Exception):
                    await context.close()
            await tape.settle()
            records = await settled_records(harness, episode)
        finally:
            harness.proxy.clear_plan(episode)
        after = await _raw_snapshot(target, episode)
        return tape, before, after, records
    finally:
        await target.release(episode)


async def record(
    target_file: Path, script: Script | None, *, headed: bool = False
) -> Demonstration:
    """Record one demonstration on the app of ``target_file`` (see the module docstring).

    With ``script``, the function plays the task (``await script(page, start_url)``);
    without, a headed Chromium opens on the start page and the recording ends when the
    person closes the page.
    """
    target = AppTarget.from_file(target_file)
    recorded_at = time.time()
    with tempfile.TemporaryDirectory(prefix="gymfuzz-record-") as ledgers:
        async with start_harness(Path(ledgers), [target], headless=not headed) as harness:
            baseline = await _baseline(harness, target, target.spec.start)
            tape, before, after, ledger = await _demonstrate(harness, target, script)
    return Demonstration(
        target=target.name,
        start=target.spec.start,
        actions=tape.actions,
        requests=tape.requests,
        pages=tape.pages,
        changes=changes_of(before, after),
        baseline=baseline,
        tables=sorted(set(before) | set(after)),
        state=after,
        recorded_at=recorded_at,
        ledger=ledger,
    )
