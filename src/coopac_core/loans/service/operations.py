"""The money of a loan: paying it out, taking repayments, writing it off."""

from __future__ import annotations

import uuid

from sqlmodel import Session

from coopac_core.federation.service import get_cooperative
from coopac_core.ledger import service as ledger
from coopac_core.ledger.models import AccountKind, EntryKind
from coopac_core.loans.classification import Category
from coopac_core.loans.errors import InvalidLoanStatus, Overpayment, WriteOffNotAllowed
from coopac_core.loans.models import LoanInstallment, LoanStatus
from coopac_core.loans.schemas import LoanOut, RepaymentOut, RepaymentRequest
from coopac_core.loans.service import reversals
from coopac_core.loans.service.applications import audit
from coopac_core.loans.service.queries import installments, lock_loan
from coopac_core.loans.service.schedules import loan_schedule_from
from coopac_core.loans.service.views import loan_view
from coopac_core.loans.servicing import ZERO, accrue_moratory, allocate, owed, reschedule
from coopac_core.models_base import utcnow
from coopac_core.money import check_amount
from coopac_core.savings.movements import counterpart_leg
from coopac_core.security.principal import CoopContext

# GL accounts a loan's money moves through, by chart template ({c}: currency digit).
INTEREST_INCOME_GL = "51{c}1"
MORATORY_INCOME_GL = "51{c}2"
FEE_INCOME_GL = "52{c}1"
INSURANCE_PAYABLE_GL = "25{c}1"  # desgravamen collected for the insurer
WRITE_OFF_EXPENSE_GL = "45{c}1"


def disburse(
    session: Session,
    ctx: CoopContext,
    loan_id: uuid.UUID,
    to_account_id: uuid.UUID | None,
    branch_id: uuid.UUID | None,
) -> LoanOut:
    coop_id = ctx.cooperative_id
    loan = lock_loan(session, coop_id, loan_id)
    if loan.status != LoanStatus.approved:
        raise InvalidLoanStatus(action="desembolsar", status=loan.status)
    before = reversals.remember(loan, [])
    today = get_cooperative(session, coop_id).business_date
    # The schedule runs from the day the money really leaves.
    schedule = loan_schedule_from(loan, today)
    net = loan.amount - loan.commission
    legs = [
        ledger.Leg(ledger.get_gl_account(session, coop_id, loan.gl_account_id), loan.amount, loan),
        counterpart_leg(
            session,
            ctx,
            amount=-net,
            currency=loan.currency,
            member_id=loan.member_id,
            branch_id=branch_id,
            account_id=to_account_id,
        ),
    ]
    if loan.commission > 0:
        fee_gl = ledger.gl_account_for(session, coop_id, FEE_INCOME_GL, loan.currency)
        legs.append(ledger.Leg(fee_gl, -loan.commission))
    entry, _ = ledger.post_entry(
        session,
        ctx,
        EntryKind.loan_disbursement,
        legs,
        branch_id=branch_id,
        description=f"Desembolso del crédito {loan.number}",
    )
    reversals.record(session, loan, entry, before)
    session.add_all(
        LoanInstallment(
            cooperative_id=coop_id,
            loan_id=loan.id,
            number=i.number,
            due_date=i.due_date,
            days=i.days,
            principal=i.principal,
            interest=i.interest,
            fees=i.fees,
            insurance=i.insurance,
        )
        for i in schedule.installments
    )
    loan.status = LoanStatus.active
    loan.disbursement_date = today
    loan.disbursed_on = today
    loan.updated_at = utcnow()
    session.add(loan)
    audit(
        session, ctx, loan, "loan.disburse", {"net": str(net), "commission": str(loan.commission)}
    )
    session.flush()
    return loan_view(session, loan)


