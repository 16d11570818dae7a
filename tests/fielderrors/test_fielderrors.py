"""The one wording of validation errors, on real pydantic models."""

from __future__ import annotations

import doctest
from typing import Literal

import pytest
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

import fielderrors
from fielderrors import describe, problems


class Inner(BaseModel):
    model_config = ConfigDict(extra="forbid")
    ms: int = Field(0, ge=0, le=60_000)
    mode: Literal["zoom", "transform"] = "zoom"
    label: str = Field("x", min_length=1)
    tags: list[str] = Field(default_factory=list, min_length=0, max_length=2)

    @field_validator("label")
    @classmethod
    def _no_semicolon(cls, value: str) -> str:
        if ";" in value:
            raise ValueError("must not contain ';'")
        return value


class Outer(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str
    inner: list[Inner] = Field(default_factory=list)
    on: bool = False


def _error(data: dict[str, object]) -> ValidationError:
    with pytest.raises(ValidationError) as info:
        Outer.model_validate(data)
    return info.value


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ({}, "name: required field is missing"),
        ({"name": 7}, "name: 7 is not a string"),
        ({"name": "a", "colour": "red"}, "colour: unknown field (got 'red')"),
        ({"name": "a", "inner": [{"ms": 90_000}]}, "inner[0].ms: 90000 is greater than 60000"),
        ({"name": "a", "inner": [{"ms": -1}]}, "inner[0].ms: -1 is less than 0"),
        ({"name": "a", "inner": [{"ms": "1s"}]}, "inner[0].ms: '1s' is not an integer"),
        (
            {"name": "a", "inner": [{"mode": "css"}]},
            "inner[0].mode: 'css' is not one of 'zoom' or 'transform'",
        ),
        (
            {"name": "a", "inner": [{"label": ""}]},
            "inner[0].label: '' is shorter than 1 character(s)",
        ),
        ({"name": "a", "inner": [{"label": "a;b"}]}, "inner[0].label: must not contain ';'"),
        (
            {"name": "a", "inner": [{"tags": ["a", "b", "c"]}]},
            "inner[0].tags: ['a', 'b', 'c'] has more than 2 item(s)",
        ),
        ({"name": "a", "on": "maybe"}, "on: 'maybe' is not a boolean"),
        ({"name": "a", "inner": 3}, "inner: 3 is not a list"),
    ],
)
def test_each_error_names_the_field_and_the_value(data: dict[str, object], expected: str) -> None:
    assert describe(_error(data)) == expected


def test_every_error_at_once_under_a_prefix() -> None:
    exc = _error({"inner": [{"ms": -1, "mode": "css"}]})
    assert describe(exc, "plan") == (
        "plan.name: required field is missing; plan.inner[0].ms: -1 is less than 0; "
        "plan.inner[0].mode: 'css' is not one of 'zoom' or 'transform'"
    )
    assert describe(exc, ("faults", 2))[:32] == "faults[2].name: required field i"
    assert [loc for loc, _ in problems(exc)] == [
        ("name",),
        ("inner", 0, "ms"),
        ("inner", 0, "mode"),
    ]


def test_known_fields_suggest_the_nearest_or_list_them() -> None:
    def known(loc: tuple[int | str, ...]) -> list[str] | None:
        return ["name", "inner", "on"] if loc == () else None

    assert describe(_error({"name": "a", "innr": []}), known=known) == (
        "innr: unknown field (did you mean 'inner'?)"
    )
    assert describe(_error({"name": "a", "zzz": 1}), known=known) == (
        "zzz: unknown field (got 1); expected one of name, inner, on"
    )


def test_long_values_are_cut() -> None:
    text = describe(_error({"name": "a", "inner": [{"mode": "z" * 500}]}))
    assert text == "inner[0].mode: '" + "z" * 56 + "... is not one of 'zoom' or 'transform'"


def test_doctests() -> None:
    assert doctest.testmod(fielderrors).failed == 0
