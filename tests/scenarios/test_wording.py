"""Goal wording variants: relative dates, synonyms, the graph format, and what a seed yields."""

from __future__ import annotations

import copy
import datetime as dt
import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from scenarios.drills import DRILLS
from scenarios.drills.graph import GraphDrill
from scenarios.generate import generate_pack, iter_scenarios
from scenarios.pack import SCENARIOS
from scenarios.wording import Wording, check_variant, relative_date, synonyms
from scenarios.workflow_spec import WorkflowError, load_workflow, read_workflow_file
from tests.cli import gymfuzz

SHOP = Path(__file__).with_name("graphs") / "shop_checkout.yaml"
MONDAY = dt.date(2026, 11, 23)


@pytest.mark.parametrize(
    ("day", "said"),
    [
        (MONDAY, "today"),
        (dt.date(2026, 11, 24), "tomorrow"),
        (dt.date(2026, 11, 25), "next Wednesday"),
        (dt.date(2026, 11, 30), "next Monday"),  # the first Monday after today
        (dt.date(2026, 12, 1), "the Tuesday after next"),
        (dt.date(2026, 12, 7), "the Monday after next"),
        (dt.date(2026, 12, 11), "the 3rd Friday from today"),
        (dt.date(2027, 2, 26), "the 14th Friday from today"),
        (dt.date(2027, 1, 18), "the 8th Monday from today"),
        (dt.date(2026, 11, 20), "last Friday"),
        (dt.date(2026, 11, 9), "the 2nd Monday before today"),
    ],
)
def test_relative_dates_say_which_day(day: dt.date, said: str) -> None:
    assert relative_date(day, MONDAY) == said


def test_relative_dates_name_the_day_unambiguously() -> None:
    # Reading a phrase back (nth such weekday after today) gives the day it was made from.
    for offset in range(1, 120):
        day = MONDAY + dt.timedelta(days=offset)
        words = relative_date(day, MONDAY)
        if words == "tomorrow":
            continue
        nth = (
            1
            if words.startswith("next")
            else 2
            if "after next" in words
            else int(words.split()[1][:-2])
        )
        first = MONDAY + dt.timedelta(days=(day.weekday() - MONDAY.weekday() - 1) % 7 + 1)
        assert first + dt.timedelta(weeks=nth - 1) == day, words


