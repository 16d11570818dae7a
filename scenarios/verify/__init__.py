"""Verifiers: judge an episode by its backend state, never by the screen.

Snapshot the backend before and after the episode with a `StateSource`, then `judge` the two
against the task's `VerifierSpec`: the **required** end state, the **allowed** changes, and the
**forbidden** ones (by default any change not allowed is forbidden), and facts about the
episode's HTTP traffic (**network**). The `Verdict` names every
rule that passed or failed, with the records that matched or offended it.

    spec = load_spec(scenario["verifier"], source="scenario.json")
    source = SiteStateSource(base_url, tenant, admin_token)
    before = await source.snapshot()
    ...  # the agent works
    verdict = judge(spec, before, await source.snapshot(), escalated=agent_gave_up)
    print(verdict.summary())

A spec's ``network`` rules are judged from the proxy's ledger of the episode::

    verdict = judge(spec, before, after, escalated=False, traffic=Traffic.read(ledger_path))

Errors: `SpecError` (a `ValueError`) for a bad spec, `StateSourceError` (a `RuntimeError`)
when a snapshot cannot be taken.
"""

from scenarios.verify.base import row_matches
from scenarios.verify.diff import (
    Change,
    ChangeOp,
    RecordChange,
    StateDiff,
    TableDiff,
    apply_diff,
    diff_states,
)
from scenarios.verify.judge import judge
from scenarios.verify.network import Exchange, NetworkRule, Traffic
from scenarios.verify.relations import Join
from scenarios.verify.site_source import SiteStateSource
from scenarios.verify.spec import (
    ChangeRule,
    Requirement,
    RequirementOp,
    SpecError,
    VerifierSpec,
    load_spec,
)
from scenarios.verify.sql_source import SqlStateSource
from scenarios.verify.state import (
    Row,
    State,
    StateSource,
    StateSourceError,
    StaticStateSource,
    parse_state,
)
from scenarios.verify.verdict import Record, RuleKind, RuleResult, Verdict

__all__ = [
    "Change",
    "ChangeOp",
    "ChangeRule",
    "Exchange",
    "Join",
    "NetworkRule",
    "Record",
    "RecordChange",
    "Requirement",
    "RequirementOp",
    "Row",
    "RuleKind",
    "RuleResult",
    "SiteStateSource",
    "SpecError",
    "SqlStateSource",
    "State",
    "StateDiff",
    "StateSource",
    "StateSourceError",
    "StaticStateSource",
    "TableDiff",
    "Traffic",
    "Verdict",
    "VerifierSpec",
    "apply_diff",
    "diff_states",
    "judge",
    "load_spec",
    "parse_state",
    "row_matches",
]
