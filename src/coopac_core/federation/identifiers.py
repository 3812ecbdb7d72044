"""Peruvian identifiers. Pure functions, tested directly."""

from __future__ import annotations

import re

# SUNAT's weights for the RUC check digit.
_RUC_WEIGHTS = (5, 4, 3, 2, 7, 6, 5, 4, 3, 2)
# 10: natural person with business; 15/16/17: other natural-person regimes; 20: legal person.
_RUC_PREFIXES = frozenset({"10", "15", "16", "17", "20"})
_UBIGEO = re.compile(r"^\d{6}$")


def ruc_check_digit(first_ten: str) -> int:
    total = sum(int(d) * w for d, w in zip(first_ten, _RUC_WEIGHTS, strict=True))
    digit = 11 - total % 11
    return {10: 0, 11: 1}.get(digit, digit)


# Why an identifier is refused, in Spanish and in English.
Reason = tuple[str, str]


def ruc_problem(ruc: str) -> Reason | None:
    """Why ``ruc`` is not a valid RUC, or None when it is."""
    if len(ruc) != 11 or not ruc.isdigit():
        return "El RUC debe tener 11 dígitos", "A RUC has 11 digits"
    if ruc[:2] not in _RUC_PREFIXES:
        return (
            "El RUC debe empezar con 10, 15, 16, 17 o 20",
            "A RUC starts with 10, 15, 16, 17 or 20",
        )
    if ruc_check_digit(ruc[:10]) != int(ruc[10]):
        return "RUC inválido: dígito verificador incorrecto", "Invalid RUC: wrong check digit"
    return None


def ruc_error(ruc: str) -> str | None:
    problem = ruc_problem(ruc)
    return problem[0] if problem else None


def ubigeo_problem(ubigeo: str) -> Reason | None:
    """INEI ubigeo: department (01-25), province and district, two digits each."""
    if not _UBIGEO.match(ubigeo):
        return "El ubigeo debe tener 6 dígitos", "An ubigeo has 6 digits"
    if not 1 <= int(ubigeo[:2]) <= 25 or ubigeo[2:4] == "00" or ubigeo[4:] == "00":
        return "Ubigeo inválido", "Invalid ubigeo"
    return None


def ubigeo_error(ubigeo: str) -> str | None:
    problem = ubigeo_problem(ubigeo)
    return problem[0] if problem else None
