"""The target file: how gymfuzz reaches, observes and resets your app.

A YAML or JSON file (``gymfuzz run PACK --target app.yaml``)::

    name: calendar                      # for messages (default: the file's name)
    launch:                             # or  url: http://127.0.0.1:8000  (already running)
      command: [python, manage.py, runserver, "127.0.0.1:{port}", --noreload]
      cwd: .                            # relative to this file
      env: {DJANGO_SETTINGS_MODULE: calendarsite.settings, DB_PATH: "{workdir}/db.sqlite3"}
      copy: [db.sqlite3]                # copied into {workdir}, so workers never share state
      ready: /admin/login/              # polled until it answers
      timeout_s: 60
    start: /admin/                      # an episode's first page (a scenario's goal.start wins)
    state: "sqlite:///{workdir}/db.sqlite3"   # or {sql: URL}, {http: URL}, {python: mod:attr}
    reset: restore                      # or none, {command: [...]}, {http: URL}
    ignore: [django_session, django_admin_log, auth_user.last_login]
    isolation: worker                   # or header (the app keeps X-Gymfuzz-Episode apart)

``launch`` starts one app instance per worker, each in its own ``{workdir}`` and on its own
``{port}`` (both filled into ``command``, ``env`` and ``state``; ``{python}`` is the Python
that runs gymfuzz; with ``url``, ``{workdir}`` is this file's folder); the whole process
group is stopped after the run, also when gymfuzz itself is killed. ``reset: restore`` (the default
for SQL state) snapshots the database when the instance starts and, before each episode,
undoes whatever changed since, in one transaction, foreign keys respected, so no file is
swapped under the running app. ``ignore`` names tables (``django_session``) or columns
(``auth_user.last_login``) the app writes in the background: no verdict sees them and no
reset restores them.

:func:`load_target_file` checks the file against :class:`TargetSpec` (whose JSON Schema is
``TargetSpec.model_json_schema()``); a bad value raises :class:`TargetFileError` as
``file:line: field: message``.
"""

from __future__ import annotations

import re
import shlex
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from fielderrors import field_path, problem

_MODULE_ATTR = re.compile(r"^[A-Za-z_][\w.]*:[A-Za-z_][\w.]*$")


