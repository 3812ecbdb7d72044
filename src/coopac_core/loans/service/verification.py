"""A loan's records against its balance and the books, for ``coopac verify-ledger``: what a
mirror entry or a bug could leave wrong (an active loan whose installments owe another
principal, a closed one with a balance, an undisbursed one with a schedule), and every
balance close of business keeps for loans, proved against the ledger: accrued interest
(14x8), interest in suspense, provisions (14x9) and written-off debts (memorandum)."""

from __future__ import annotations

import uuid
from decimal import Decimal

from sqlalchemy import text
from sqlmodel import Session, col, select

from coopac_core.ledger.chart import code_for
from coopac_core.loans import accounting as gl
from coopac_core.loans.models import Loan
from coopac_core.money import Currency


def check_loan_records(session: Session, cooperative_id: uuid.UUID) -> list[str]:
    rows = session.execute(
        text(
            "SELECT l.number, l.status, l.balance, count(i.number) AS installments, "
            "coalesce(sum(i.principal - i.principal_paid), 0) AS principal_owed "
            "FROM loan l LEFT JOIN loan_installment i "
            "ON i.cooperative_id = l.cooperative_id AND i.loan_id = l.id "
            "WHERE l.cooperative_id = :c GROUP BY l.cooperative_id, l.id"
        ),
        {"c": cooperative_id},
    ).all()
    problems = []
    for number, status, balance, installments, owed in rows:
        if status == "active" and (installments == 0 or owed != balance):
            problems.append(
                f"loan {number}: active with balance {balance} but installments owe {owed}"
            )
        elif status != "active" and balance != 0:
            problems.append(f"loan {number}: {status} with balance {balance}")
        elif status in ("draft", "submitted", "approved", "rejected") and installments:
            problems.append(f"loan {number}: {status} yet has a schedule of {installments}")
    return problems


# Each loan's balances as its lines put them: its vencidos and judicial parts (its own
# lines on those accounts), and the balances on lines that name it with their part.
_PARTS = """
SELECT l.number, l.status, l.accounting_status,
       l.overdue_balance, l.judicial_balance, l.suspended_interest, l.suspended_moratory,
       l.provision_specific, l.provision_generic, l.written_off_balance,
       coalesce(sum(p.amount) FILTER (WHERE p.account_kind = 'loan'
                                      AND p.gl_account_id = l.overdue_gl_account_id), 0.00),
       coalesce(sum(p.amount) FILTER (WHERE p.account_kind = 'loan'
                                      AND p.gl_account_id = l.judicial_gl_account_id), 0.00),
       coalesce(sum(p.amount) FILTER (WHERE p.account_kind = 'loan_interest'), 0.00),
       coalesce(sum(p.amount) FILTER (WHERE p.account_kind = 'loan_moratory'), 0.00),
       -coalesce(sum(p.amount) FILTER (WHERE p.account_kind = 'loan_specific'), 0.00),
       -coalesce(sum(p.amount) FILTER (WHERE p.account_kind = 'loan_generic'), 0.00),
       coalesce(sum(p.amount) FILTER (WHERE p.account_kind = 'loan_written_off'), 0.00)
FROM loan l LEFT JOIN posting p ON p.cooperative_id = l.cooperative_id
    AND p.account_kind LIKE 'loan%' AND p.account_id = l.id
WHERE l.cooperative_id = :c AND l.disbursed_on IS NOT NULL
GROUP BY l.cooperative_id, l.id
"""
_PART_NAMES = (
    "vencido",
    "judicial",
    "interest in suspense",
    "moratory in suspense",
    "specific provision",
    "generic provision",
    "written off",
)