def test_synonym_sets_are_chosen_one_by_one() -> None:
    picks = {"synonym1": 2, "synonym2": 0}
    text = synonyms("[[a|b|c]] then [[x|y]]", lambda name, n: picks[name] % n)
    assert text == "c then x"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("Book {colour}", r"uses unknown field 'colour'"),
        ("Book {deliver_by_relative} [[a||b]]", r"empty alternative in '\[\[a\|\|b\]\]'"),
        ("Book [[a|b]", r"unbalanced \[\[ \]\]"),
        ("Book {item_relative}", r"uses unknown field 'item_relative'"),  # not a date field
    ],
)
def test_bad_variants_are_named(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        check_variant(text, {"item", "deliver_by"}, {"deliver_by"})


# ---- what a seed yields, per drill (golden) ----------------------------------------------

GOLDEN: dict[str, list[tuple[int, int, str]]] = {
    "calendar": [
        (0, 2, "Lynn Harvey needs a meeting: Monday 14 December 2026, 11:00, title "
            "'Reverse-engineered even-keeled project'. Reserve it once and only once."),
        (1, 1, "Schedule a meeting with Glenn Foster for the 4th Thursday from today "
            "(2026-12-17) at 11:00, titled 'Monitored discrete capacity'. Book it exactly once."),
        (2, 2, "Christopher Marsh needs a meeting: Wednesday 17 February 2027, 09:00, title "
            "'Reduced local definition'. Book it once and only once."),
    ],
    "dropdown": [
        (0, 1, "Open the preferences page as William Gonzalez and change three settings: home "
            "airport CDG, meal kosher, seat middle. Verify that the system stored each one."),
        (1, 0, "You are Dawn Holland. On the preferences page, set your seat to aisle, your meal "
            "to kosher and your home airport to LIS. Make sure the system has stored all three."),
    ],
    "endurance": [
        (0, 1, "This is Matthew Ross. Your inbox has 3 trip requests; reserve each one once and "
            "only once: 1. for Lisa Lynch <lisa.lynch1@example.com>, a basic fare o"),
        (2, 2, "You are Amanda Rivers. Handle the 3 trip requests waiting in your inbox, booking "
            "every trip exactly once: 1. 2027-02-11 (the 12th Thursday from today)"),
    ],
}  # fmt: skip


@pytest.mark.parametrize("drill", sorted(GOLDEN))
def test_golden_wording_per_seed(drill: str) -> None:
    worded = DRILLS[drill].worded()
    for index, wording, text in GOLDEN[drill]:
        goal = worded.scenario(7, index).goal
        assert (goal.wording, goal.text[: len(text)]) == (wording, text)


@pytest.mark.parametrize("drill", sorted(DRILLS))
def test_wording_changes_only_the_text(drill: str) -> None:
    plain, worded = DRILLS[drill], DRILLS[drill].worded()
    seen = Counter[int]()
    for i in range(40):
        a = json.loads(plain.scenario(3, i).to_json())
        b = json.loads(worded.scenario(3, i).to_json())
        assert "wording" not in a["goal"]
        seen[b["goal"]["wording"]] += 1
        if b["goal"]["wording"] == 0:
            assert b["goal"]["text"] == a["goal"]["text"]
        b["goal"] = {k: v for k, v in b["goal"].items() if k not in ("text", "wording")}
        a["goal"].pop("text")
        assert a == b  # fields, fixture, path, faults and verifier are the same scenario's
    assert sorted(seen) == list(range(len(worded.phrasings.templates)))  # every phrasing used
    assert len(worded.phrasings.templates) >= 3


def test_endurance_first_phrasing_is_the_original() -> None:
    drill = DRILLS["endurance"]
    scenario = drill.scenario_dict(1, 0)
    data = drill.data(scenario["seed"])
    assert drill.phrasings.templates[0].format_map(data) == scenario["goal"]["text"]


def test_relative_dates_follow_the_fixture_today() -> None:
    worded = DRILLS["calendar"].worded()
    for i in range(30):
        scenario = worded.scenario(11, i)
        if scenario.goal.wording == 1:
            today = dt.date.fromisoformat(scenario.fixture["today"])
            day = dt.date.fromisoformat(scenario.goal.fields["date"])
            assert relative_date(day, today) in scenario.goal.text
            return
    raise AssertionError("no scenario took the relative-date phrasing")


# ---- the graph format ------------------------------------------------------------------


def _shop(**changes: Any) -> dict[str, Any]:
    data = copy.deepcopy(read_workflow_file(SHOP))
    data.update(changes)
    return data


SHOP_VARIANTS = [
    "[[Order|Purchase]] one {item} for {buyer} ({address}), to arrive by {deliver_by_relative}.",
    "Deliver by {deliver_text} to {address}: one {item}, bought once for {buyer}.",
]


def test_graph_goal_variants_are_phrasings_of_the_same_goal() -> None:
    fixture = {**read_workflow_file(SHOP).get("fixture_template", {}), "today": "2027-01-25"}
    spec = load_workflow(_shop(goal_variants=SHOP_VARIANTS, fixture_template=fixture))
    drill = GraphDrill(spec).worded()
    goals = [drill.scenario(5, i).goal for i in range(12)]
    assert {g.wording for g in goals} == {0, 1, 2}
    for g in goals:
        assert g.fields["item"] in g.text and g.fields["buyer"] in g.text
    first = next(g for g in goals if g.wording == 1)
    day = dt.date.fromisoformat(first.fields["deliver_by"])
    assert relative_date(day, dt.date(2027, 1, 25)) in first.text
    assert GraphDrill(spec).scenario(5, 0).goal.wording is None  # off unless asked for


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"goal_variants": ["Buy {colour}"]}, r"goal_variants\[0\]: 'Buy \{colour\}' uses unknown"),
        (
            {"goal_variants": ["ok {item}", "Buy [[a|]]"]},
            r"goal_variants\[1\]: .*empty alternative",
        ),
        (
            {"goal_variants": "Buy {item}"},
            r"goal_variants: 'Buy \{item\}' is not a list",
        ),
        (
            {"goal_variants": ["By {deliver_by_relative}"]},
            r"goal_variants\[0\]: \{deliver_by_relative\} needs a 'today' date in fixture_template",
        ),
    ],
)
def test_bad_goal_variants_are_named(changes: dict[str, Any], message: str) -> None:
    with pytest.raises(WorkflowError, match=r"^shop\.yaml: " + message):
        load_workflow(_shop(**changes), where="shop.yaml")


def test_a_fixture_without_today_is_named_at_generation() -> None:
    phrasings = Wording(["x", "by {day_relative}"], ["day"])
    with pytest.raises(ValueError, match=r"no value for \{day_relative\}.*'today' date"):
        for seed in range(20):
            phrasings.choose(seed, {"day": "2027-01-01"}, {})


# ---- packs -------------------------------------------------------------------------------

#: scenarios.jsonl of ``generate_pack(drill="all", count=60, seed=3)`` without wording (pinned
#: again when the calendar's and the dropdown's triggers came to name every widget library).
DEFAULT_PACK_SHA256 = "6a327197a59882cf9c3742739e71caf167dadc266ea16ba9556c0c8798e5e4d0"


def test_packs_keep_their_bytes_without_wording(tmp_path: Path) -> None:
    pack = generate_pack(tmp_path / "p", drill="all", count=60, seed=3)
    assert pack.manifest["scenarios_sha256"] == DEFAULT_PACK_SHA256
    assert "wording" not in pack.manifest["arguments"]


def test_wording_is_a_generator_option(tmp_path: Path) -> None:
    out = tmp_path / "worded"
    done = gymfuzz(
        "generate", "--drill", "dropdown", "--count", "9", "--seed", "7", "--wording",
        "--out", str(out), "--quiet",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["arguments"]["wording"] is True
    lines = [json.loads(x) for x in (out / SCENARIOS).read_text().splitlines()]
    expected = [s.goal.text for s in iter_scenarios("dropdown", 9, 7, wording=True)]
    assert [x["goal"]["text"] for x in lines] == expected
    assert [x["goal"]["wording"] for x in lines[:2]] == [1, 0]  # as GOLDEN says
