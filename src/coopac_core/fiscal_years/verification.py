"""A closed year's proof, for ``coopac verify-ledger``."""

from __future__ import annotations

import uuid

from sqlalchemy import text
from sqlmodel import Session

from coopac_core.fiscal_years.service import RESULTS, ZERO, closes_on


def check_fiscal_years(session: Session, cooperative_id: uuid.UUID) -> list[str]:
    """verify-ledger: a closed year leaves no income or expense balance at 31 December, and
    its closing entry put in 39x1 the result it records."""
    problems = []
    years = session.execute(
        text(
            "SELECT f.year, f.result_pen, f.result_usd, f.closing_entry_id FROM fiscal_year f "
            "WHERE f.cooperative_id = :c ORDER BY f.year"
        ),
        {"c": cooperative_id},
    ).all()
    for year, result_pen, result_usd, entry_id in years:
        left = session.execute(text(RESULTS), {"c": cooperative_id, "d": closes_on(year)}).all()
        if left:
            problems.append(f"fiscal year {year}: {len(left)} result accounts not closed")
        posted = dict(
            session.execute(
                text(
                    "SELECT g.currency, -sum(p.amount) FROM posting p JOIN gl_account g "
                    "ON g.cooperative_id = p.cooperative_id AND g.id = p.gl_account_id "
                    "WHERE p.cooperative_id = :c AND p.entry_id = :e AND g.code LIKE '39_1' "
                    "GROUP BY g.currency"
                ),
                {"c": cooperative_id, "e": entry_id},
            ).all()
        )
        for currency, recorded in (("PEN", result_pen), ("USD", result_usd)):
            if posted.get(currency, ZERO) != recorded:
                problems.append(
                    f"fiscal year {year}: result {recorded} {currency} but its closing entry "
                    f"put {posted.get(currency, ZERO)} in 39x1"
                )
    return problems
