"""How a person is compared with a list: the document exactly, the names ignoring accents,
case, punctuation and word order. Plain functions."""

from __future__ import annotations

import re
import unicodedata


def names_key(names: str) -> str:
    """``"Quispe Mamani, Rosa"`` and ``"ROSA QUISPE MAMANÍ"`` give the same key."""
    plain = unicodedata.normalize("NFKD", names).encode("ascii", "ignore").decode("ascii")
    words = re.findall(r"[A-Z0-9]+", plain.upper())
    return " ".join(sorted(words))


def document_key(document: str | None) -> str | None:
    """A document number as compared: its letters and digits, upper case."""
    if not document:
        return None
    key = re.sub(r"[^A-Z0-9]", "", document.upper())
    return key or None
