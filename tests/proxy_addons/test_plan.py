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
            r"plan\.faults\[0\]\.params\.ms: Input should be greater than or equal to 0 \(got -1\)",
        ),
        (
            {"faults": [{**GOOD, "params": {"ms": 1, "jiter_ms": 2}}]},
            r"plan\.faults\[0\]\.params\.jiter_ms: Extra inputs are not permitted",
        ),
        (
            {"faults": [{**GOOD, "probability": 1.5}]},
            r"plan\.faults\[0\]\.probability: Input should be less than or equal to 1",
        ),
        (
            {"faults": [{**GOOD, "match": {"path": "re:("}}]},
            r"plan\.faults\[0\]\.match\.path: Value error, invalid regex",
        ),
        ({"faults": [GOOD, GOOD]}, r"plan\.faults\[1\]\.id: duplicate fault id 'f'"),
        (
            {"hosts": "a.com"},
            r"plan\.hosts: expected a list of host globs or null \(got 'a\.com'\)",
        ),
        ({"hosts": [""]}, r"plan\.hosts: expected a list of host globs"),
        (
            {"faults": [{"id": "e", "kind": "http_error", "params": {"status": 200}}]},
            r"plan\.faults\[0\]\.params\.status: Input should be greater than or equal to 400",
        ),
    ],
)
def test_bad_plans_name_field_and_value(data: object, message: str) -> None:
    with pytest.raises(PlanError, match=message):
        parse_plan(data)
