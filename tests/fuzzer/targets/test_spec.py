"""The target file: good files load, bad values name file, line and field."""

from __future__ import annotations

from pathlib import Path

import pytest

from fuzzer.targets.spec import CommandReset, SqlState, TargetFileError, load_target_file

GOOD = """\
name: calendar
launch:
  command: python manage.py runserver 127.0.0.1:{port} --noreload
  cwd: app
  env: {DB: "{workdir}/db.sqlite3"}
  copy: [db.sqlite3]
  ready: /admin/login/
start: /admin/
state: "sqlite:///{workdir}/db.sqlite3"
ignore: [django_session, auth_user.last_login]
"""


def test_a_good_file_loads_with_its_defaults(tmp_path: Path) -> None:
    path = tmp_path / "app.yaml"
    path.write_text(GOOD)
    spec, base = load_target_file(path)
    assert base == tmp_path
    assert spec.launch is not None
    assert spec.launch.command[-2:] == ("127.0.0.1:{port}", "--noreload")
    assert spec.launch.copy_files == ("db.sqlite3",)
    assert spec.state == SqlState(sql="sqlite:///{workdir}/db.sqlite3")
    assert spec.reset_mode == "restore"  # the default for SQL state
    assert spec.isolation == "worker"
    assert spec.ignored_tables == {"django_session"}
    assert spec.ignored_columns == {"auth_user": {"last_login"}}


def test_json_works_too_and_the_name_defaults_to_the_file(tmp_path: Path) -> None:
    path = tmp_path / "shop.json"
    path.write_text(
        '{"url": "http://127.0.0.1:9000", "state": {"http": "http://127.0.0.1:9000/state"},'
        ' "reset": {"command": "make reset"}, "isolation": "header"}'
    )
    spec, _ = load_target_file(path)
    assert spec.name == "shop"
    assert spec.reset_mode == CommandReset(command=("make", "reset"))
    assert spec.isolation == "header"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (GOOD.replace("ready: /admin/login/", "ready: admin"), ":7: launch.ready: expected a path"),
        (
            GOOD.replace("name: calendar", "colour: red"),
            ":1: colour: unknown field (got 'red')",
        ),
        (GOOD + "reset: restor\n", ":11: reset: 'restor' is not one of 'restore' or 'none'"),
        (
            GOOD + "isolation: tenant\n",
            ":11: isolation: 'tenant' is not one of 'worker' or 'header'",
        ),
        (GOOD.replace("auth_user.last_login", "a.b.c"), ":10: ignore: expected 'table' or"),
        (GOOD + "url: http://127.0.0.1:1\n", ":11: url: give exactly one of 'url'"),
        (
            'url: http://127.0.0.1:1\nstate: {python: "m:a"}\nreset: restore\n',
            ":3: reset: 'restore' needs SQL state",
        ),
        ("url: http://127.0.0.1:1\n", ":1: state: required field is missing"),
        ("state: [1\n", ": not YAML or JSON"),
        ("- a list\n", ":1: a target file is a mapping"),
    ],
)
def test_bad_values_name_file_line_and_field(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "app.yaml"
    path.write_text(text)
    with pytest.raises(TargetFileError) as info:
        load_target_file(path)
    assert str(info.value).startswith(str(path))
    assert message in str(info.value)
    assert "\n" not in str(info.value)


def test_a_missing_file_is_one_line(tmp_path: Path) -> None:
    with pytest.raises(TargetFileError, match=r"nope\.yaml: cannot read"):
        load_target_file(tmp_path / "nope.yaml")
