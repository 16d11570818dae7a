from __future__ import annotations

import importlib.resources
import json
import re

import pytest

from perturbations import DEFAULT_REPORT_URL, build_bundle, validate_config
from perturbations.bundle import read_js, script_json
from perturbations.catalog import TRANSFORMS

from .conftest import OpenPage, instance, page_config

EVIL = "</script><script>alert(1)</script><!-- & \u2028\u2029 -->"


def modal(id: str = "m", **params: object) -> dict[str, object]:
    return instance(
        "modal", "body", {"event": "load"}, {"title": "t", "text": "x", **params}, id=id
    )


def rerender(id: str = "r") -> dict[str, object]:
    return instance("rerender_widget", "#w", {"event": "click"}, id=id)


def _config_json(bundle: str) -> object:
    match = re.search(r"^var GYMFUZZ_CONFIG = (.*);$", bundle, re.MULTILINE)
    assert match is not None
    return json.loads(match.group(1))


def test_same_config_same_bytes() -> None:
    cfg = page_config(modal(), rerender())
    reordered = dict(reversed(list(cfg.items())))
    assert build_bundle(cfg) == build_bundle(cfg) == build_bundle(reordered)


def test_bundle_holds_config_runtime_then_used_kinds_once() -> None:
    bundle = build_bundle(page_config(rerender("r1"), modal("m1"), modal("m2")))
    runtime = bundle.index(read_js("runtime.js"))
    modal_js = bundle.index(read_js("modal.js"))
    rerender_js = bundle.index(read_js("rerender_widget.js"))
    tools = bundle.index(read_js("perturbation_tools.js"))
    assert bundle.index("var GYMFUZZ_CONFIG") < runtime < tools < modal_js < rerender_js
    assert bundle.count(read_js("modal.js")) == 1
    only_modal = build_bundle(page_config(modal()))
    assert read_js("rerender_widget.js") not in only_modal
    idle = build_bundle(page_config())
    assert read_js("runtime.js") in idle
    assert read_js("perturbation_tools.js") not in idle  # an idle runtime carries no extras


def test_transforms_stay_out_of_pages_that_do_not_use_them() -> None:
    transforms = [read_js(spec.js_file) for spec in TRANSFORMS.values()]
    for bundle in (build_bundle(page_config()), build_bundle(page_config(modal()))):
        assert not any(js in bundle for js in transforms)
    themed = build_bundle(page_config(instance("theme", "body", {"event": "load"})))
    assert read_js("theme.js") in themed and read_js("layout.js") not in themed


def test_config_is_normalized_with_defaults() -> None:
    cfg = page_config(
        {
            "id": "m",
            "layer": "page",
            "kind": "modal",
            "target": {"selector": "b"},
            "params": {"title": "t", "text": ""},
        }
    )
    assert _config_json(build_bundle(cfg)) == {
        "episode": "ep-test",
        "seed": 7,
        "report_url": DEFAULT_REPORT_URL,
        "perturbations": [
            {
                "id": "m",
                "layer": "page",
                "kind": "modal",
                "target": {"selector": "b"},
                "trigger": {
                    "event": "load",
                    "selector": None,
                    "nth": 1,
                    "repeat": False,
                    "delay_ms": 0,
                },
                "probability": 1.0,
                "params": {
                    "title": "t",
                    "text": "",
                    "close_label": "Close",
                    "count": 1,
                    "stagger_ms": 0,
                    "order": "shuffled",
                },
            }
        ],
    }
    assert validate_config(cfg).perturbations[0].params["count"] == 1


def test_config_json_is_escaped_for_script_context() -> None:
    text = script_json({"v": EVIL})
    for raw in ("<", ">", "&", "\u2028", "\u2029"):
        assert raw not in text
    assert json.loads(text) == {"v": EVIL}
    bundle = build_bundle(page_config(modal(title=EVIL, text=EVIL)))
    assert "</" not in bundle.split("/* runtime.js */")[0]


@pytest.mark.parametrize(
    "name",
    sorted(f.name for f in (importlib.resources.files("perturbations") / "js").iterdir()),
)
def test_js_files_are_safe_inline(name: str) -> None:
    # The bundle goes into <script>...</script> verbatim: no file may close it or open a comment.
    text = (importlib.resources.files("perturbations") / "js" / name).read_text()
    assert not re.search(r"</script|<!--|<script", text, re.IGNORECASE)


def _entry(**overrides: object) -> dict[str, object]:
    entry = modal("m")
    entry.update(overrides)
    return entry


