from __future__ import annotations

from decimal import Decimal as D

import pytest

from coopac_core.loans.classification import (
    Category,
    CreditType,
    Guarantee,
    classify,
    provision_rate,
    worst,
)

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
