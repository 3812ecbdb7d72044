"""Interest on savings, as plain functions (no database). A sight account's day of interest
is close of business's SQL (``savings.close_of_business.DAYS_INTEREST``), from the factor
here; term deposits' accruals are computed here.

DOMAIN.md and the issue: a day's interest on a sight account is ``B × ((1 + TEA)^(1/360) −
1)`` on the balance B at the end of that day, kept per account with ten decimals and never
rounded day by day; a month's interest is rounded half-up to the céntimo when it is paid
in, and what rounding leaves is carried to the next month."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache

from coopac_core.money import period_rate, round_cents

# Decimals kept on a day's accrual (the issue asks at least 8).
ACCRUAL_QUANTUM = Decimal("0.0000000001")
# The daily factor as the SQL receives it: 30 decimals, far below a céntimo on any balance.
FACTOR_QUANTUM = Decimal("1e-30")


def daily_factor(tea: Decimal) -> Decimal:
    """(1 + TEA)^(1/360) − 1."""
    return period_rate(tea, 1).quantize(FACTOR_QUANTUM, rounding=ROUND_HALF_UP)


def booked_change(total_before: Decimal, total_after: Decimal) -> Decimal:
    """What a day's booking posts: the change of the rounded running total. The books then
    carry exactly round(everything accrued) on every date, whatever the days' sizes."""
    return round_cents(total_after) - round_cents(total_before)


# Term deposits. Interest for n days on the placed amount K: I = K × ((1 + TEA)^(n/360) − 1),
# rounded half-up to the céntimo. Day k of the term accrues cum(k) − cum(k − 1), where cum(k)
# is that formula for k days, kept to ten decimals, and cum(n) = I: the last day takes what
# rounding leaves, so the accruals of a term add up to I exactly.


@lru_cache(maxsize=65536)
def _rate(tea: Decimal, days: int) -> Decimal:
    return period_rate(tea, days)


def term_interest(amount: Decimal, tea: Decimal, days: int) -> Decimal:
    """I = K × ((1 + TEA)^(n/360) − 1), half-up to the céntimo."""
    return round_cents(amount * _rate(tea, days))


def cumulative(amount: Decimal, tea: Decimal, days: int, term: int) -> Decimal:
    """What the first ``days`` days of a ``term``-day placement have accrued."""
    if days <= 0:
        return Decimal(0)
    if days >= term:
        return term_interest(amount, tea, term)
    return (amount * _rate(tea, days)).quantize(ACCRUAL_QUANTUM, rounding=ROUND_HALF_UP)


def day_accrual(amount: Decimal, tea: Decimal, day_of_term: int, term: int) -> Decimal:
    """Day k's share: cum(k) − cum(k − 1); the term's days add up to I."""
    return cumulative(amount, tea, day_of_term, term) - cumulative(
        amount, tea, day_of_term - 1, term
    )
