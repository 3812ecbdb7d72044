"""Text as an export writes it: a spreadsheet's cell, a PDF's line.

Excel and LibreOffice read a cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a
carriage return as a formula (OWASP, CSV injection): a member's description or a
cooperative's name must never run as one. Such a text gets a leading apostrophe and stays
text. Amounts, counts and dates never pass here: they are written as what they are."""

from __future__ import annotations

import unicodedata

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_text(text: str) -> str:
    return "'" + text if text.startswith(FORMULA_START) else text


def pdf_text(text: str) -> str:
    """A line for the PDFs' core fonts, which are Latin-1 (every Spanish letter is in it):
    a character outside it is first put in its compatible form, and if that is still
    outside, replaced by ``?`` rather than refused (a member's name in another script must
    not stop their receipt)."""
    return unicodedata.normalize("NFKC", text).encode("latin-1", "replace").decode("latin-1")
