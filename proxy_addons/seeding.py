"""Replayable random decisions, keyed by what they decide about.

Every decision the proxy makes is drawn from a hash of ``(scenario seed, fault id, request
key, occurrence)``, never from a shared generator, so the same plan replays the same
decisions whatever the order or concurrency of unrelated requests.
"""

from __future__ import annotations

import hashlib
import random


def _digest(*parts: object) -> bytes:
    text = "\x1f".join(str(p) for p in parts)
    return hashlib.blake2b(text.encode("utf-8"), digest_size=16).digest()


def unit(*parts: object) -> float:
    """A float in ``[0, 1)`` determined by ``parts`` alone (53 bits of a BLAKE2b hash)."""
    return (int.from_bytes(_digest(*parts)[:8], "big") >> 11) / float(1 << 53)


def rng(*parts: object) -> random.Random:
    """A private :class:`random.Random` seeded by ``parts``, for parameter draws (e.g. jitter)."""
    return random.Random(int.from_bytes(_digest(*parts), "big"))
