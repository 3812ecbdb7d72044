"""SBS debtor classification and provisions (Res. SBS 11356-2008, DOMAIN.md). Pure data and
functions: the tables are data so that a change of regulation is a change of numbers."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from coopac_core.money import round_cents


class CreditType(StrEnum):
    consumo = "consumo"  # kept for products made before the two kinds were told apart
    consumo_revolvente = "consumo_revolvente"
    consumo_no_revolvente = "consumo_no_revolvente"
    microempresa = "microempresa"
    pequena_empresa = "pequena_empresa"
    mediana_empresa = "mediana_empresa"
    hipotecario = "hipotecario"


CONSUMER_TYPES = frozenset(
    {CreditType.consumo, CreditType.consumo_revolvente, CreditType.consumo_no_revolvente}
)


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

Bands = tuple[int, int, int, int]

# Upper bound (inclusive) of days past due for Normal, CPP, Deficiente, Dudoso; beyond: Pérdida.
# Mediana empresa's bands are "to confirm" (DOMAIN.md): a cooperative's credit policy may
# set others (``CreditPolicy.mediana_empresa_bands``).
SMALL_BANDS: Bands = (8, 30, 60, 120)
MEDIANA_EMPRESA_BANDS: Bands = (15, 60, 120, 365)
DAYS_PAST_DUE_LIMITS: dict[CreditType, Bands] = {
    CreditType.consumo: SMALL_BANDS,
    CreditType.consumo_revolvente: SMALL_BANDS,
    CreditType.consumo_no_revolvente: SMALL_BANDS,
    CreditType.microempresa: SMALL_BANDS,
    CreditType.pequena_empresa: SMALL_BANDS,
    CreditType.mediana_empresa: MEDIANA_EMPRESA_BANDS,
    CreditType.hipotecario: (30, 60, 120, 365),
}

# DOMAIN.md gives no generic rate for mediana empresa: 1.00%, as for the other business
# loans of Res. SBS 11356-2008 (the prudent of its two rates).
GENERIC_PROVISION: dict[CreditType, Decimal] = {
    CreditType.consumo: Decimal("0.0100"),
    CreditType.consumo_revolvente: Decimal("0.0100"),
    CreditType.consumo_no_revolvente: Decimal("0.0100"),
    CreditType.microempresa: Decimal("0.0100"),
    CreditType.pequena_empresa: Decimal("0.0100"),
    CreditType.mediana_empresa: Decimal("0.0100"),
    CreditType.hipotecario: Decimal("0.0070"),
}
# Deposits pledged to the loan (autoliquidable) cover their amount at this rate.
PLEDGED_DEPOSIT_RATE = Decimal("0.01")

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


def classify(credit_type: CreditType, days_past_due: int, bands: Bands | None = None) -> Category:
    limits = bands or DAYS_PAST_DUE_LIMITS[credit_type]
    for category, limit in zip(CATEGORY_ORDER, limits, strict=False):
        if days_past_due <= limit:
            return category
    return Category.perdida


def worst(categories: Iterable[Category]) -> Category:
    """The debtor's category: the worst of their loans (alineamiento)."""
    return max(categories, key=CATEGORY_ORDER.index, default=Category.normal)


def floored(category: Category, floor: Category | None, punctual: int, required: int) -> Category:
    """A refinanced loan's category: no better than its debtor's when it was refinanced
    (``floor``) until ``required`` of its installments were paid on time (DOMAIN.md).
    ``loans.close_of_business.classify`` says the same in SQL."""
    if floor is None or punctual >= required:
        return category
    return worst([category, floor])


def provision_rate(credit_type: CreditType, category: Category, guarantee: Guarantee) -> Decimal:
    if category is Category.normal:
        return GENERIC_PROVISION[credit_type]
    return SPECIFIC_PROVISION[guarantee][category]


@dataclass(frozen=True)
class Cover:
    """What guarantees a loan: pledged deposits and collateral at realisable value."""

    pledged: Decimal = Decimal(0)
    preferred_quick: Decimal = Decimal(0)
    preferred: Decimal = Decimal(0)


@dataclass(frozen=True)
class Provision:
    generic: Decimal
    specific: Decimal

    @property
    def total(self) -> Decimal:
        return self.generic + self.specific


def required_provision(
    credit_type: CreditType, category: Category, exposure: Decimal, cover: Cover
) -> Provision:
    """The provision a loan requires (Res. SBS 11356-2008, DOMAIN.md). In Normal the generic
    rate applies to the whole exposure. Otherwise each guarantee's rate applies only to the
    part its value covers, the best guarantee first; the rest takes the no-guarantee rate:
    S/ 10,000 in Dudoso with S/ 50 of very-quick collateral is 9,950 x 60% + 50 x 15%."""
    if exposure <= 0:
        return Provision(Decimal("0.00"), Decimal("0.00"))
    if category is Category.normal:
        return Provision(round_cents(exposure * GENERIC_PROVISION[credit_type]), Decimal("0.00"))
    left = exposure
    total = Decimal(0)
    for value, rate in (
        (cover.pledged, PLEDGED_DEPOSIT_RATE),
        (cover.preferred_quick, SPECIFIC_PROVISION[Guarantee.preferred_quick][category]),
        (cover.preferred, SPECIFIC_PROVISION[Guarantee.preferred][category]),
    ):
        part = min(left, max(value, Decimal(0)))
        total += part * rate
        left -= part
    total += left * SPECIFIC_PROVISION[Guarantee.none][category]
    return Provision(Decimal("0.00"), round_cents(total))
