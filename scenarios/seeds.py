"""Child seeds: one master seed, independent streams per scenario, fault and data field.

``child_seed(seed, "scenario", 3, "title")`` depends only on its arguments, so adding a field
or a perturbation never shifts the values drawn for the others, and no draw depends on
``PYTHONHASHSEED`` or on the order things are generated in.
"""

from __future__ import annotations

import hashlib
import random


def child_seed(*parts: object) -> int:
    """A 53-bit seed derived from ``parts`` (stable across processes and platforms).

    53 bits, so the seed is exact wherever JSON numbers are doubles (the page runtime).
    """
    text = "\x1f".join(map(str, parts))
    digest = hashlib.blake2b(text.encode("utf-8"), digest_size=8).digest()
    return int.from_bytes(digest, "big") >> 11


def child_rng(*parts: object) -> random.Random:
    """A private generator seeded by :func:`child_seed` of ``parts``."""
    return random.Random(child_seed(*parts))
