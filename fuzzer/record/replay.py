"""The replay agent of a recorded drill: the demonstration again, with the goal's values.

``gymfuzz record`` writes ``replay.json`` (the plan: the demonstration's steps, cut into
segments that each end with one write) and ``agent.py`` beside the graph, so the drill's
certifier loads as ``--careful drills/my_task/agent.py:Agent``. The agent is built on the
careful primitives (:class:`~fuzzer.agents.careful_tools.CarefulPage`):

* it **re-locates every element** before using it, from the ways the recorder noted (role
  and accessible name, label, test id, text, then CSS), taking the first that finds exactly
  one visible element;
* a clicked choice (a fare button, a suggestion) is found by the data attributes that hold
  the goal's values (``#results li[data-flight="{flight}"] button[data-fare="{fare}"]``);
* it closes dialogs that cover the page and clicks again when a click was taken by
  something else (pressing Escape first when what took it is no dialog: a competing
  suggestion list); it fills a field until it reads back the value and chooses an option
  until the select holds it; before a click it reads back the fields of the page still in
  view;
* after every step it **waits for a stable page** (the load finished, no request in flight);
* a segment ending in the goal's write is **guarded**: the agent reads the app's own record
  of the goal's key value (the page the demonstration landed on after the write) before it
  writes, and again after each try; it tries again only when the record shows the write
  did not land, and **escalates** when four writes sent (and answered) in a row did not (a
  try that failed on the way to the write, before sending it, does not count as one);
* a segment ending in another write (a login) is played again until the app shows the page
  the demonstration saw after it; a click that loaded a page in the demonstration is clicked
  again while no page loads;
* the steps after the last write (the demonstration's way to the list it ended on) are
  played, but what fails there is only logged: nothing is left to store.
"""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from fuzzer.agents.base import AgentError, AgentOutcome
from fuzzer.agents.careful_tools import MISSED, CarefulPage

if TYPE_CHECKING:
    from playwright.async_api import Locator, Page, Response

    from fuzzer.agents.base import Task

#: Writes of the goal sent (and answered) without landing before the agent escalates.
WRITE_ATTEMPTS = 4
#: Tries of a segment that ends in another write (a login).
SEGMENT_ATTEMPTS = 4


class ReplayAgent:
    """A recorded drill's replay agent (see the module docstring)."""

    name = "replay"

    def __init__(self, plan: dict[str, Any]) -> None:
        self.plan = plan

    @classmethod
    def from_file(cls, path: Path) -> type[ReplayAgent]:
        """A zero-argument agent class bound to the plan in ``path`` (``replay.json``)."""
        plan = json.loads(Path(path).read_text())

        class Bound(cls):  # type: ignore[valid-type,misc]
            def __init__(self) -> None:
                super().__init__(plan)

        Bound.__name__ = Bound.__qualname__ = "ReplayAgent"
        return Bound

    async def run(self, page: Page, task: Task) -> AgentOutcome:
        out = AgentOutcome()
        replay = _Replay(CarefulPage(page, out), task, self.plan)
        try:
            for segment in self.plan["segments"]:
                if segment.get("goal"):
                    if not await replay.guarded(segment):
                        out.escalated = True
                        out.message = f"the app never stored the write ({WRITE_ATTEMPTS} tries)"
                        return out
                elif segment.get("write") is not None:
                    await replay.retried(segment)
                else:  # after the last write: the way back to a list, nothing left to store
                    try:
                        await replay.steps(segment["first"], segment["last"])
                    except AgentError as exc:
                        out.actions.append(f"after the last write: {exc}")
        except AgentError as exc:
            out.escalated = True
            out.message = str(exc)
        return out


