"""The portfolio by SBS category at a date: balances, required provisions, overdue ratio,
PAR30. A past date reads the loans as they were then, not as they are paid today."""

from __future__ import annotations

import uuid
from collections import defaultdict
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import text
from sqlmodel import Session, col, select

from coopac_core.errors import AsOfInFuture
from coopac_core.federation.service import get_cooperative
from coopac_core.loans.classification import (
    Category,
    Cover,
    CreditType,
    classify,
    floored,
    required_provision,
    worst,
)
from coopac_core.loans.models import Loan, LoanInstallment
from coopac_core.loans.policy import policy_of
from coopac_core.loans.schemas import Portfolio, PortfolioCategory, PortfolioCreditType
from coopac_core.loans.service.products import products_by_id
from coopac_core.loans.service.queries import installments_by_loan
from coopac_core.loans.service.reversals import installments_from
from coopac_core.loans.servicing import ZERO, days_past_due
from coopac_core.money import Currency, round_rate

PAR_DAYS = 30


# Each loan that was out at the date: its balance then, and the part of it in vencidos or
# judicial then (cartera atrasada), both from its postings up to that day.
_LOANS_AT = """
SELECT l.id, coalesce(sum(p.amount), 0) AS balance,
       coalesce(sum(p.amount) FILTER (WHERE p.gl_account_id IN (l.overdue_gl_account_id,
                                                                l.judicial_gl_account_id)), 0)
           AS overdue
FROM loan l JOIN posting p ON p.cooperative_id = l.cooperative_id AND p.account_kind = 'loan'
    AND p.account_id = l.id AND p.business_date <= :d
WHERE l.cooperative_id = :c AND l.disbursed_on <= :d
GROUP BY l.id HAVING sum(p.amount) > 0
"""
# The installments of a loan at the date are those its first operation after it found
# (kept by ``reversals.remember``); a loan with none since is as it is now.
_FIRST_AFTER = """
SELECT DISTINCT ON (o.loan_id) o.loan_id, o.installments_before
FROM loan_operation o JOIN journal_entry e
    ON e.cooperative_id = o.cooperative_id AND e.id = o.journal_entry_id
WHERE o.cooperative_id = :c AND o.loan_id = ANY(:ids) AND e.business_date > :d
ORDER BY o.loan_id, e.seq
"""


def _covers(session: Session, cooperative_id: uuid.UUID, ids: list[uuid.UUID]) -> dict[Any, Cover]:
    """What guarantees each loan now: pledged deposits, collateral at realisable value."""
    rows = session.execute(
        text(
            "SELECT l.id, "
            "coalesce((SELECT sum(h.amount) FROM savings_hold h WHERE h.cooperative_id = "
            "l.cooperative_id AND h.loan_id = l.id AND h.status = 'active'), 0), "
            "coalesce((SELECT sum(k.realizable_value) FROM loan_collateral k WHERE "
            "k.cooperative_id = l.cooperative_id AND k.loan_id = l.id "
            "AND k.guarantee = 'preferred_quick'), 0), "
            "coalesce((SELECT sum(k.realizable_value) FROM loan_collateral k WHERE "
            "k.cooperative_id = l.cooperative_id AND k.loan_id = l.id "
            "AND k.guarantee = 'preferred'), 0) "
            "FROM loan l WHERE l.cooperative_id = :c AND l.id = ANY(:ids)"
        ),
        {"c": cooperative_id, "ids": ids},
    ).all()
    return {r[0]: Cover(pledged=r[1], preferred_quick=r[2], preferred=r[3]) for r in rows}


def portfolio(session: Session, cooperative_id: uuid.UUID, as_of: date, currency: str) -> Portfolio:
    """Loans by SBS category with balances and required provisions, overdue ratio
    (vencidos and judicial over the portfolio), PAR30, at ``as_of``.

    Balances and the vencido part come from the postings up to that day; days past due
    from the installments as they were then. A debtor takes the worst category of all their
    loans in the cooperative, whatever the currency. Guarantees are counted as they are
    today (their history is not kept)."""
    business_date = get_cooperative(session, cooperative_id).business_date
    if as_of > business_date:
        raise AsOfInFuture(as_of=as_of, business_date=business_date)
    params = {"c": cooperative_id, "d": as_of}
    state = {r.id: r for r in session.execute(text(_LOANS_AT), params)}
    ids = list(state)
    loans = list(
        session.exec(
            select(Loan).where(Loan.cooperative_id == cooperative_id, col(Loan.id).in_(ids))
        )
    )
    schedules: dict[uuid.UUID, list[LoanInstallment]] = dict(
        installments_by_loan(session, cooperative_id, ids)
    )
    for loan_id, before in session.execute(text(_FIRST_AFTER), {**params, "ids": ids}):
        schedules[loan_id] = installments_from(cooperative_id, loan_id, before)
    products = products_by_id(session, cooperative_id, {loan.product_id for loan in loans})
    policy = policy_of(get_cooperative(session, cooperative_id).credit_policy)
    covers = _covers(session, cooperative_id, ids)
    debtor: dict[uuid.UUID, Category] = defaultdict(lambda: Category.normal)
    rows = []
    for loan in loans:
        credit_type = CreditType(products[loan.product_id].credit_type)
        dpd = days_past_due(schedules.get(loan.id, []), as_of)
        category = classify(credit_type, dpd, policy.bands(credit_type))
        if loan.category_floor is not None:
            punctual = sum(
                1
                for i in schedules.get(loan.id, [])
                if i.paid_on and i.paid_on <= min(i.due_date, as_of)
            )
            category = floored(
                category,
                Category(loan.category_floor),
                punctual,
                policy.refinance_regular_installments,
            )
        debtor[loan.member_id] = worst([debtor[loan.member_id], category])
        if loan.currency == currency:
            rows.append((loan, credit_type, dpd))

    def blank() -> dict[Category, list[Decimal]]:
        return {c: [Decimal(0), ZERO, ZERO] for c in Category}

    totals = blank()
    by_type: dict[CreditType, dict[Category, list[Decimal]]] = {}
    balance = overdue = par = provisions = refinanced = ZERO
    for loan, credit_type, dpd in rows:
        category = debtor[loan.member_id]  # alineamiento: the debtor's worst category
        exposure = state[loan.id].balance
        need = required_provision(credit_type, category, exposure, covers.get(loan.id, Cover()))
        for table in (totals, by_type.setdefault(credit_type, blank())):
            cell = table[category]
            cell[0] += 1
            cell[1] += exposure
            cell[2] += need.total
        balance += exposure
        provisions += need.total
        overdue += state[loan.id].overdue
        if loan.refinanced_from_id is not None:
            refinanced += exposure - state[loan.id].overdue
        if dpd > PAR_DAYS:
            par += exposure

    def cells(table: dict[Category, list[Decimal]]) -> list[PortfolioCategory]:
        return [
            PortfolioCategory(category=c, loans=int(v[0]), balance=v[1], provision=v[2])
            for c, v in table.items()
        ]

    def ratio(part: Decimal) -> Decimal:
        return round_rate(part / balance) if balance else Decimal("0")

    return Portfolio(
        as_of=as_of,
        currency=Currency(currency),
        loans=len(rows),
        balance=balance,
        overdue_balance=overdue,
        overdue_ratio=ratio(overdue),
        par30=ratio(par),
        refinanced_balance=refinanced,
        high_risk_ratio=ratio(overdue + refinanced),
        provisions_required=provisions,
        by_category=cells(totals),
        by_credit_type=[
            PortfolioCreditType(credit_type=t, categories=cells(v))
            for t, v in sorted(by_type.items())
        ],
    )
