from __future__ import annotations

import pytest

from proxy_addons.plan import PlanError, parse_plan

GOOD = {"id": "f", "kind": "latency", "params": {"ms": 10}}


def test_page_faults_and_extra_keys_are_ignored() -> None:
    page = {"id": "p", "layer": "page", "kind": "modal", "target": {"selector": "#x"}}
    plan = parse_plan({"episode": "e", "seed": 1, "faults": [GOOD, page], "drill": "calendar"})
    assert [f.envelope.id for f in plan.faults] == ["f"]
    assert plan.page_script_sha256 is None


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ([], r"plan: expected a JSON object, got list"),
        ({"seed": "7"}, r"plan\.seed: expected an integer \(got '7'\)"),
        ({"episode": ""}, r"plan\.episode: expected a non-empty string"),
        ({"faults": {}}, r"plan\.faults: expected a list"),
        ({"faults": [{**GOOD, "kind": "lag"}]}, r"unknown network fault kind 'lag'; known: "),
        (
            {"faults": [{**GOOD, "params": {"ms": -1}}]},
            r"plan\.faults\[0\]\.params\.ms: -1 is less than 0",
        ),
        (
            {"faults": [{**GOOD, "params": {"ms": 1, "jiter_ms": 2}}]},
            r"^plan\.faults\[0\]\.params\.jiter_ms: unknown field \(got 2\)$",
        ),
        (
            {"faults": [{**GOOD, "probability": 1.5}]},
            r"plan\.faults\[0\]\.probability: 1\.5 is greater than 1",
        ),
        (
            {"faults": [{**GOOD, "match": {"path": "re:("}}]},
            r"plan\.faults\[0\]\.match\.path: invalid regex",
        ),
        ({"faults": [GOOD, GOOD]}, r"plan\.faults\[1\]\.id: duplicate fault id 'f'"),
        (
            {"hosts": "a.com"},
            r"plan\.hosts: expected a list of host globs or null \(got 'a\.com'\)",
        ),
        ({"hosts": [""]}, r"plan\.hosts: expected a list of host globs"),
        (
            {"faults": [{"id": "e", "kind": "http_error", "params": {"status": 200}}]},
            r"plan\.faults\[0\]\.params\.status: 200 is less than 400",
        ),
    ],
)
def test_bad_plans_name_field_and_value(data: object, message: str) -> None:
    with pytest.raises(PlanError, match=message):
        parse_plan(data)