class _Replay:
    def __init__(self, careful: CarefulPage, task: Task, plan: dict[str, Any]) -> None:
        self.careful = careful
        self.page = careful.page
        self.task = task
        self.plan = plan
        parts = urlsplit(task.start_url)
        self.origin = f"{parts.scheme}://{parts.netloc}"
        #: writes sent so far (each answered by the app, whatever it answered)
        self.sent = 0

    # -- finding and acting -------------------------------------------------------------

    async def locate(self, step: dict[str, Any]) -> Locator:
        """The element of ``step``: the first recorded way that finds exactly one visible
        element (waiting up to 10 s for one to)."""
        for _ in range(40):
            await self.careful.dismiss()
            for way in step["locators"]:
                found = await _one_visible(self._locator(way))
                if found is not None:
                    return found
            await asyncio.sleep(0.25)
        raise AgentError(f"cannot find the element of step {step['index']} ({step['what']})")

    async def visible(self, step: dict[str, Any]) -> Locator | None:
        """The element of ``step`` if one is in view now (no waiting)."""
        for way in step["locators"]:
            found = await _one_visible(self._locator(way))
            if found is not None:
                return found
        return None

    def _locator(self, way: dict[str, Any]) -> Locator:
        page = self.page
        if way["by"] == "role":
            role: Any = way["role"]
            if "within" in way:
                row = page.get_by_role(way["within"]["role"], name=way["within"]["name"])
                return row.get_by_role(role, name=way["name"], exact=True)
            return page.get_by_role(role, name=way["name"], exact=True)
        if way["by"] == "label":
            return page.get_by_label(way["label"], exact=True)
        if way["by"] == "testid":
            return page.get_by_test_id(way["testid"])
        if way["by"] == "text":
            return page.get_by_text(way["text"], exact=True)
        if way["by"] == "keyed":  # a choice, found by the goal's values in its attributes
            values = {k: _css_string(v) for k, v in self.task.fields.items()}
            return page.locator(way["css"].format_map(values))
        return page.locator(way["css"])

    def value_of(self, step: dict[str, Any]) -> str:
        field = step.get("field")
        if field is not None:
            return self.task.fields[field]
        return str(step.get("option") if step["kind"] == "select" else step.get("value", ""))

    async def act(self, step: dict[str, Any]) -> None:
        """Play one step, then wait for the page to settle."""
        kind = step["kind"]
        if kind == "goto":
            await self.open(step["url"])
            return
        element = await self.locate(step)
        if kind == "fill":
            if not await self.careful.fill(element, self.value_of(step)):
                raise AgentError(f"step {step['index']}: {step['what']} would not take the value")
        elif kind == "select":
            await self.choose(element, step)
        elif step.get("write"):
            await self.send(step)
        elif step.get("navigates"):
            await self.follow(step)
        elif kind == "press":
            await element.press(step["key"], timeout=5_000)
        else:
            await self.check_form(step)
            await self.click(step, element)
        await self.settle()

    async def click(self, step: dict[str, Any], element: Locator) -> None:
        """Click ``element``; when every click is taken by something over it that is not a
        dialog (a competing suggestion list), press Escape (it goes to the field in focus,
        and closes such a list first) and click again."""
        for attempt in range(3):
            if await self.careful.click(element, step["what"], tries=3):
                return
            self.careful.log(f"{step['what']}: the click was taken; Escape")
            await self.page.keyboard.press("Escape")
            if attempt < 2:
                element = await self.locate(step)
        raise AgentError(f"step {step['index']}: every click on {step['what']} was taken")

    async def send(self, step: dict[str, Any]) -> None:
        """Perform a step that sends a write, again while no request left: a click a cover or
        an inert form took sent nothing. Returns once the answer arrived (and, for a form
        post, the page it led to loaded)."""
        write = step["write"]
        page = self.page

        def sent(response: Response) -> bool:
            request = response.request
            path: str = write["path"]
            return request.method == write["method"] and urlsplit(request.url).path == path

        for _ in range(6):
            await self.check_form(step)
            element = await self.locate(step)
            try:
                if write["navigates"]:
                    async with page.expect_navigation(wait_until="load", timeout=12_000):
                        await self._press(element, step)
                else:
                    async with page.expect_response(sent, timeout=12_000):
                        await self._press(element, step)
                self.careful.log(f"{step['what']}: {write['method']} {write['path']} answered")
                self.sent += 1
                return
            except MISSED:
                self.careful.log(f"{step['what']}: nothing was sent; again")
        raise AgentError(f"step {step['index']}: {step['what']} never sent its request")

    async def follow(self, step: dict[str, Any]) -> None:
        """Perform a step that loaded a page in the demonstration, again while no page
        loads (a dialog or a cover took the click)."""
        for _ in range(4):
            element = await self.locate(step)
            try:
                async with self.page.expect_navigation(wait_until="load", timeout=8_000):
                    await self._press(element, step)
                return
            except MISSED:
                self.careful.log(f"{step['what']}: no page loaded; again")
        raise AgentError(f"step {step['index']}: {step['what']} never loaded its page")

    async def check_form(self, write: dict[str, Any]) -> None:
        """Before a write, read back every value typed or chosen on its page and still in
        view, and set again the ones that changed (a re-render, or a keystroke that went to
        another field). A field of an earlier step of the page's flow, now hidden, and a
        typed value a suggestion replaced are left as they are."""
        for step in self.plan["steps"][: write["index"]]:
            if step["kind"] not in ("fill", "select") or step.get("page") != write.get("page"):
                continue
            if step.get("picked"):
                continue
            element = await self.visible(step)
            if element is None:
                continue
            want = self.value_of(step)
            if step["kind"] == "fill":
                if await element.input_value() != want:
                    self.careful.log(f"{step['what']}: changed before sending; filled again")
                    await self.careful.fill(element, want)
            elif await _chosen(element) != want:
                self.careful.log(f"{step['what']}: changed before sending; chosen again")
                await self.choose(element, step)

    async def _press(self, element: Locator, step: dict[str, Any]) -> None:
        if step["kind"] == "press":
            await element.press(step["key"], timeout=5_000)
        else:
            await self.click(step, element)

    async def choose(self, element: Locator, step: dict[str, Any]) -> None:
        label = self.value_of(step)
        for _ in range(6):
            await self.careful.dismiss()
            try:
                await element.select_option(label=label, timeout=2_000)
                if await _chosen(element) == label:
                    self.careful.log(f"choose {label!r} in {step['what']}")
                    return
            except MISSED:
                await asyncio.sleep(0.2)  # options reordered or the list not there yet
        raise AgentError(f"step {step['index']}: {step['what']} would not hold {label!r}")

    async def open(self, path: str) -> None:
        for _ in range(4):
            try:
                await self.page.goto(self.origin + path, timeout=30_000)
                await self.settle()
                return
            except MISSED:
                await asyncio.sleep(0.5)
        raise AgentError(f"{path} would not load")

    async def settle(self) -> None:
        """Wait until the page finished loading and its requests are answered."""
        try:
            await self.page.wait_for_load_state("load", timeout=15_000)
            await self.page.wait_for_load_state("networkidle", timeout=15_000)
        except MISSED:
            return

    def path(self) -> str:
        return urlsplit(self.page.url).path

    # -- segments --------------------------------------------------------------------------

    async def steps(self, first: int, last: int) -> None:
        for step in self.plan["steps"][first : last + 1]:
            await self.act(step)

    async def retried(self, segment: dict[str, Any]) -> None:
        """Play a segment that ends in a write until the app shows the page after it."""
        after = urlsplit(segment["after"]).path
        for attempt in range(SEGMENT_ATTEMPTS):
            if attempt:
                await self.open(segment["url"])
                if self.path() == after:  # the write had landed: the app moved on
                    return
            try:
                await self.steps(segment["first"], segment["write"])
            except AgentError:
                if attempt == SEGMENT_ATTEMPTS - 1:
                    raise
                continue
            if self.path() == after:
                return
            self.careful.log(f"{segment['request']} did not lead to {after}: again")
        raise AgentError(f"{segment['request']} never led to {after}")

    async def stored(self) -> int:
        """How often the app's own record page shows the goal's key value."""
        readback = self.plan["readback"]
        await self.open(readback["url"])
        value = self.task.fields[readback["field"]]
        return await self.page.get_by_text(value, exact=True).count()

    async def guarded(self, segment: dict[str, Any]) -> bool:
        """Write the goal once: read the record before, and after every try; try again only
        while the record shows no write landed. False when :data:`WRITE_ATTEMPTS` writes
        were sent and none landed (the backend keeps failing), or when the way to the write
        failed :data:`SEGMENT_ATTEMPTS` times more than that."""
        before = await self.stored()
        self.careful.log(f"record shows the value {before} time(s) before writing")
        writes = 0
        for attempt in range(1, WRITE_ATTEMPTS + SEGMENT_ATTEMPTS + 1):
            sent = self.sent
            await self.open(segment["url"])
            try:
                await self.steps(segment["first"], segment["write"])
            except AgentError as exc:
                self.careful.log(f"try {attempt}: {exc}")
            if await self.stored() > before:
                self.careful.log(f"the write landed (try {attempt})")
                await self.steps(segment["write"] + 1, segment["last"])
                return True
            writes += self.sent > sent
            self.careful.log(f"no write landed (try {attempt}, {writes} write(s) sent)")
            if writes >= WRITE_ATTEMPTS:
                break
        return False


async def _chosen(select: Locator) -> str:
    """The label of the option a select holds."""
    chosen: str = await select.evaluate(
        "s => [...s.selectedOptions].map(o => (o.label || o.text).trim()).join(',')"
    )
    return chosen


async def _one_visible(loc: Locator) -> Locator | None:
    try:
        n = await loc.count()
        if n == 1:
            return loc if await loc.is_visible() else None
        visible = [k for k in range(min(n, 20)) if await loc.nth(k).is_visible()]
    except MISSED:
        return None
    return loc.nth(visible[0]) if len(visible) == 1 else None


def _css_string(value: str) -> str:
    """``value`` as the inside of a double-quoted CSS string."""
    return value.replace("\\", "\\\\").replace('"', '\\"')
