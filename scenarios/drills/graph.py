"""A drill made from a workflow graph file: paths, t-way perturbations and data, generically.

:class:`GraphDrill` turns a :class:`~scenarios.workflow_spec.WorkflowSpec` into scenarios:
scenario ``index`` takes row ``index % rows`` of the perturbation covering array and path
``index % paths`` of the path strategy, draws its data from per-field child seeds, and fills
the goal, fixture and verifier templates. The built-in drills use the same format; a graph
no site implements still yields valid scenarios carrying its templates and perturbations.

    >>> from scenarios.drills.graph import GraphDrill, builtin_spec
    >>> drill = GraphDrill(builtin_spec("calendar"))
    >>> drill.path_plan.coverage()["edges_covered"] == drill.path_plan.coverage()["edges_total"]
    True
"""

from __future__ import annotations

import copy
import datetime as dt
import itertools
from functools import cached_property
from pathlib import Path
from typing import Any

from scenarios.covering import Row, covering_array, pair_coverage, tuple_coverage
from scenarios.fakedata import check_method, day_range, fake_value
from scenarios.model import SCHEMA_VERSION, Scenario, load_scenario
from scenarios.paths import PathPlan, graph_of, plan_paths
from scenarios.seeds import child_seed
from scenarios.verify import load_spec
from scenarios.wording import Wording
from scenarios.workflow_spec import (
    DEFAULT_INTERFACE,
    InterfaceSpec,
    WorkflowSpec,
    compile_template,
    envelope,
    levels,
    load_workflow,
    matches,
)

GRAPHS_DIR = Path(__file__).with_name("graphs")


def builtin_spec(name: str) -> WorkflowSpec:
    """The workflow spec of a built-in drill, from ``scenarios/drills/graphs/<name>.json``."""
    return load_workflow(GRAPHS_DIR / f"{name}.json")


