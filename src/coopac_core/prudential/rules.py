"""The prudential figures as plain functions of a month's balances in soles: what an asset
weighs, the risk-weighted assets, effective equity, and a ratio against its limit."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal

from coopac_core.federation import indicators
from coopac_core.money import round_cents

# Where the loans' own weight is read (a current loan in soles): the mortgages' weight
# replaces it for their part.
LOAN_CODE = "1411"


def weight_of(code: str, weights: Mapping[str, Decimal]) -> Decimal:
    """The weight of the longest prefix of ``code`` in ``weights`` (an asset's code)."""
    best = max((p for p in weights if code.startswith(p)), key=len, default=None)
    return weights[best] if best is not None else Decimal(1)


def risk_weighted_assets(
    balances: Iterable[tuple[str, Decimal]],
    mortgages: Decimal,
    weights: Mapping[str, Decimal],
    mortgage_weight: Decimal,
) -> Decimal:
    """Credit-risk weighted assets: every asset account's balance in soles by its weight,
    the hipotecario loans (``mortgages``, in soles) at their own weight instead of the
    loans'. A contra account (an SBS code whose fourth digit is 9: provisions, depreciation)
    nets what it weighs; an asset's credit balance (a bank account overdrawn) is no
    exposure and weighs nothing."""
    total = sum(
        (
            amount * weight_of(code, weights)
            for code, amount in balances
            if code[:1] == "1" and (amount > 0 or code[3:4] == "9")
        ),
        Decimal(0),
    )
    total -= mortgages * (weight_of(LOAN_CODE, weights) - mortgage_weight)
    return round_cents(max(total, Decimal(0)))


def effective_equity(basic: Decimal, generic: Decimal, rwa: Decimal, cap: Decimal) -> Decimal:
    """The equity that counts (``basic``: capital, reserves, less losses) and the generic
    provisions up to ``cap`` of the risk-weighted assets."""
    return round_cents(basic + min(generic, rwa * cap))


def ratio(numerator: Decimal, denominator: Decimal) -> Decimal | None:
    """The federation's ratio (``federation.indicators.ratio``), and none over no equity or
    a negative one (a limit on it means nothing)."""
    return indicators.ratio(numerator, denominator) if denominator > 0 else None
