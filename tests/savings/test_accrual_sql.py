"""A sight account's day of interest is close of business's SQL alone
(``savings.close_of_business``): whether the account earns it and how much, held here to the
formula computed by hand, B × ((1 + TEA)^(1/360) − 1) to ten decimals, over generated
balances, rates and product minimums."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, localcontext

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine, text

from coopac_core.savings.close_of_business import DAYS_INTEREST, EARNS_INTEREST
from coopac_core.savings.interest import daily_factor

CENTS = st.integers(-100_000, 99_999_999_999).map(lambda c: Decimal(c) / 100)
TEAS = st.integers(0, 3_000).map(lambda t: Decimal(t) / 10_000)


def _by_hand(balance: Decimal, tea: Decimal, minimum: Decimal) -> Decimal | None:
    if balance <= 0 or balance < minimum or tea == 0:
        return None
    with localcontext() as ctx:
        ctx.prec = 80
        factor = (1 + tea) ** (Decimal(1) / Decimal(360)) - 1
        return (balance * factor).quantize(Decimal("1e-10"), rounding=ROUND_HALF_UP)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(balance=CENTS, tea=TEAS, minimum=CENTS.map(abs))
@example(balance=Decimal("0.01"), tea=Decimal("0.05"), minimum=Decimal(0))
@example(balance=Decimal("1000.00"), tea=Decimal("0.05"), minimum=Decimal(0))
@example(balance=Decimal("123456789.99"), tea=Decimal("0.05"), minimum=Decimal(0))
@example(balance=Decimal("99.99"), tea=Decimal("0.05"), minimum=Decimal("100.00"))
@example(balance=Decimal("100.00"), tea=Decimal("0.05"), minimum=Decimal("100.00"))
def test_a_days_interest_is_the_formula(
    owner_engine: Engine, balance: Decimal, tea: Decimal, minimum: Decimal
) -> None:
    with owner_engine.connect() as conn:
        earns, amount = conn.execute(
            text(
                f"SELECT {EARNS_INTEREST}, {DAYS_INTEREST} FROM (SELECT CAST(:eod AS numeric) "
                "AS eod, CAST(:factor AS numeric) AS factor, CAST(:min AS numeric) "
                "AS min_balance) x"
            ),
            {"eod": balance, "factor": daily_factor(tea), "min": minimum},
        ).one()
    expected = _by_hand(balance, tea, minimum)
    assert earns is (expected is not None)
    if expected is not None:
        assert amount == expected
