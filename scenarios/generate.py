"""Generate scenario packs for the built-in drills or a workflow graph file.

The hot path builds each scenario as a plain dict (the exact shape
:meth:`Scenario.model_dump` gives) and writes its canonical JSON line; the first scenario of
every covering-array row is validated in full, so a template error fails before the pack is
renamed into place. Coverage (edges of the workflow graph taken by the written paths, t-tuples
of perturbation levels in the written rows) is computed from what was written and stored in
the manifest.
"""

from __future__ import annotations

import itertools
import json
import multiprocessing
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from scenarios.drills import DRILLS
from scenarios.drills.graph import GraphDrill
from scenarios.model import Scenario, canonical_json, load_scenario
from scenarios.pack import EncodedLines, Pack, sha256_file, write_pack
from scenarios.workflow_spec import DEFAULT_INTERFACE, load_workflow

#: Called with (scenarios written, scenarios to write) after every chunk.
Progress = Callable[[int, int], None]


def get_drill(
    drill: str,
    *,
    strength: int = 2,
    locale: str = "en_US",
    wording: bool = False,
    interfaces: bool = False,
) -> GraphDrill:
    """A built-in drill by name, with the given covering strength, locale, wording and
    interface variants."""
    if drill not in DRILLS:
        raise ValueError(f"--drill: unknown drill {drill!r}; known: {', '.join(sorted(DRILLS))}")
    found = DRILLS[drill]
    if (strength, locale) != (2, "en_US"):
        found = found.configured(strength=strength, locale=locale)
    return _options(found, wording=wording, interfaces=interfaces)


def _options(drill: GraphDrill, *, wording: bool, interfaces: bool) -> GraphDrill:
    drill = drill.worded() if wording else drill
    return drill.with_interfaces() if interfaces else drill


def _check_counts(count: int, seed: int) -> None:
    if count < 1:
        raise ValueError(f"--count: must be at least 1 (got {count})")
    if seed < 0:
        raise ValueError(f"--seed: must be >= 0 (got {seed})")


def iter_scenarios(
    drill: str,
    count: int,
    seed: int,
    *,
    perturbed: bool = True,
    wording: bool = False,
    interfaces: bool = False,
) -> Iterator[Scenario]:
    """Scenarios ``0..count-1`` of ``drill`` for master ``seed`` (``wording``: goal wording
    variants on, see :mod:`scenarios.wording`; ``interfaces``: each scenario on one of the
    drill's interface variants, see :meth:`GraphDrill.with_interfaces`).

    Raises ``ValueError`` (naming the option and value) before generating anything.
    """
    factory = get_drill(drill, wording=wording, interfaces=interfaces)
    _check_counts(count, seed)
    return (factory.scenario(seed, i, perturbed=perturbed) for i in range(count))


CHUNK = 4096
#: Fewer chunks than this are encoded in-process (starting workers costs about a second).
MIN_PARALLEL_CHUNKS = 4


@dataclass(frozen=True)
class DrillRecipe:
    """How to build a drill again in a worker process (picklable)."""

    name: str
    strength: int = 2
    locale: str = "en_US"
    strategy: str = "edge_cover"
    spec_json: str | None = None
    path_limit: int = 100
    path_seed: int = 0
    wording: bool = False
    interfaces: bool = False

    def build(self) -> GraphDrill:
        """The drill (cached per process)."""
        return _build(self)


@cache
def _build(recipe: DrillRecipe) -> GraphDrill:
    if recipe.spec_json is None:
        return get_drill(
            recipe.name,
            strength=recipe.strength,
            locale=recipe.locale,
            wording=recipe.wording,
            interfaces=recipe.interfaces,
        )
    spec = load_workflow(json.loads(recipe.spec_json), where=recipe.name)
    drill = GraphDrill(
        spec,
        strategy=recipe.strategy,
        strength=recipe.strength,
        locale=recipe.locale,
        path_limit=recipe.path_limit,
        path_seed=recipe.path_seed,
    )
    return _options(drill, wording=recipe.wording, interfaces=recipe.interfaces)


@dataclass
class _Chunk:
    lines: EncodedLines
    rows: set[int]
    paths: set[tuple[str, ...]]


_VALIDATED: set[tuple[DrillRecipe, int]] = set()


_Job = tuple[DrillRecipe, int, int, int]


def _encode(job: _Job) -> _Chunk:
    """Scenarios ``start..stop-1``: their lines, rows and paths (same bytes in any process)."""
    recipe, seed, start, stop = job
    drill = recipe.build()
    out, rows, paths = [], Counter[int](), set()
    for i in range(start, stop):
        data = drill.scenario_dict(seed, i)
        r = drill.row_index(i)
        if (recipe, r) not in _VALIDATED:
            load_scenario(data, source=data["id"])
            _VALIDATED.add((recipe, r))
        rows[r] += 1
        paths.add(tuple(data["path"]))
        out.append(canonical_json(data))
    out.append("")
    kinds = Counter[str]()
    for r, n in rows.items():  # a row's faults are the same in every scenario using it
        for fault in drill.faults(drill.rows[r]):
            kinds[fault["kind"]] += n
    blob = "\n".join(out).encode("utf-8")
    return _Chunk(EncodedLines(blob, stop - start, kinds), set(rows), paths)


def _bounded(pool: Any, jobs: list[_Job], window: int) -> Iterator[_Chunk]:
    """Results in job order, with at most ``window`` chunks in flight (flat memory)."""
    pending: deque[Any] = deque()
    todo = iter(jobs)
    for job in itertools.islice(todo, window):
        pending.append(pool.apply_async(_encode, (job,)))
    while pending:
        chunk: _Chunk = pending.popleft().get()
        following = next(todo, None)
        if following is not None:
            pending.append(pool.apply_async(_encode, (following,)))
        yield chunk


