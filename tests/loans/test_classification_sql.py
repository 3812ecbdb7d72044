"""Close of business classifies loans and aligns debtors in set-based SQL; the views and the
portfolio as of a date classify in Python (``loans.classification``). Python states the rule;
these properties hold the SQL that close of business runs to it over generated cases."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine, text

from coopac_core.loans.classification import (
    CATEGORY_ORDER,
    Bands,
    Category,
    CreditType,
    classify,
    worst,
)
from coopac_core.loans.close_of_business import CATEGORY_BY_DAYS, WORST_CATEGORY


# a credit type's bands: the most days past due of normal, cpp, deficiente and dudoso
def _bands(days: list[int]) -> Bands:
    normal, cpp, deficiente, dudoso = sorted(days)
    return (normal, cpp, deficiente, dudoso)


BANDS = st.lists(st.integers(0, 400), min_size=4, max_size=4, unique=True).map(_bands)
SLOW = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SLOW
@given(
    credit_type=st.sampled_from(list(CreditType)),
    bands=BANDS,
    days=st.lists(st.integers(0, 1000), min_size=1, max_size=30),
)
def test_the_sql_category_of_days_past_due_is_pythons(
    owner_engine: Engine, credit_type: CreditType, bands: Bands, days: list[int]
) -> None:
    normal, cpp, deficiente, dudoso = bands
    # every band's edges, where a < for a <= would show
    days = days + [d for b in bands for d in (b - 1, b, b + 1) if d >= 0]
    with owner_engine.connect() as conn:
        found = conn.execute(
            text(
                f"SELECT {CATEGORY_BY_DAYS} FROM unnest(CAST(:days AS int[])) AS d(dpd), "
                "(SELECT :normal AS normal, :cpp AS cpp, :deficiente AS deficiente, "
                ":dudoso AS dudoso) b"
            ),
            {
                "days": days,
                "normal": normal,
                "cpp": cpp,
                "deficiente": deficiente,
                "dudoso": dudoso,
            },
        ).scalars()
        assert [Category(c) for c in found] == [classify(credit_type, d, bands) for d in days]


@SLOW
@given(
    debtors=st.lists(
        st.lists(st.sampled_from(CATEGORY_ORDER), min_size=1, max_size=6), min_size=1, max_size=10
    )
)
def test_the_sql_alignment_is_pythons_worst(
    owner_engine: Engine, debtors: list[list[Category]]
) -> None:
    member = [m for m, loans in enumerate(debtors) for _ in loans]
    category = [c.value for loans in debtors for c in loans]
    with owner_engine.connect() as conn:
        found: dict[int, str] = dict(
            conn.execute(
                text(
                    f"SELECT member_id, {WORST_CATEGORY} FROM unnest(CAST(:m AS int[]), "
                    "CAST(:c AS text[])) AS l(member_id, category) GROUP BY member_id"
                ),
                {"m": member, "c": category},
            ).all()
        )
    assert {m: Category(c) for m, c in found.items()} == {
        m: worst(loans) for m, loans in enumerate(debtors)
    }
