"""The portfolio by SBS category: balances, required provisions, overdue ratio, PAR30."""

from __future__ import annotations

import uuid
from collections import defaultdict
from datetime import date
from decimal import Decimal

from sqlmodel import Session, select

from coopac_core.loans.classification import (
    Category,
    CreditType,
    Guarantee,
    classify,
    provision_rate,
    worst,
)
from coopac_core.loans.models import Loan, LoanStatus
from coopac_core.loans.schemas import Portfolio, PortfolioCategory, PortfolioCreditType
from coopac_core.loans.service.products import products_by_id
from coopac_core.loans.service.queries import installments_by_loan
from coopac_core.loans.servicing import ZERO, days_past_due
from coopac_core.money import Currency, round_cents, round_rate

# Days past due after which a loan counts in the cartera atrasada (vencida). DOMAIN.md is
# silent: prudent defaults from SBS practice (30 days; 90 for housing), to confirm.
OVERDUE_AFTER_DAYS: dict[CreditType, int] = {
    CreditType.consumo: 30,
    CreditType.microempresa: 30,
    CreditType.pequena_empresa: 30,
    CreditType.hipotecario: 90,
}
PAR_DAYS = 30


def portfolio(session: Session, cooperative_id: uuid.UUID, as_of: date, currency: str) -> Portfolio:
    """Loans by SBS category with balances and required provisions, overdue ratio, PAR30.

    Days past due are counted at ``as_of`` against the installments as paid today. A debtor
    takes the worst category of all their loans in the cooperative, whatever the currency."""
    loans = list(
        session.exec(
            select(Loan).where(
                Loan.cooperative_id == cooperative_id, Loan.status == LoanStatus.active
            )
        )
    )
    by_loan = installments_by_loan(session, cooperative_id, [loan.id for loan in loans])
    products = products_by_id(session, cooperative_id, {loan.product_id for loan in loans})
    debtor: dict[uuid.UUID, Category] = defaultdict(lambda: Category.normal)
    rows = []
    for loan in loans:
        credit_type = CreditType(products[loan.product_id].credit_type)
        dpd = days_past_due(by_loan[loan.id], as_of)
        category = classify(credit_type, dpd)
        debtor[loan.member_id] = worst([debtor[loan.member_id], category])
        if loan.currency == currency:
            rows.append((loan, credit_type, dpd, category))

    def blank() -> dict[Category, list[Decimal]]:
        return {c: [Decimal(0), ZERO, ZERO] for c in Category}

    totals = blank()
    by_type: dict[CreditType, dict[Category, list[Decimal]]] = {}
    balance = overdue = par = provisions = ZERO
    for loan, credit_type, dpd, _ in rows:
        category = debtor[loan.member_id]  # alineamiento: the debtor's worst category
        provision = round_cents(
            loan.balance * provision_rate(credit_type, category, Guarantee(loan.guarantee))
        )
        for table in (totals, by_type.setdefault(credit_type, blank())):
            cell = table[category]
            cell[0] += 1
            cell[1] += loan.balance
            cell[2] += provision
        balance += loan.balance
        provisions += provision
        if dpd > OVERDUE_AFTER_DAYS[credit_type]:
            overdue += loan.balance
        if dpd > PAR_DAYS:
            par += loan.balance

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
        provisions_required=provisions,
        by_category=cells(totals),
        by_credit_type=[
            PortfolioCreditType(credit_type=t, categories=cells(v))
            for t, v in sorted(by_type.items())
        ],
    )
