"""A closed year's proof, for ``coopac verify-ledger``."""

from __future__ import annotations

import uuid

from sqlalchemy import text
from sqlmodel import Session

from coopac_core.fiscal_years.service import RESULTS, ZERO, closes_on
from coopac_core.ledger.chart import YEAR_RESULT_GL, code_for
from coopac_core.money import Currency


def check_fiscal_years(session: Session, cooperative_id: uuid.UUID) -> list[str]:
    """verify-ledger: a closed year leaves no income or expense balance at 31 December, and
    its closing entry put in 39x1 the result it records."""
    problems = []
    years = session.execute(
        text(
            "SELECT f.year, f.result_pen + f.result_usd_pen, f.result_usd_pen, f.result_usd, "
            "f.closing_entry_id FROM fiscal_year f "
            "WHERE f.cooperative_id = :c ORDER BY f.year"
        ),
        {"c": cooperative_id},
    ).all()
    for year, result_pen, result_usd_pen, result_usd, entry_id in years:
        # the dollars in soles, or (a year closed before they were) in 39x2
        if result_usd_pen:
            result_usd = ZERO
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


def check_distributions(session: Session, cooperative_id: uuid.UUID) -> list[str]:
    """verify-ledger: a distributed year's entry took its whole result out of 39x1, and
    credited each member what the list of members' parts says, to the céntimo."""
    problems = []
    years = session.execute(
        text(
            "SELECT year, result_pen + result_usd_pen, distribution_entry_id FROM fiscal_year "
            "WHERE cooperative_id = :c AND status = 'distributed' ORDER BY year"
        ),
        {"c": cooperative_id},
    ).all()
    for year, result, entry_id in years:
        taken = session.execute(
            text(
                "SELECT coalesce(sum(p.amount), 0) FROM posting p JOIN gl_account g "
                "ON g.cooperative_id = p.cooperative_id AND g.id = p.gl_account_id "
                "WHERE p.cooperative_id = :c AND p.entry_id = :e AND g.code = :code"
            ),
            {"c": cooperative_id, "e": entry_id, "code": code_for(YEAR_RESULT_GL, Currency.PEN)},
        ).scalar_one()
        if taken != result:
            problems.append(
                f"fiscal year {year}: result {result} but its distribution took {taken}"
            )
        wrong = session.execute(
            text(
                "SELECT s.member_id, s.share_interest + s.member_return AS owed, "
                "coalesce(-sum(p.amount), 0) AS credited FROM surplus_share s "
                "LEFT JOIN posting p ON p.cooperative_id = s.cooperative_id AND p.entry_id = :e "
                "AND p.account_kind = s.account_kind AND p.account_id = s.account_id "
                "WHERE s.cooperative_id = :c AND s.year = :y "
                "GROUP BY s.member_id, s.share_interest, s.member_return "
                "HAVING s.share_interest + s.member_return <> coalesce(-sum(p.amount), 0)"
            ),
            {"c": cooperative_id, "e": entry_id, "y": year},
        ).all()
        for member_id, owed, credited in wrong:
            problems.append(
                f"fiscal year {year}: member {member_id} owed {owed} of the surplus, "
                f"credited {credited}"
            )
    return problems