def repay(
    session: Session, ctx: CoopContext, loan_id: uuid.UUID, data: RepaymentRequest
) -> RepaymentOut:
    coop_id = ctx.cooperative_id
    amount = check_amount(data.amount)
    loan = lock_loan(session, coop_id, loan_id)
    if loan.status != LoanStatus.active:
        raise InvalidLoanStatus(action="pagar", status=loan.status)
    today = get_cooperative(session, coop_id).business_date
    rows = installments(session, loan)
    before = reversals.remember(loan, rows)
    accrue_moratory(rows, loan.moratory_tea, today)
    due_now = sum((owed(i) for i in rows if i.due_date <= today), ZERO)
    future_principal = sum(
        (i.principal - i.principal_paid for i in rows if i.due_date > today), ZERO
    )
    if amount > due_now + future_principal:
        raise Overpayment(owed=due_now + future_principal)
    applied, left = allocate(rows, amount, today)
    if left > 0:
        reschedule(loan, rows, today, left, data.prepayment)
        applied.principal += left
    legs = [
        counterpart_leg(
            session,
            ctx,
            amount=amount,
            currency=loan.currency,
            member_id=loan.member_id,
            branch_id=data.branch_id,
            account_id=data.from_account_id,
        )
    ]
    if applied.principal:
        loan_gl = ledger.get_gl_account(session, coop_id, loan.gl_account_id)
        legs.append(ledger.Leg(loan_gl, -applied.principal, loan))
    for template, part in (
        (INTEREST_INCOME_GL, applied.interest),
        (MORATORY_INCOME_GL, applied.moratory),
        (FEE_INCOME_GL, applied.fees),
        (INSURANCE_PAYABLE_GL, applied.insurance),
    ):
        if part:
            gl = ledger.gl_account_for(session, coop_id, template, loan.currency)
            legs.append(ledger.Leg(gl, -part))
    entry, postings = ledger.post_entry(
        session,
        ctx,
        EntryKind.loan_repayment,
        legs,
        branch_id=data.branch_id,
        description=data.description or f"Pago del crédito {loan.number}",
    )
    reversals.record(session, loan, entry, before)
    session.add_all(rows)
    if loan.balance == 0 and all(owed(i) == 0 for i in rows):
        loan.status = LoanStatus.paid_off
        loan.closed_on = today
    loan.updated_at = utcnow()
    session.add(loan)
    session.flush()
    line = next((p for p in postings if p.account_kind == AccountKind.loan), postings[0])
    return RepaymentOut(
        id=line.id or 0,
        journal_entry_id=entry.id,
        loan_id=loan.id,
        amount=amount,
        principal=applied.principal,
        interest=applied.interest,
        moratory=applied.moratory,
        fees=applied.fees,
        insurance=applied.insurance,
        balance=loan.balance,
        status=LoanStatus(loan.status),
        value_date=entry.value_date,
    )


def write_off(session: Session, ctx: CoopContext, loan_id: uuid.UUID) -> LoanOut:
    """Castigo: a loan in Pérdida leaves the balance sheet; the debt remains collectable."""
    coop_id = ctx.cooperative_id
    loan = lock_loan(session, coop_id, loan_id)
    if loan.status != LoanStatus.active:
        raise InvalidLoanStatus(action="castigar", status=loan.status)
    view = loan_view(session, loan)
    if view.category is not Category.perdida:
        raise WriteOffNotAllowed()
    before = reversals.remember(loan, installments(session, loan))
    expense_gl = ledger.gl_account_for(session, coop_id, WRITE_OFF_EXPENSE_GL, loan.currency)
    loan_gl = ledger.get_gl_account(session, coop_id, loan.gl_account_id)
    entry, _ = ledger.post_entry(
        session,
        ctx,
        EntryKind.loan_write_off,
        [ledger.Leg(expense_gl, loan.balance), ledger.Leg(loan_gl, -loan.balance, loan)],
        description=f"Castigo del crédito {loan.number}",
    )
    reversals.record(session, loan, entry, before)
    loan.status = LoanStatus.written_off
    loan.closed_on = get_cooperative(session, coop_id).business_date
    session.add(loan)
    audit(session, ctx, loan, "loan.write_off", {"days_past_due": view.days_past_due})
    session.flush()
    return loan_view(session, loan)
