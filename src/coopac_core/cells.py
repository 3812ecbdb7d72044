"""A text cell of an export, safe to open in a spreadsheet.

Excel and LibreOffice read a cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a
carriage return as a formula (OWASP, CSV injection): a member's description or a
cooperative's name must never run as one. Such a text gets a leading apostrophe and stays
text. Amounts, counts and dates never pass here: they are written as what they are."""

from __future__ import annotations

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_text(text: str) -> str:
    return "'" + text if text.startswith(FORMULA_START) else text
