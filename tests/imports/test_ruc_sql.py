"""An import checks a RUC's check digit in set-based SQL; the API checks it in Python
(``federation.identifiers.ruc_check_digit``, the rule's home). This property holds the
import's expression to it over generated RUCs."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine, text

from coopac_core.federation.identifiers import ruc_check_digit
from coopac_core.imports.layouts import ruc_check_digit as ruc_check_digit_sql

FIRST_TEN = st.text(alphabet="0123456789", min_size=10, max_size=10)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rucs=st.lists(FIRST_TEN, min_size=1, max_size=50))
def test_the_sql_check_digit_of_a_ruc_is_pythons(owner_engine: Engine, rucs: list[str]) -> None:
    # any eleventh digit: only the first ten count
    numbers = [r + "7" for r in rucs]
    with owner_engine.connect() as conn:
        found = conn.execute(
            text(f"SELECT {ruc_check_digit_sql('n')} FROM unnest(CAST(:n AS text[])) AS n"),
            {"n": numbers},
        ).scalars()
        assert list(found) == [ruc_check_digit(r) for r in rucs]