class TargetFileError(ValueError):
    """A target file that cannot be used: ``file:line: field: message``."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Launch(_Strict):
    """How to start one app instance (see the module docstring)."""

    command: tuple[str, ...] = Field(min_length=1)
    cwd: str = "."
    env: dict[str, str] = Field(default_factory=dict)
    copy_files: tuple[str, ...] = Field(default=(), alias="copy")
    ready: str = "/"
    timeout_s: float = Field(default=60.0, gt=0)

    @field_validator("command", mode="before")
    @classmethod
    def _split(cls, value: Any) -> Any:
        return shlex.split(value) if isinstance(value, str) else value

    @field_validator("ready")
    @classmethod
    def _path(cls, value: str) -> str:
        if not value.startswith("/"):
            raise ValueError(f"expected a path starting with '/', got {value!r}")
        return value


class SqlState(_Strict):
    sql: str = Field(min_length=1)


class HttpState(_Strict):
    http: str = Field(pattern=r"^https?://")


class PythonState(_Strict):
    python: str

    @field_validator("python")
    @classmethod
    def _module_attr(cls, value: str) -> str:
        if not _MODULE_ATTR.match(value):
            raise ValueError(f"expected module:attr, got {value!r}")
        return value


class CommandReset(_Strict):
    command: tuple[str, ...] = Field(min_length=1)

    @field_validator("command", mode="before")
    @classmethod
    def _split(cls, value: Any) -> Any:
        return shlex.split(value) if isinstance(value, str) else value


class HttpReset(_Strict):
    http: str = Field(pattern=r"^https?://")


class TargetSpec(_Strict):
    """A target file's content (see the module docstring)."""

    name: str = ""
    url: str | None = Field(default=None, pattern=r"^https?://[^/]+$")
    launch: Launch | None = None
    start: str = "/"
    state: SqlState | HttpState | PythonState
    reset: Literal["restore", "none"] | CommandReset | HttpReset | None = None
    ignore: tuple[str, ...] = ()
    isolation: Literal["worker", "header"] = "worker"

    @field_validator("state", mode="before")
    @classmethod
    def _plain_url(cls, value: Any) -> Any:
        return {"sql": value} if isinstance(value, str) else value

    @field_validator("start")
    @classmethod
    def _start(cls, value: str) -> str:
        if not value.startswith("/"):
            raise ValueError(f"expected a path starting with '/', got {value!r}")
        return value

    @field_validator("ignore")
    @classmethod
    def _ignore(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        for item in value:
            if not re.fullmatch(r"[A-Za-z_]\w*(\.[A-Za-z_]\w*)?", item):
                raise ValueError(f"expected 'table' or 'table.column', got {item!r}")
        return value

    @model_validator(mode="after")
    def _checks(self) -> TargetSpec:
        if (self.url is None) == (self.launch is None):
            raise ValueError("url: give exactly one of 'url' (a running app) and 'launch'")
        if self.reset == "restore" and not isinstance(self.state, SqlState):
            raise ValueError("reset: 'restore' needs SQL state (state: an SQLAlchemy URL)")
        return self

    @property
    def reset_mode(self) -> Literal["restore", "none"] | CommandReset | HttpReset:
        """The reset to use: ``restore`` by default for SQL state, ``none`` otherwise."""
        if self.reset is not None:
            return self.reset
        return "restore" if isinstance(self.state, SqlState) else "none"

    @property
    def ignored_tables(self) -> frozenset[str]:
        return frozenset(i for i in self.ignore if "." not in i)

    @property
    def ignored_columns(self) -> dict[str, frozenset[str]]:
        out: dict[str, set[str]] = {}
        for item in self.ignore:
            if "." in item:
                table, column = item.split(".", 1)
                out.setdefault(table, set()).add(column)
        return {t: frozenset(c) for t, c in out.items()}


def load_target_file(path: Path) -> tuple[TargetSpec, Path]:
    """The spec in ``path`` and the folder its relative paths start from.

    Raises :class:`TargetFileError` (``file:line: field: message``) for an unreadable file,
    bad YAML/JSON, or a value the spec refuses; nothing is started.
    """
    from ruamel.yaml import YAML
    from ruamel.yaml.error import YAMLError

    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise TargetFileError(f"{path}: cannot read ({exc.strerror or exc})") from None
    try:
        data = YAML(typ="rt").load(text)
    except YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f":{mark.line + 1}" if mark is not None else ""
        what = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise TargetFileError(f"{path}{line}: not YAML or JSON: {what}") from None
    if not isinstance(data, dict):
        raise TargetFileError(f"{path}:1: a target file is a mapping of fields")
    try:
        spec = TargetSpec.model_validate(_plain(data))
    except ValidationError as exc:
        err = exc.errors(include_url=False)[0]
        loc: list[Any] = [p for p in err["loc"] if not _is_union_tag(p)]
        msg = problem(err)
        if not loc:  # a check across fields names its field first
            name, _, msg = msg.partition(": ")
            loc = [name]
        field = field_path(loc)
        raise TargetFileError(f"{path}:{_line(data, loc)}: {field}: {msg}") from None
    if not spec.name:
        spec = spec.model_copy(update={"name": path.stem})
    return spec, path.resolve().parent


_MODEL_NAMES = frozenset(
    {"Launch", "SqlState", "HttpState", "PythonState", "CommandReset", "HttpReset"}
)


def _is_union_tag(part: Any) -> bool:
    """pydantic's names of union members in an error's location (``SqlState``, ``literal[...]``)."""
    return isinstance(part, str) and ("[" in part or part in _MODEL_NAMES)


def _plain(node: Any) -> Any:
    """ruamel's round-trip nodes as plain dicts, lists and scalars."""
    if isinstance(node, dict):
        return {str(k): _plain(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_plain(v) for v in node]
    return node


def _line(data: Any, loc: list[Any]) -> int:
    """The 1-based line of the deepest part of ``loc`` found in the round-trip ``data``."""
    line, node = 1, data
    for part in loc:
        lc = getattr(node, "lc", None)
        try:
            if isinstance(node, dict) and part in node and lc is not None:
                line = lc.key(part)[0] + 1
            elif isinstance(node, list) and isinstance(part, int) and lc is not None:
                line = lc.item(part)[0] + 1
            else:
                break
            node = node[part]
        except (KeyError, IndexError, TypeError):
            break
    return line
