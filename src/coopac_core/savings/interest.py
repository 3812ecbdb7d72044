"""Interest on savings, as plain functions (no database): the close of business's SQL
computes the same and the tests hold the two against each other.

DOMAIN.md and the issue: a day's interest on a sight account is ``B × ((1 + TEA)^(1/360) −
1)`` on the balance B at the end of that day, kept per account with ten decimals and never
rounded day by day; a month's interest is rounded half-up to the céntimo when it is paid
in, and what rounding leaves is carried to the next month."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from coopac_core.money import period_rate, round_cents

# Decimals kept on a day's accrual (the issue asks at least 8).
ACCRUAL_QUANTUM = Decimal("0.0000000001")
# The daily factor as the SQL receives it: 30 decimals, far below a céntimo on any balance.
FACTOR_QUANTUM = Decimal("1e-30")


def daily_factor(tea: Decimal) -> Decimal:
    """(1 + TEA)^(1/360) − 1."""
    return period_rate(tea, 1).quantize(FACTOR_QUANTUM, rounding=ROUND_HALF_UP)


def daily_accrual(balance: Decimal, tea: Decimal) -> Decimal:
    """A day's interest on an end-of-day balance, to ten decimals (half-up)."""
    if balance <= 0:
        return Decimal(0).quantize(ACCRUAL_QUANTUM)
    return (balance * daily_factor(tea)).quantize(ACCRUAL_QUANTUM, rounding=ROUND_HALF_UP)


def capitalised(accrued: Decimal) -> tuple[Decimal, Decimal]:
    """(paid in, carried): the céntimos of what accrued, half-up, and what that leaves."""
    paid = round_cents(accrued)
    return paid, accrued - paid


def booked_change(total_before: Decimal, total_after: Decimal) -> Decimal:
    """What a day's booking posts: the change of the rounded running total. The books then
    carry exactly round(everything accrued) on every date, whatever the days' sizes."""
    return round_cents(total_after) - round_cents(total_before)
