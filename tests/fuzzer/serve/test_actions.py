"""BrowserGym action strings: parsed with ``ast`` into literals, never evaluated."""

from __future__ import annotations

import doctest
from pathlib import Path

import pytest

from fuzzer.serve import actions, axtree
from fuzzer.serve.actions import ActionError, BrowserAction, is_escalation, parse_action
from tests.cli import assert_usage_error, gymfuzz


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('click("12")', BrowserAction("click", ("12",))),
        ("click('12', button='left')", BrowserAction("click", ("12",))),
        ('fill("7", "Ada Lovelace")', BrowserAction("fill", ("7", "Ada Lovelace"))),
        ('select_option("3", "aisle")', BrowserAction("select_option", ("3", "aisle"))),
        ('select_option("3", ["aisle"])', BrowserAction("select_option", ("3", "aisle"))),
        ('press("7", "Enter")', BrowserAction("press", ("7", "Enter"))),
        ("scroll(0, 200)", BrowserAction("scroll", (0.0, 200.0))),
        ('goto("/preferences")', BrowserAction("goto", ("/preferences",))),
        ('send_msg_to_user("done")', BrowserAction("send_msg_to_user", ("done",))),
        ("noop()", BrowserAction("noop", (1000.0,))),
        ("noop(250)", BrowserAction("noop", (250.0,))),
        ("noop(10**9)", None),
        ("  click(12)  ", BrowserAction("click", ("12",))),
    ],
)
def test_parses_browsergym_actions(text: str, expected: BrowserAction | None) -> None:
    if expected is None:
        with pytest.raises(ActionError, match="literal strings or numbers"):
            parse_action(text)
    else:
        assert parse_action(text) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "empty action"),
        ("click((", "cannot parse 'click\\(\\('"),
        ("__import__('os').system('true')", "is not one action call"),
        ("open('x')", "unknown action 'open'"),
        ('click(__import__("os"))', "arguments must be literal strings or numbers"),
        ('fill("7")', "fill: expected 2 arguments, got 1"),
        ('scroll("down", 1)', "scroll: argument 1 must be a number, got 'down'"),
        ("click(True)", "click: argument 1 must be a string, got True"),
        ('click(**{"bid": "1"})', "\\*\\*kwargs are not allowed"),
        ("noop(-1)", "noop: wait_ms must be a number >= 0, got -1"),
        ('click("1"); click("2")', "cannot parse"),
    ],
)
def test_refuses_what_is_not_one_action(text: str, message: str) -> None:
    with pytest.raises(ActionError, match=message):
        parse_action(text)


def test_escalation_is_read_from_the_final_message() -> None:
    assert is_escalation("I am unable to save the meal")
    assert is_escalation("Escalating: the server keeps answering 503")
    assert not is_escalation("All three preferences are stored")


def test_axtree_formats_cdp_nodes_with_bids_and_reads_back() -> None:
    nodes = [
        {
            "nodeId": "1",
            "role": {"value": "RootWebArea"},
            "name": {"value": "Prefs"},
            "childIds": ["2", "5"],
            "backendDOMNodeId": 1,
        },
        {
            "nodeId": "2",
            "parentId": "1",
            "role": {"value": "generic"},
            "name": {"value": ""},
            "childIds": ["3", "4"],
            "backendDOMNodeId": 2,
        },
        {
            "nodeId": "3",
            "parentId": "2",
            "role": {"value": "combobox"},
            "name": {"value": "Seat"},
            "value": {"value": "Aisle"},
            "backendDOMNodeId": 3,
            "properties": [
                {"name": "focused", "value": {"value": True}},
                {"name": "disabled", "value": {"value": False}},
            ],
        },
        {
            "nodeId": "4",
            "parentId": "2",
            "role": {"value": "button"},
            "name": {"value": "It's saved"},
            "backendDOMNodeId": 4,
            "ignored": True,
        },
        {
            "nodeId": "5",
            "parentId": "1",
            "role": {"value": "StaticText"},
            "name": {"value": "Saved"},
            "childIds": ["6"],
            "backendDOMNodeId": 5,
        },
        {
            "nodeId": "6",
            "parentId": "5",
            "role": {"value": "InlineTextBox"},
            "name": {"value": "Saved"},
        },
    ]
    text = list(axtree.format_tree(nodes, {3: "12", 4: "13", 5: "14"}))
    assert text == [
        "RootWebArea 'Prefs'",
        "  [12] combobox 'Seat' value='Aisle' focused=True",
        "  StaticText 'Saved'",
    ]
    seat = axtree.read_tree("\n".join(text))[1]
    assert (seat.bid, seat.role, seat.name, seat.props["value"]) == (
        "12",
        "combobox",
        "Seat",
        "Aisle",
    )


@pytest.mark.parametrize("module", [actions, axtree])
def test_doctests(module: object) -> None:
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)  # type: ignore[arg-type]
    assert result.attempted > 0 and result.failed == 0


def test_serve_with_a_bad_target_file_exits_2_before_starting(tmp_path: Path) -> None:

    from scenarios.generate import generate_pack

    generate_pack(tmp_path / "pack", drill="dropdown", count=1, seed=0)
    bad = tmp_path / "app.yaml"
    bad.write_text("name: x\nurl: http://127.0.0.1:1\nstate: 7\n", encoding="utf-8")
    proc = gymfuzz("serve", str(tmp_path / "pack"), "--target", str(bad), timeout=60)
    assert_usage_error(proc, f"{bad}:3: state")