def _parts(session: Session, cooperative_id: uuid.UUID) -> list[str]:
    """Each loan's balances agree with its lines, and its accounting status with its
    parts: what its postings put in vencidos and judicial is what it says is there, and so
    for suspense, provisions and written-off debt."""
    rows = session.execute(text(_PARTS), {"c": cooperative_id}).all()
    problems = []
    n = len(_PART_NAMES)
    for number, loan_status, status, *amounts in rows:
        kept, posted = amounts[:n], amounts[n:]
        for name, held, lines in zip(_PART_NAMES, kept, posted, strict=True):
            if held != lines:
                problems.append(f"loan {number}: {name} {held} but its lines put {lines} there")
        overdue, judicial = kept[:2]
        expected = "judicial" if judicial else "overdue" if overdue else "current"
        if loan_status == "active" and status != expected:
            problems.append(f"loan {number}: {status} with vencido {overdue}, judicial {judicial}")
    return problems


def _gl_balance(
    session: Session, cooperative_id: uuid.UUID, template: str, currency: str
) -> Decimal:
    """The account's balance, debits positive."""
    return Decimal(
        session.execute(
            text(
                "SELECT coalesce(sum(p.amount), 0) FROM posting p JOIN gl_account g "
                "ON g.cooperative_id = p.cooperative_id AND g.id = p.gl_account_id "
                "WHERE p.cooperative_id = :c AND g.code = :code"
            ),
            {"c": cooperative_id, "code": code_for(template, Currency(currency))},
        ).scalar_one()
    )


_TOTALS = """
SELECT coalesce(sum(u.open), 0) - coalesce(sum(l.suspended_interest + l.suspended_moratory), 0.00),
       coalesce(sum(l.suspended_interest + l.suspended_moratory), 0.00),
       coalesce(sum(l.provision_generic), 0), coalesce(sum(l.provision_specific), 0.00),
       coalesce(sum(l.written_off_balance), 0.00)
FROM loan l LEFT JOIN LATERAL (
    SELECT sum(i.interest_accrued - i.interest_paid + i.moratory_due + i.moratory_accrued
               - i.moratory_paid) AS open
    FROM loan_installment i WHERE i.cooperative_id = l.cooperative_id AND i.loan_id = l.id
) u ON true
WHERE l.cooperative_id = :c AND l.currency = :cur
"""


def check_loan_books(session: Session, cooperative_id: uuid.UUID) -> list[str]:
    """Per currency: 14x8 holds the interest accrued and not collected that is not in
    suspense; the suspense accounts hold the rest; 14x9 holds the provisions booked per
    loan (generic and specific apart); the written-off accounts hold what is still owed on
    written-off loans; 29x1.02 holds what refinanced loans capitalised and have not yet
    collected."""
    problems = _parts(session, cooperative_id)
    for currency in Currency:
        accrued, suspended, generic, specific, written_off = session.execute(
            text(_TOTALS), {"c": cooperative_id, "cur": currency.value}
        ).one()
        refinanced = session.exec(
            select(Loan).where(
                Loan.cooperative_id == cooperative_id,
                Loan.currency == currency.value,
                col(Loan.capitalised_interest) > 0,
            )
        ).all()
        deferred = sum((gl.deferred_interest(r, r.balance) for r in refinanced), Decimal("0.00"))
        for what, template, expected in (
            ("capitalised interest deferred", gl.DEFERRED_INCOME_GL, -deferred),
            ("accrued interest", gl.ACCRUED_INTEREST_GL, accrued),
            ("interest in suspense", gl.SUSPENDED_GL, suspended),
            ("its contra account", gl.SUSPENDED_CONTRA_GL, -suspended),
            ("generic provisions", gl.PROVISION_GENERIC_GL, -generic),
            ("specific provisions", gl.PROVISION_SPECIFIC_GL, -specific),
            ("written-off loans", gl.WRITTEN_OFF_GL, written_off),
            ("their contra account", gl.WRITTEN_OFF_CONTRA_GL, -written_off),
        ):
            booked = _gl_balance(session, cooperative_id, template, currency.value)
            if booked != expected:
                code = code_for(template, currency)
                problems.append(
                    f"{what} ({code}): the books hold {booked} but the loans say {expected}"
                )
    return problems
