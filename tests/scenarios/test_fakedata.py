"""Fake data: per-field child seeds, locales, absolute date bounds."""

from __future__ import annotations

import datetime as dt

import pytest

from scenarios.fakedata import day_range, fake_value


def test_values_depend_only_on_the_arguments() -> None:
    assert fake_value("en_US", "name", 12345) == fake_value("en_US", "name", 12345)
    names = {fake_value("en_US", "name", s) for s in range(200)}
    assert len(names) > 150  # the seed picks, and picks widely


def test_locales_give_their_own_values() -> None:
    us = [fake_value("en_US", "city", s) for s in range(20)]
    fr = [fake_value("fr_FR", "city", s) for s in range(20)]
    assert us != fr


@pytest.mark.parametrize(
    ("locale", "method", "message"),
    [
        ("xx_XX", "name", "locale: unknown faker locale 'xx_XX'"),
        ("en_US", "no_such_thing", "has no provider method 'no_such_thing'"),
        ("en_US", "_private", "has no provider method '_private'"),
    ],
)
def test_bad_locale_or_method_is_named(locale: str, method: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        fake_value(locale, method, 1)


def test_day_range_is_absolute_and_excludes_the_end() -> None:
    days = day_range(dt.date(2027, 1, 1), dt.date(2027, 1, 11), True)
    assert days[0] == dt.date(2027, 1, 1) and days[-1] == dt.date(2027, 1, 8)
    assert all(d.weekday() < 5 for d in days)
    assert len(day_range(dt.date(2027, 1, 1), dt.date(2027, 1, 11), False)) == 10