@dataclass
class _Tally:
    """What was written, per drill: rows and paths used (for coverage after generation)."""

    rows: dict[str, set[int]] = field(default_factory=dict)
    paths: dict[str, set[tuple[str, ...]]] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)

    def add(self, name: str, chunk: _Chunk) -> None:
        self.rows.setdefault(name, set()).update(chunk.rows)
        self.paths.setdefault(name, set()).update(chunk.paths)
        self.counts[name] = self.counts.get(name, 0) + chunk.lines.count

    def coverage(self, drills: list[GraphDrill]) -> dict[str, Any]:
        out = {}
        for d in drills:
            rows = [d.rows[i] for i in sorted(self.rows.get(d.name, ()))]
            edges = set()
            for path in self.paths.get(d.name, ()):
                edges |= _edges_of(d, path)
            out[d.name] = {
                "paths": {
                    "strategy": d.path_source,
                    "distinct_paths": len(self.paths.get(d.name, ())),
                    "edges_covered": len(edges),
                    "edges_total": d.graph.number_of_edges(),
                },
                "perturbations": {**d.tuple_coverage(rows), "rows": len(d.rows)},
            }
            if d.interfaced:
                out[d.name]["interfaces"] = {
                    "variants": [DEFAULT_INTERFACE, *(v.name for v in d.spec.interfaces)],
                    "pairs": d.interface_coverage(rows),
                }
        return out


def _edges_of(drill: GraphDrill, path: tuple[str, ...]) -> set[tuple[str, str]]:
    node, taken = drill.spec.start, set()
    for action in path:
        taken.add((node, action))
        node = next(v for _, v, k in drill.graph.out_edges(node, keys=True) if k == action)
    return taken


def _stream(
    recipes: list[DrillRecipe],
    count: int,
    seed: int,
    tally: _Tally,
    progress: Progress | None,
    workers: int,
) -> Iterator[EncodedLines]:
    jobs = [
        (r, seed, start, min(start + CHUNK, count))
        for r in recipes
        for start in range(0, count, CHUNK)
    ]
    for r in recipes:
        r.build().check()
    total, done = count * len(recipes), 0
    with ExitStack() as stack:
        if workers > 1 and len(jobs) >= MIN_PARALLEL_CHUNKS:
            ctx = multiprocessing.get_context("spawn")
            pool = stack.enter_context(ctx.Pool(min(workers, len(jobs))))
            chunks: Iterable[_Chunk] = _bounded(pool, jobs, 2 * workers)
        else:
            chunks = map(_encode, jobs)
        for job, chunk in zip(jobs, chunks, strict=True):
            tally.add(job[0].name, chunk)
            yield chunk.lines
            done += chunk.lines.count
            if progress is not None:
                progress(done, total)


def generate_pack(
    out: Path,
    *,
    drill: str,
    count: int,
    seed: int,
    force: bool = False,
    strategy: str = "edge_cover",
    paths: int = 100,
    strength: int = 2,
    locale: str = "en_US",
    graph: Path | None = None,
    progress: Progress | None = None,
    workers: int = 1,
    wording: bool = False,
    interfaces: bool = False,
) -> Pack:
    """Generate and atomically write a pack; same arguments, same bytes.

    ``drill`` is a built-in drill, ``"all"`` (``count`` scenarios of each), or ignored when
    ``graph`` names a workflow graph file. ``strategy`` picks the paths of a graph file (see
    :mod:`scenarios.paths`): at most ``paths`` of them for ``simple``, ``shortest`` and
    ``random``, whose walks ``seed`` seeds. Built-in drills tie their path to their data and
    faults. ``strength`` is the ``t`` of the perturbation covering array. ``workers``
    processes encode chunks of :data:`CHUNK` scenarios in parallel; the bytes are the same
    for any number of workers. ``wording`` phrases each goal in one of its wording variants
    (see :mod:`scenarios.wording`; off: every goal in its template's words, as before).
    ``interfaces`` plays each scenario on one of the drill's interface variants, a further
    dimension of the covering array; the manifest states the pairs (variant, perturbation
    level) the pack covers (off: the app as it is, as before). Raises ``ValueError`` naming
    the option before writing.
    """
    _check_counts(count, seed)
    if graph is not None:
        spec = load_workflow(graph)
        spec_json = spec.model_dump_json()
        if paths < 1:
            raise ValueError(f"--paths: must be at least 1 (got {paths})")
        recipes = [
            DrillRecipe(
                spec.name, strength, locale, strategy, spec_json, paths, seed, wording, interfaces
            )
        ]
        args: dict[str, Any] = {"graph": spec.name, "graph_sha256": sha256_file(graph)}
    else:
        names = sorted(DRILLS) if drill == "all" else [drill]
        recipes = [
            DrillRecipe(n, strength, locale, wording=wording, interfaces=interfaces) for n in names
        ]
        args = {"drill": drill}
    args |= {"count": count, "seed": seed, "strength": strength, "locale": locale}
    if graph is not None:
        args |= {"strategy": strategy, "paths": paths}
    if wording:  # only when on: packs made without it keep their bytes
        args["wording"] = True
    if interfaces:
        args["interfaces"] = True
    for recipe in recipes:
        recipe.build()  # an option the drill cannot honour fails before anything is written
    tally = _Tally()
    return write_pack(
        out,
        _stream(recipes, count, seed, tally, progress, workers),
        arguments=args,
        force=force,
        extra=lambda: {
            "seed": seed,
            "counts": dict(sorted(tally.counts.items())),
            "coverage": tally.coverage([r.build() for r in recipes]),
        },
    )