BAD_CONFIGS: list[tuple[object, str]] = [
    ({"seed": 1, "perturbations": []}, r"^episode: required field is missing$"),
    ({"episode": 3, "seed": 1}, r"^episode: 3 is not a string$"),
    ({"episode": "e", "seed": "7"}, r"^seed: '7' is not an integer$"),
    ({"episode": "e", "seed": -1}, r"^seed: -1 is less than 0$"),
    ({"episode": "e", "seed": 2**53}, r"^seed: 9007199254740992 is greater than 9007199254740991$"),
    ({"episode": "e", "seed": 1, "report_url": 5}, r"^report_url: 5 is not a string$"),
    ({"episode": "e", "seed": 1, "extra": 1}, r"^extra: unknown field \(got 1\)$"),
    ({"episode": "e", "seed": 1, "perturbations": {}}, r"^perturbations: \{\} is not a list$"),
    (
        page_config(modal("a"), _entry(trigger={"event": "hover"})),
        r"^perturbations\[1\]\.trigger\.event: 'hover' is not one of 'load', 'appear', "
        r"'pointerdown', 'click', 'focus', 'input', 'change', 'submit', 'keydown', 'step' or "
        r"'navigate'$",
    ),
    (
        page_config(_entry(trigger={"event": "click", "nth": 0})),
        r"^perturbations\[0\]\.trigger\.nth: 0 is less than 1$",
    ),
    (
        page_config(_entry(trigger={"event": "load", "nth": 2})),
        r"^perturbations\[0\]\.trigger\.nth: 2 must be 1 for 'load'$",
    ),
    (
        page_config(_entry(trigger={"event": "click", "delay_ms": -1})),
        r"^perturbations\[0\]\.trigger\.delay_ms: -1 is less than 0$",
    ),
    (
        page_config(_entry(trigger={"event": "click", "repeat": "yes"})),
        r"^perturbations\[0\]\.trigger\.repeat: 'yes' is not a boolean$",
    ),
    (
        page_config(_entry(trigger={"event": "click", "when": 1})),
        r"^perturbations\[0\]\.trigger\.when: unknown field \(got 1\)$",
    ),
    (
        page_config(_entry(probability=1.5)),
        r"^perturbations\[0\]\.probability: 1\.5 is greater than 1\.0$",
    ),
    (
        page_config(_entry(layer="network")),
        r"^perturbations\[0\]\.layer: 'network' is not one of 'page'$",
    ),
    (
        page_config(_entry(target={})),
        r"^perturbations\[0\]\.target\.selector: required field is missing$",
    ),
    (
        page_config(_entry(kind="popup")),
        r"^perturbations\[0\]\.kind: 'popup' is not one of 'autosuggest', 'calendar_drift', "
        r".*, 'zoom_shift'$",
    ),
    (
        page_config(_entry(params={"title": "t", "text": "", "count": 9})),
        r"^perturbations\[0\]\.params\.count: 9 is greater than 5$",
    ),
    (
        page_config(modal("a"), modal("a")),
        r"^perturbations\[1\]\.id: 'a' is a duplicate$",
    ),
    (
        page_config(_entry(id=""), _entry(id="b", probability=-0.1)),
        r"^perturbations\[0\]\.id: '' is shorter than 1 character\(s\); "
        r"perturbations\[1\]\.probability: -0\.1 is less than 0\.0$",
    ),
    ("not a mapping", r"^config: 'not a mapping' is not an object$"),
]


@pytest.mark.parametrize(("config", "message"), BAD_CONFIGS)
def test_bad_config_names_the_field(config: object, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        build_bundle(config)  # type: ignore[arg-type]


@pytest.mark.browser
async def test_evil_param_values_stay_inert_in_an_inline_script(open_page: OpenPage) -> None:
    cfg = page_config(modal(title=EVIL, text=EVIL))
    h = await open_page('<p id="own">page</p>', cfg, inline=True)
    dialogs: list[str] = []
    h.page.on("dialog", lambda d: dialogs.append(d.message))
    await h.page.get_by_role("dialog").wait_for()
    assert await h.page.locator("[role=dialog] h2").text_content() == EVIL
    params = await h.page.evaluate("window.__gymfuzz.config.perturbations[0].params")
    assert params["title"] == EVIL and params["text"] == EVIL
    # One script element in head (ours), no injected one, and the page body parsed intact.
    assert await h.page.evaluate("document.scripts.length") == 1
    assert await h.page.locator("#own").text_content() == "page"
    assert dialogs == []


def test_step_navigate_and_keydown_triggers_validate() -> None:
    for event in ("step", "navigate", "keydown"):
        trigger = {"event": event, "nth": 2}
        validate_config(page_config(instance("rerender_widget", "#w", trigger)))
    with pytest.raises(ValueError, match=r"trigger\.event: 'hover' is not one of 'load', "):
        validate_config(page_config(instance("rerender_widget", "#w", {"event": "hover"})))
