"""Finding loans and their installments, one or a page at a time."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterable
from datetime import date
from typing import Any

from sqlmodel import Session, col, select

from coopac_core.federation.models import Cooperative
from coopac_core.ledger import service as ledger
from coopac_core.loans.errors import LoanNotFound
from coopac_core.loans.models import Loan, LoanGuarantor, LoanInstallment, LoanStatus


def get_loan(session: Session, cooperative_id: uuid.UUID, loan_id: uuid.UUID) -> Loan:
    loan = session.get(Loan, (cooperative_id, loan_id))
    if loan is None:
        raise LoanNotFound()
    return loan


def lock_loan(session: Session, cooperative_id: uuid.UUID, loan_id: uuid.UUID) -> Loan:
    loan = ledger.lock_member_accounts(session, Loan, cooperative_id, [loan_id]).get(loan_id)
    if loan is None:
        raise LoanNotFound()
    return loan


def lock_loan_on_day(
    session: Session, cooperative_id: uuid.UUID, loan_id: uuid.UUID
) -> tuple[Loan, date, dict[str, Any]]:
    """The loan locked, with its cooperative's business date and credit policy, in one
    round trip (a repayment needs all three)."""
    row = session.exec(
        select(Loan, col(Cooperative.business_date), col(Cooperative.credit_policy))
        .join(Cooperative, col(Cooperative.id) == Loan.cooperative_id)
        .where(Loan.cooperative_id == cooperative_id, Loan.id == loan_id)
        .with_for_update(of=Loan)
        .execution_options(populate_existing=True)
    ).first()
    if row is None:
        raise LoanNotFound()
    return row[0], row[1], row[2]


def list_loans(
    session: Session,
    cooperative_id: uuid.UUID,
    *,
    member_id: uuid.UUID | None,
    status: LoanStatus | None,
    after_number: str | None,
    limit: int,
) -> list[Loan]:
    stmt = select(Loan).where(Loan.cooperative_id == cooperative_id)
    if member_id:
        stmt = stmt.where(Loan.member_id == member_id)
    if status:
        stmt = stmt.where(Loan.status == status)
    if after_number is not None:
        stmt = stmt.where(col(Loan.number) > after_number)
    return list(session.exec(stmt.order_by(col(Loan.number)).limit(limit)))


def active_loans_of(
    session: Session, cooperative_id: uuid.UUID, member_ids: Iterable[uuid.UUID]
) -> list[Loan]:
    ids = set(member_ids)
    if not ids:
        return []
    return list(
        session.exec(
            select(Loan).where(
                Loan.cooperative_id == cooperative_id,
                col(Loan.member_id).in_(ids),
                Loan.status == LoanStatus.active,
            )
        )
    )


def installments(session: Session, loan: Loan) -> list[LoanInstallment]:
    return installments_by_loan(session, loan.cooperative_id, [loan.id])[loan.id]


def installments_by_loan(
    session: Session, cooperative_id: uuid.UUID, loan_ids: Iterable[uuid.UUID]
) -> dict[uuid.UUID, list[LoanInstallment]]:
    """Installments of many loans in one query, each loan's in order."""
    out: dict[uuid.UUID, list[LoanInstallment]] = defaultdict(list)
    ids = set(loan_ids)
    if ids:
        for i in session.exec(
            select(LoanInstallment)
            .where(
                LoanInstallment.cooperative_id == cooperative_id,
                col(LoanInstallment.loan_id).in_(ids),
            )
            .order_by(col(LoanInstallment.loan_id), col(LoanInstallment.number))
        ):
            out[i.loan_id].append(i)
    return out


def guarantors_by_loan(
    session: Session, cooperative_id: uuid.UUID, loan_ids: Iterable[uuid.UUID]
) -> dict[uuid.UUID, list[uuid.UUID]]:
    out: dict[uuid.UUID, list[uuid.UUID]] = defaultdict(list)
    ids = set(loan_ids)
    if ids:
        for g in session.exec(
            select(LoanGuarantor)
            .where(
                LoanGuarantor.cooperative_id == cooperative_id,
                col(LoanGuarantor.loan_id).in_(ids),
            )
            .order_by(col(LoanGuarantor.loan_id), col(LoanGuarantor.member_id))
        ):
            out[g.loan_id].append(g.member_id)
    return out