class GraphDrill:
    """Scenario factory for any workflow graph (see the module docstring).

    Args:
        spec: the validated workflow.
        strategy: path strategy (:data:`scenarios.paths.STRATEGIES`).
        strength: ``t`` of the perturbation covering array (2 or 3).
        locale: faker locale of the data.
        path_limit: how many paths the ``simple``, ``random`` and ``shortest`` strategies keep.
        path_seed: the seed of the ``random`` strategy's walks.

    ``wording`` (off unless :meth:`worded` made this drill) picks each scenario's phrasing
    of the goal from ``goal_template`` and ``goal_variants`` (see :mod:`scenarios.wording`).
    ``interfaced`` (off unless :meth:`with_interfaces` made this drill) adds the graph's
    interface variants as the last dimension of the covering array: each scenario is played
    on one of them (``interface``), whose transforms it keeps in both conditions.
    """

    wording: bool = False
    interfaced: bool = False

    def __init__(
        self,
        spec: WorkflowSpec,
        *,
        strategy: str = "edge_cover",
        strength: int = 2,
        locale: str = "en_US",
        path_limit: int = 100,
        path_seed: int = 0,
    ) -> None:
        self.path_source = strategy
        if strength not in (2, 3):
            raise ValueError(f"--strength: must be 2 or 3 (got {strength})")
        self.spec = spec
        self.name = spec.name
        self.description = spec.description
        self.graph = graph_of(spec)
        self.strategy, self.strength, self.locale = strategy, strength, locale
        #: The graph solvable scenarios walk: without the escalation node of unsolvable ones.
        self.solvable_graph = self.graph
        if spec.unsolvable is not None:
            self.solvable_graph = self.graph.copy()
            self.solvable_graph.remove_node(spec.unsolvable.end)
        self.path_plan: PathPlan = plan_paths(
            self.solvable_graph, spec.start, spec.goal, strategy, limit=path_limit, seed=path_seed
        )
        self._path_options = {"path_limit": path_limit, "path_seed": path_seed}
        self.levels = [levels(spec, p) for p in spec.perturbations]
        self.sizes = [len(lv) for lv in self.levels]
        self.forbidden = self._forbidden()
        self._triggers = {e.action: e.trigger for e in spec.edges if e.trigger}
        verifier = load_spec(spec.verifier_template).model_dump(mode="json")
        self._verifier = compile_template(verifier)
        self._fixture = compile_template(spec.fixture_template)
        self._goal_fields = compile_template(spec.goal_template.fields)
        dates = [name for name, f in spec.data.items() if f.date is not None]
        self.phrasings = Wording([spec.goal_template.text, *spec.goal_variants], dates)
        self._faults: dict[Row, list[dict[str, Any]]] = {}
        self._unsolvable = spec.unsolvable
        if self._unsolvable is not None:
            unsolvable = load_spec(self._unsolvable.verifier_template).model_dump(mode="json")
            self._unsolvable_verifier = compile_template(unsolvable)

    def configured(self, *, strength: int, locale: str) -> GraphDrill:
        """The same drill with another covering strength or locale."""
        return GraphDrill(
            self.spec,
            strategy=self.strategy,
            strength=strength,
            locale=locale,
            **self._path_options,
        )

    def worded(self) -> GraphDrill:
        """This drill with goal wording variants on (a shallow copy sharing its caches)."""
        out = copy.copy(self)
        out.wording = True
        return out

    def with_interfaces(self) -> GraphDrill:
        """This drill with its interface variants as a covering-array dimension (a copy with
        its own rows); ``ValueError`` when its graph names none."""
        if not self.spec.interfaces:
            raise ValueError(f"--interfaces: the {self.name} graph names no interface variant")
        out = copy.copy(self)
        out.__dict__.pop("rows", None)  # cached on the original: recomputed with the dimension
        out._faults = {}
        out.interfaced = True
        return out

    @property
    def factor_sizes(self) -> list[int]:
        """The covering array's dimensions: the perturbations' level counts, then, when
        :attr:`interfaced`, the interface variants' count plus one (``default``)."""
        extra = [1 + len(self.spec.interfaces)] if self.interfaced else []
        return [*self.sizes, *extra]

    def interface(self, row: Row) -> InterfaceSpec | None:
        """The interface variant of a row (``None``: the app as it is, or not interfaced)."""
        if not self.interfaced or not row[len(self.sizes)]:
            return None
        return self.spec.interfaces[row[len(self.sizes)] - 1]

    def interface_name(self, row: Row) -> str:
        """The name :meth:`interface` goes by in scenarios (``default`` for none)."""
        variant = self.interface(row)
        return DEFAULT_INTERFACE if variant is None else variant.name

    def check(self) -> None:
        """Fail early (``ValueError``) when the locale cannot provide a faker field."""
        for f in self.spec.data.values():
            if f.faker is not None:
                check_method(self.locale, f.faker)

    def _forbidden(self) -> list[dict[int, int]]:
        out: list[dict[int, int]] = []
        index = {p.id: i for i, p in enumerate(self.spec.perturbations)}
        for c in self.spec.constraints:
            picks = [
                [
                    (index[pid], li)
                    for li, lv in enumerate(self.levels[index[pid]])
                    if matches(lv, sel)
                ]
                for pid, sel in c.never.items()
            ]
            combos: list[dict[int, int]] = [{}]
            for choices in picks:
                combos = [{**c_, f: lv} for c_ in combos for f, lv in choices]
            out += combos
        if self.spec.min_perturbations and self.sizes:
            out.append(dict.fromkeys(range(len(self.sizes)), 0))
        return out

    @cached_property
    def rows(self) -> list[Row]:
        """The covering array: one level index per perturbation, ``0`` meaning off (then the
        interface variant's, when :attr:`interfaced`; ``0`` meaning ``default``)."""
        sizes = self.factor_sizes
        if not sizes:
            return [()]
        return covering_array(sizes, t=self.strength, forbidden=self.forbidden)

    def tuple_coverage(self, rows: list[Row]) -> dict[str, int]:
        """``{"t", "covered", "total"}`` t-tuples of levels (perturbations, and interface
        when :attr:`interfaced`) that ``rows`` reach."""
        sizes = self.factor_sizes
        if not sizes:
            return {"t": self.strength, "covered": 0, "total": 0}
        covered, total = tuple_coverage(rows, sizes, t=self.strength, forbidden=self.forbidden)
        return {"t": self.strength, "covered": covered, "total": total}

    def interface_coverage(self, rows: list[Row]) -> dict[str, int]:
        """``{"covered", "total"}`` pairs (interface variant, perturbation level) that ``rows``
        reach, of those the constraints allow (``{}`` when not :attr:`interfaced`)."""
        if not self.interfaced:
            return {}
        covered, total = pair_coverage(
            rows, self.factor_sizes, len(self.sizes), forbidden=self.forbidden
        )
        return {"covered": covered, "total": total}

    # -- one scenario ------------------------------------------------------------------

    def row_index(self, index: int) -> int:
        """The covering-array row scenario ``index`` uses."""
        return index % len(self.rows)

    def data(self, sseed: int) -> dict[str, str]:
        """The goal data of a scenario, each field from its own child seed."""
        out: dict[str, str] = {}
        dates: dict[str, dt.date] = {}
        drawn: dict[str, dict[str, str]] = {}
        for name, f in self.spec.data.items():
            fseed = child_seed(sseed, "data", name)
            if f.faker is not None:
                out[name] = fake_value(self.locale, f.faker, fseed)
            elif f.choice is not None:
                out[name] = f.choice[fseed % len(f.choice)]
            elif f.date is not None:
                days = day_range(f.date.start, f.date.end, f.date.weekdays_only)
                dates[name] = days[fseed % len(days)]
                out[name] = dates[name].isoformat()
            elif f.row is not None:
                drawn[name] = f.row.rows[fseed % len(f.row.rows)]
                out[name] = drawn[name][f.row.column]
        for name, f in self.spec.data.items():
            if f.strftime is not None:
                out[name] = dates[f.strftime.field].strftime(f.strftime.format)
            elif f.column is not None:
                out[name] = drawn[f.column.field][f.column.name]
        return out

    def fixture(self, sseed: int, data: dict[str, str]) -> dict[str, Any]:
        """The initial app data of a scenario."""
        filled: dict[str, Any] = self._fixture(data)
        return filled

    def goal(self, data: dict[str, str]) -> dict[str, Any]:
        """The goal of a scenario: its text, structured fields and start page."""
        goal = self.spec.goal_template
        return {
            "text": goal.text.format_map(data),
            "fields": self._goal_fields(data),
            "start": goal.start,
        }

    def reword(
        self, goal: dict[str, Any], sseed: int, data: dict[str, str], fixture: dict[str, Any]
    ) -> dict[str, Any]:
        """``goal`` in the phrasing scenario seed ``sseed`` takes, with ``wording`` set."""
        k, text = self.phrasings.choose(sseed, data, fixture)
        return {**goal, "text": text, "wording": k}

    def verifier(self, data: dict[str, str]) -> dict[str, Any]:
        """The verifier spec of a (solvable) scenario, as JSON data."""
        spec: dict[str, Any] = self._verifier(data)
        return spec

    def path(self, index: int, row: Row, data: dict[str, str]) -> list[str]:
        """The path (actions) scenario ``index`` follows."""
        paths = self.path_plan.paths
        return list(paths[index % len(paths)])

    def faults(self, row: Row) -> list[dict[str, Any]]:
        """The fault envelopes of a covering-array row (levels ``0`` are left out).

        Built once per row and shared: treat the result as read-only.
        """
        cached = self._faults.get(row)
        if cached is None:
            cached = self._faults[row] = self._build_faults(row)
        return cached

    def _build_faults(self, row: Row) -> list[dict[str, Any]]:
        variant = self.interface(row)
        shown = variant.envelopes() if variant is not None else []
        return (
            shown
            + [
                envelope(p, self.levels[i][lv], self._triggers)  # type: ignore[arg-type]
                for i, (p, lv) in enumerate(
                    zip(self.spec.perturbations, row[: len(self.sizes)], strict=True)
                )
                if lv
            ]
        )

    def _interface_faults(self, row: Row) -> list[dict[str, Any]]:
        """The row's interface transforms (the first faults of :meth:`faults`)."""
        variant = self.interface(row)
        return self.faults(row)[: len(variant.transforms)] if variant is not None else []

    def is_unsolvable(self, index: int) -> bool:
        """Whether scenario ``index`` is unsolvable by design (see ``unsolvable`` in the spec)."""
        u = self._unsolvable
        return u is not None and index % u.every == u.every - 1

    def _unsolvable_actions(self, normal: list[str]) -> list[str]:
        """The ``normal`` path up to its first visit of the node where the outage shows
        (``unsolvable.at``), then the shortest walk to the escalation node."""
        import networkx as nx

        assert self._unsolvable is not None
        graph, node, cut = self.graph, self.spec.start, 0
        while node != self._unsolvable.at and cut < len(normal):
            node = next(v for _, v, k in graph.out_edges(node, keys=True) if k == normal[cut])
            cut += 1
        tail = nx.shortest_path(graph, node, self._unsolvable.end)
        steps = (str(min(graph.get_edge_data(u, v))) for u, v in itertools.pairwise(tail))
        return [*normal[:cut], *steps]

    def scenario_dict(
        self,
        seed: int,
        index: int,
        *,
        perturbed: bool = True,
        row: Row | None = None,
        path: list[str] | None = None,
    ) -> dict[str, Any]:
        """Scenario ``index`` as the plain dict :meth:`Scenario.model_dump` would give.

        Parts of it are shared between scenarios (faults, template constants): serialize
        it, do not change it; :meth:`scenario` gives an independent, validated copy.

        ``row`` (perturbation levels) and ``path`` override the ones ``index`` selects.
        """
        sseed = child_seed(seed, self.name, index)
        row = self.rows[self.row_index(index)] if row is None else row
        data = self.data(sseed)
        fixture = self.fixture(sseed, data)
        variant = self.interface(row)
        if variant is not None and variant.fixture:  # the app's own switch for the variant
            fixture = {**fixture, **variant.fixture}
        goal = self.goal(data)
        if self.wording:
            goal = self.reword(goal, sseed, data, fixture)
        out: dict[str, Any] = {
            "schema_version": SCHEMA_VERSION,
            "id": f"{self.name}-{index:05d}",
            "drill": self.name,
            "seed": sseed,
            "goal": goal,
            "path": self.path(index, row, data) if path is None else path,
            "fixture": fixture,
            "faults": self.faults(row) if perturbed else self._interface_faults(row),
            "verifier": self.verifier(data),
            "solvable": True,
            "essential": [],
        }
        if self.interfaced:  # the interface is the app's look, kept in both conditions
            out["interface"] = self.interface_name(row)
            out["essential"] = [f["id"] for f in self._interface_faults(row)]
        u = self._unsolvable
        if u is not None and self.is_unsolvable(index):
            out["faults"] = [*u.faults, *out["faults"]]
            out["essential"] = [f["id"] for f in u.faults] + out["essential"]
            out["verifier"] = self._unsolvable_verifier(data)
            out["solvable"] = False
            if path is None:
                out["path"] = self._unsolvable_actions(out["path"])
        return out

    def scenario(self, seed: int, index: int, *, perturbed: bool = True) -> Scenario:
        """Scenario ``index`` of a pack with master ``seed``, validated (and its own copy)."""
        data = copy.deepcopy(self.scenario_dict(seed, index, perturbed=perturbed))
        return load_scenario(data, source=data["id"])
