"""Fake data for scenarios: faker's values, chosen per field by a child seed.

Seeding a faker instance per field costs more than building the rest of a scenario, so each
``(locale, provider method)`` gets a pool of :data:`POOL_SIZE` values, generated once by a
faker seeded from the locale and method alone; a field's value is ``pool[seed % size]`` for
its own child seed. Values depend only on the arguments (and the installed faker version: a
pack stores the resolved values, so it replays whatever faker does later).

    >>> fake_value("en_US", "name", 7) == fake_value("en_US", "name", 7)
    True
"""

from __future__ import annotations

import datetime as dt
from functools import cache
from typing import Any

from scenarios.seeds import child_seed

POOL_SIZE = 1024


@cache
def _pool(locale: str, method: str) -> tuple[str, ...]:
    from faker import Faker

    try:
        faker = Faker(locale)
    except AttributeError:
        raise ValueError(f"locale: unknown faker locale {locale!r}") from None
    provider = getattr(faker, method, None)
    if method.startswith("_") or not callable(provider):
        raise ValueError(f"faker: locale {locale!r} has no provider method {method!r}")
    faker.seed_instance(child_seed("gymfuzz-pool", locale, method))
    values: list[str] = []
    for _ in range(POOL_SIZE):
        value: Any = provider()
        values.append(value if isinstance(value, str) else str(value))
    return tuple(values)


def check_method(locale: str, method: str) -> None:
    """Raise ``ValueError`` naming the locale or method when faker cannot provide it."""
    _pool(locale, method)


def fake_value(locale: str, method: str, seed: int) -> str:
    """Faker's ``method`` in ``locale`` for a field whose child seed is ``seed``."""
    pool = _pool(locale, method)
    return pool[seed % len(pool)]


@cache
def day_range(start: dt.date, end: dt.date, weekdays_only: bool) -> tuple[dt.date, ...]:
    """The days ``start <= d < end`` (Monday to Friday only when ``weekdays_only``)."""
    days = (start + dt.timedelta(days=i) for i in range((end - start).days))
    return tuple(d for d in days if not weekdays_only or d.weekday() < 5)
