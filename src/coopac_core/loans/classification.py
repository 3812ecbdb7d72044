"""SBS debtor classification and provisions (Res. SBS 11356-2008, DOMAIN.md). Pure data and
functions: the tables are data so that a change of regulation is a change of numbers."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from enum import StrEnum


class CreditType(StrEnum):
    consumo = "consumo"
    microempresa = "microempresa"
    pequena_empresa = "pequena_empresa"
    hipotecario = "hipotecario"


class Category(StrEnum):
    normal = "normal"
    cpp = "cpp"  # con problemas potenciales
    deficiente = "deficiente"
    dudoso = "dudoso"
    perdida = "perdida"


class Guarantee(StrEnum):
    none = "none"
    preferred = "preferred"
    preferred_quick = "preferred_quick"  # preferidas de muy rápida realización


CATEGORY_ORDER = (
    Category.normal,
    Category.cpp,
    Category.deficiente,
    Category.dudoso,
    Category.perdida,
)

# Upper bound (inclusive) of days past due for Normal, CPP, Deficiente, Dudoso; beyond: Pérdida.
DAYS_PAST_DUE_LIMITS: dict[CreditType, tuple[int, int, int, int]] = {
    CreditType.consumo: (8, 30, 60, 120),
    CreditType.microempresa: (8, 30, 60, 120),
    CreditType.pequena_empresa: (8, 30, 60, 120),
    CreditType.hipotecario: (30, 60, 120, 365),
}

GENERIC_PROVISION: dict[CreditType, Decimal] = {
    CreditType.consumo: Decimal("0.0100"),
    CreditType.microempresa: Decimal("0.0100"),
    CreditType.pequena_empresa: Decimal("0.0100"),
    CreditType.hipotecario: Decimal("0.0070"),
}

SPECIFIC_PROVISION: dict[Guarantee, dict[Category, Decimal]] = {
    Guarantee.none: {
        Category.cpp: Decimal("0.05"),
        Category.deficiente: Decimal("0.25"),
        Category.dudoso: Decimal("0.60"),
        Category.perdida: Decimal("1.00"),
    },
    Guarantee.preferred: {
        Category.cpp: Decimal("0.025"),
        Category.deficiente: Decimal("0.125"),
        Category.dudoso: Decimal("0.30"),
        Category.perdida: Decimal("0.60"),
    },
    Guarantee.preferred_quick: {
        Category.cpp: Decimal("0.0125"),
        Category.deficiente: Decimal("0.0625"),
        Category.dudoso: Decimal("0.15"),
        Category.perdida: Decimal("0.30"),
    },
}


def classify(credit_type: CreditType, days_past_due: int) -> Category:
    limits = DAYS_PAST_DUE_LIMITS[credit_type]
    for category, limit in zip(CATEGORY_ORDER, limits, strict=False):
        if days_past_due <= limit:
            return category
    return Category.perdida


def worst(categories: Iterable[Category]) -> Category:
    """The debtor's category: the worst of their loans (alineamiento)."""
    return max(categories, key=CATEGORY_ORDER.index, default=Category.normal)


def provision_rate(credit_type: CreditType, category: Category, guarantee: Guarantee) -> Decimal:
    if category is Category.normal:
        return GENERIC_PROVISION[credit_type]
    return SPECIFIC_PROVISION[guarantee][category]
