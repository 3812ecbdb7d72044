from __future__ import annotations

from decimal import Decimal as D

import pytest

from coopac_core.loans.classification import (
    Category,
    Cover,
    CreditType,
    Guarantee,
    classify,
    provision_rate,
    required_provision,
    worst,
)
from coopac_core.loans.policy import CreditPolicy

C, H = CreditType.consumo, CreditType.hipotecario


@pytest.mark.parametrize(
    ("credit", "days", "category"),
    [
        (C, 0, Category.normal),
        (C, 8, Category.normal),
        (C, 9, Category.cpp),
        (C, 30, Category.cpp),
        (C, 31, Category.deficiente),
        (C, 60, Category.deficiente),
        (C, 61, Category.dudoso),
        (C, 120, Category.dudoso),
        (C, 121, Category.perdida),
        (CreditType.microempresa, 9, Category.cpp),
        (CreditType.pequena_empresa, 121, Category.perdida),
        (H, 30, Category.normal),
        (H, 31, Category.cpp),
        (H, 61, Category.deficiente),
        (H, 121, Category.dudoso),
        (H, 365, Category.dudoso),
        (H, 366, Category.perdida),
    ],
)
def test_category_boundaries(credit: CreditType, days: int, category: Category) -> None:
    assert classify(credit, days) is category


def test_debtor_takes_the_worst_category() -> None:
    assert worst([Category.normal, Category.dudoso, Category.cpp]) is Category.dudoso
    assert worst([]) is Category.normal


@pytest.mark.parametrize(
    ("credit", "category", "guarantee", "rate"),
    [
        (C, Category.normal, Guarantee.none, D("0.0100")),
        (H, Category.normal, Guarantee.preferred, D("0.0070")),
        (C, Category.cpp, Guarantee.none, D("0.05")),
        (C, Category.deficiente, Guarantee.preferred, D("0.125")),
        (C, Category.dudoso, Guarantee.preferred_quick, D("0.15")),
        (C, Category.perdida, Guarantee.none, D("1.00")),
        (C, Category.perdida, Guarantee.preferred, D("0.60")),
    ],
)
def test_provision_rates(
    credit: CreditType, category: Category, guarantee: Guarantee, rate: D
) -> None:
    assert provision_rate(credit, category, guarantee) == rate


def test_a_guarantee_covers_only_what_it_is_worth() -> None:
    """DOMAIN.md's example, to the céntimo: S/ 10,000 in Dudoso with S/ 50 of very-quick
    collateral is 9,950 x 60% + 50 x 15% (not 15% of the whole)."""
    need = required_provision(C, Category.dudoso, D("10000.00"), Cover(preferred_quick=D("50")))
    assert (need.generic, need.specific) == (D("0.00"), D("5977.50"))
    # deposits pledged to the loan cover their amount at 1%, before any collateral
    both = Cover(pledged=D("2000.00"), preferred=D("3000.00"))
    need = required_provision(C, Category.perdida, D("10000.00"), both)
    assert need.specific == D("2000.00") * D("0.01") + D("3000.00") * D("0.60") + D("5000.00")
    # cover beyond the exposure counts for the exposure only
    need = required_provision(C, Category.cpp, D("100.00"), Cover(preferred=D("1000000")))
    assert need.specific == D("2.50")
    # in Normal the generic rate applies to the whole exposure, whatever guarantees it
    need = required_provision(H, Category.normal, D("10000.00"), Cover(pledged=D("10000")))
    assert (need.generic, need.specific) == (D("70.00"), D("0.00"))


def test_mediana_empresa_and_consumer_kinds_have_their_bands() -> None:
    m = CreditType.mediana_empresa
    assert [classify(m, d) for d in (15, 16, 60, 61, 120, 121, 365, 366)] == [
        Category.normal,
        Category.cpp,
        Category.cpp,
        Category.deficiente,
        Category.deficiente,
        Category.dudoso,
        Category.dudoso,
        Category.perdida,
    ]
    for kind in (CreditType.consumo_revolvente, CreditType.consumo_no_revolvente):
        assert classify(kind, 9) is Category.cpp and classify(kind, 121) is Category.perdida
    # a cooperative's policy may set other bands for mediana empresa (to confirm)
    policy = CreditPolicy(mediana_empresa_bands=(30, 60, 120, 365))
    assert classify(m, 20, policy.bands(m)) is Category.normal
    assert CreditPolicy().overdue_whole_after_days[m] == 15
