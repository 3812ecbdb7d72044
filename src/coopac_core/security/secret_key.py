"""The key that signs every token: a deployment must not run with one an attacker can know
or guess. A token signed with a published default key is a federation admin's."""

from __future__ import annotations

import math
from collections import Counter
from itertools import pairwise

MIN_LENGTH = 32
# Shannon entropy of the key's own characters times its length: a rough floor that refuses
# "aaaa...", "12341234..." and dictionary phrases repeated to length.
MIN_ENTROPY_BITS = 128
# Keys that have been published: examples, defaults, documentation.
KNOWN_KEYS = frozenset(
    {
        "change-me-to-a-long-random-string",
        "changeme",
        "change-me",
        "secret",
        "secret-key",
        "your-secret-key",
        "supersecret",
        "coopac",
        "coopac-secret",
        "development",
    }
)


class InsecureSecretKey(ValueError):
    """COOPAC_SECRET_KEY would let anyone forge tokens."""


def _shannon_bits(symbols: list[int] | str) -> float:
    counts = Counter(symbols)
    n = len(symbols)
    return -sum(c / n * math.log2(c / n) for c in counts.values()) * n


def _period(key: str) -> int:
    """The shortest block the key repeats (its own length if none)."""
    for p in range(1, len(key) // 2 + 1):
        if all(key[i] == key[i - p] for i in range(p, len(key))):
            return p
    return len(key)


def estimated_entropy_bits(key: str) -> float:
    """The least of three estimates: the characters' Shannon entropy times the length; the
    same over the steps between neighbours (``abcdef...``, ``0123...`` step by one: little
    entropy however many distinct characters); and one block's worth for a key that
    repeats a block."""
    if len(key) < 2:
        return 0.0
    steps = [ord(b) - ord(a) for a, b in pairwise(key)]
    block = key[: _period(key)]
    return min(_shannon_bits(key), _shannon_bits(steps), _shannon_bits(block))


def check_secret_key(key: str) -> None:
    """Refuse a known, short or low-entropy signing key (``coopac serve --demo`` excepted,
    where a weak key signs only demo users' tokens)."""
    if key.strip().lower() in KNOWN_KEYS:
        raise InsecureSecretKey("COOPAC_SECRET_KEY is a published example key")
    if len(key) < MIN_LENGTH:
        raise InsecureSecretKey(f"COOPAC_SECRET_KEY is shorter than {MIN_LENGTH} characters")
    if estimated_entropy_bits(key) < MIN_ENTROPY_BITS:
        raise InsecureSecretKey("COOPAC_SECRET_KEY is too predictable (low entropy)")
