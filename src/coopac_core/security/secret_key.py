"""The key that signs every token: a deployment must not run with one an attacker can know
or guess. A token signed with a published default key is a federation admin's."""

from __future__ import annotations

import math
from collections import Counter

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


def estimated_entropy_bits(key: str) -> float:
    counts = Counter(key)
    per_char = -sum(n / len(key) * math.log2(n / len(key)) for n in counts.values())
    return per_char * len(key)


def check_secret_key(key: str) -> None:
    """Refuse a known, short or low-entropy signing key (``coopac serve --demo`` excepted,
    where a weak key signs only demo users' tokens)."""
    if key.strip().lower() in KNOWN_KEYS:
        raise InsecureSecretKey("COOPAC_SECRET_KEY is a published example key")
    if len(key) < MIN_LENGTH:
        raise InsecureSecretKey(f"COOPAC_SECRET_KEY is shorter than {MIN_LENGTH} characters")
    if estimated_entropy_bits(key) < MIN_ENTROPY_BITS:
        raise InsecureSecretKey("COOPAC_SECRET_KEY is too predictable (low entropy)")
