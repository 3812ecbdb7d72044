"""A reprogramación: new dates for what a current loan still owes, without capitalising
interest. The installments not yet due are replaced by new ones over the new dates (what was
paid early on them stays, settled); the interest recognised and not collected goes with the
principal to the first new installment. No money moves: no entry."""

from __future__ import annotations

import uuid

from sqlalchemy import delete
from sqlmodel import Session, col

from coopac_core.audit import service as audit_service
from coopac_core.loans.errors import InvalidLoanStatus, LoanNotCurrent, ScheduleInvalid
from coopac_core.loans.models import AccountingStatus, Loan, LoanInstallment, LoanStatus
from coopac_core.loans.schedule import Frequency, due_dates
from coopac_core.loans.schemas import RescheduleRequest
from coopac_core.loans.service.queries import installments, lock_loan_on_day
from coopac_core.loans.servicing import ZERO, owed, reprogrammed
from coopac_core.models_base import utcnow
from coopac_core.security.principal import CoopContext


def reschedule(
    session: Session, ctx: CoopContext, loan_id: uuid.UUID, data: RescheduleRequest
) -> Loan:
    loan, today, _ = lock_loan_on_day(session, ctx.cooperative_id, loan_id)
    if loan.status != LoanStatus.active:
        raise InvalidLoanStatus(action="reprogramar", status=loan.status)
    if loan.accounting_status != AccountingStatus.current:
        raise LoanNotCurrent(reason=f"está en {loan.accounting_status}")
    rows = installments(session, loan)
    if any(owed(i) > 0 for i in rows if i.due_date <= today):
        raise LoanNotCurrent(reason="tiene cuotas vencidas impagas")
    future = [i for i in rows if i.due_date > today]
    if not future:
        raise LoanNotCurrent(reason="no le quedan cuotas por vencer")
    if data.first_due_date <= today:
        raise ScheduleInvalid(reason="la primera cuota reprogramada vence después de hoy")
    frequency = Frequency(loan.frequency)
    if frequency is Frequency.dates:
        frequency = Frequency.monthly
    count = data.installments or len(future)
    try:
        schedule = reprogrammed(loan, rows, today, due_dates(data.first_due_date, count, frequency))
    except (ArithmeticError, ValueError) as exc:
        raise ScheduleInvalid(reason=str(exc)) from None
    # recognised and not collected: it stays owed, on the first new installment
    carried = sum((max(i.interest_accrued - i.interest_paid, ZERO) for i in future), ZERO)
    new = schedule.installments
    if carried > new[0].interest:
        raise ScheduleInvalid(reason="la primera cuota no cubre el interés ya devengado")
    kept = []
    for i in future:  # what was paid early stays, settled; the rest is owed anew
        i.principal, i.interest = i.principal_paid, i.interest_paid
        i.fees, i.insurance = i.fees_paid, i.insurance_paid
        i.interest_accrued = i.interest_paid
        if i.principal or i.interest or i.fees or i.insurance:
            i.paid_on = i.paid_on or today
            kept.append(i)
    kept_numbers = {i.number for i in kept}
    for i in future:
        if i.number not in kept_numbers:
            session.expunge(i)  # deleted below; its number may be taken again
    session.execute(
        delete(LoanInstallment).where(
            col(LoanInstallment.cooperative_id) == loan.cooperative_id,
            col(LoanInstallment.loan_id) == loan.id,
            col(LoanInstallment.number).in_(
                [i.number for i in future if i.number not in kept_numbers]
            ),
        )
    )
    session.add_all(kept)
    last = max(
        (i.number for i in rows if i.due_date <= today or i.number in kept_numbers), default=0
    )
    for k, n in enumerate(new):
        session.add(
            LoanInstallment(
                cooperative_id=loan.cooperative_id,
                loan_id=loan.id,
                number=last + k + 1,
                due_date=n.due_date,
                days=n.days,
                principal=n.principal,
                interest=n.interest,
                fees=n.fees,
                insurance=n.insurance,
                interest_accrued=carried if k == 0 else ZERO,
            )
        )
    loan.term = last + len(new)
    loan.updated_at = utcnow()
    session.add(loan)
    audit_service.record(
        session,
        ctx.principal,
        "loan.reschedule",
        "loan",
        loan.id,
        cooperative_id=loan.cooperative_id,
        details={
            "first_due_date": data.first_due_date.isoformat(),
            "installments": count,
            "reason": data.reason,
            "replaced": [i.number for i in future],
        },
    )
    session.flush()
    return loan
