"""Close of business accrues moratory interest in set-based SQL; a payment settles it in
Python (``loans.servicing.moratory_since``). Python states the rule; this property holds the
SQL that close of business runs to it over generated installments, to the céntimo."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine, text

from coopac_core.loans.close_of_business import MORATORY_SINCE
from coopac_core.loans.servicing import moratory_since


@dataclass
class _Installment:
    due_date: date
    principal: Decimal
    principal_paid: Decimal
    moratory_through: date | None
    # what the rule does not read, for the Installment protocol
    interest: Decimal = Decimal(0)
    fees: Decimal = Decimal(0)
    insurance: Decimal = Decimal(0)
    interest_paid: Decimal = Decimal(0)
    fees_paid: Decimal = Decimal(0)
    insurance_paid: Decimal = Decimal(0)
    interest_accrued: Decimal = Decimal(0)
    moratory_due: Decimal = Decimal(0)
    moratory_accrued: Decimal = Decimal(0)
    moratory_paid: Decimal = Decimal(0)
    overdue_interest_accrued: Decimal = Decimal(0)
    paid_on: date | None = None


CENTS = st.integers(0, 5_000_000).map(lambda c: Decimal(c) / 100)
TEA = st.integers(0, 999_999).map(lambda r: Decimal(r) / 1_000_000)  # 0 to 99.9999 %


@st.composite
def _cases(draw: st.DrawFn) -> tuple[_Installment, Decimal, date]:
    due = date(2024, 1, 1) + timedelta(days=draw(st.integers(0, 900)))
    principal = draw(CENTS)
    paid = min(draw(CENTS), principal) if draw(st.booleans()) else Decimal(0)
    through = due + timedelta(days=draw(st.integers(0, 400))) if draw(st.booleans()) else None
    today = due + timedelta(days=draw(st.integers(-30, 1500)))
    return _Installment(due, principal, paid, through), draw(TEA), today


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cases=st.lists(_cases(), min_size=1, max_size=40))
def test_the_sql_moratory_interest_is_pythons(
    owner_engine: Engine, cases: list[tuple[_Installment, Decimal, date]]
) -> None:
    with owner_engine.connect() as conn:
        found = [
            conn.execute(
                text(
                    f"SELECT {MORATORY_SINCE} FROM (SELECT CAST(:due AS date) AS due_date, "
                    "CAST(:principal AS numeric) AS principal, "
                    "CAST(:paid AS numeric) AS principal_paid, "
                    "CAST(:through AS date) AS moratory_through) i, "
                    "(SELECT CAST(:tea AS numeric) AS moratory_tea) l"
                ),
                {
                    "due": i.due_date,
                    "principal": i.principal,
                    "paid": i.principal_paid,
                    "through": i.moratory_through,
                    "tea": tea,
                    "d": today,
                },
            ).scalar_one()
            for i, tea, today in cases
        ]
    assert found == [moratory_since(i, tea, today) for i, tea, today in cases]
