"""Castigo: a loan whose debtor is in Pérdida and whose booked provisions cover its balance
is written off by two people, one who asks and another who approves (the approvals
engine's ``write_off`` kind). The debt is then kept in memorandum accounts until recovered."""

from __future__ import annotations

import uuid
from datetime import timedelta

from sqlmodel import Session

from coopac_core.approvals import engine as approvals
from coopac_core.approvals.engine import ApprovalKind
from coopac_core.approvals.models import ApprovalRequest
from coopac_core.federation.service import get_cooperative
from coopac_core.ledger import service as ledger
from coopac_core.ledger.models import AccountPart, EntryKind
from coopac_core.loans import accounting as gl
from coopac_core.loans.classification import Category
from coopac_core.loans.errors import (
    InvalidLoanStatus,
    WriteOffAlreadyRequested,
    WriteOffNotAllowed,
    WriteOffNotProvisioned,
    WriteOffNotRequested,
)
from coopac_core.loans.models import Loan, LoanStatus
from coopac_core.loans.service import reversals
from coopac_core.loans.service.applications import audit
from coopac_core.loans.service.queries import installments, lock_loan
from coopac_core.loans.servicing import ZERO
from coopac_core.security.principal import CoopContext

# A write-off is decided with the month's provisions: asked for and not decided in 30 days,
# it is stale (DOMAIN.md is silent; the prudent rule is to ask again).
WRITE_OFF = ApprovalKind(
    name="write_off",
    subject_kind="loan",
    not_found=WriteOffNotRequested,
    decided=WriteOffNotRequested,
    ttl=timedelta(days=30),
    already_requested=WriteOffAlreadyRequested,
)


def request_write_off(session: Session, ctx: CoopContext, loan_id: uuid.UUID) -> Loan:
    """Castigo, first person: only a loan whose debtor is in Pérdida and whose provisions
    booked cover its balance. A second person approves it (``approve_write_off``)."""
    loan = lock_loan(session, ctx.cooperative_id, loan_id)
    _check_write_off(loan)
    approvals.ask(
        session, ctx, WRITE_OFF, subject_id=loan.id, payload={"balance": str(loan.balance)}
    )
    return loan


def _write_off_request(session: Session, ctx: CoopContext, loan: Loan) -> ApprovalRequest:
    asked = approvals.pending_for(session, ctx.cooperative_id, WRITE_OFF, loan.id)
    if asked is None:
        raise WriteOffNotRequested()
    return approvals.decidable(session, ctx, WRITE_OFF, asked.id)


def reject_write_off(session: Session, ctx: CoopContext, loan_id: uuid.UUID) -> Loan:
    loan = lock_loan(session, ctx.cooperative_id, loan_id)
    request = _write_off_request(session, ctx, loan)
    approvals.reject(session, ctx, WRITE_OFF, request.id, None)
    return loan


def _check_write_off(loan: Loan) -> None:
    if loan.status != LoanStatus.active:
        raise InvalidLoanStatus(action="castigar", status=loan.status)
    if loan.debtor_category != Category.perdida:
        raise WriteOffNotAllowed()
    provision = loan.provision_generic + loan.provision_specific
    if provision < loan.balance:
        raise WriteOffNotProvisioned(provision=provision, balance=loan.balance)


def approve_write_off(session: Session, ctx: CoopContext, loan_id: uuid.UUID) -> Loan:
    """Castigo, second person: the allowance (14x9) is applied against the loan, what the
    provisions held beyond its balance is released, interest still in 14x8 is reversed, and
    everything the member still owes is kept in memorandum accounts until recovered."""
    coop_id = ctx.cooperative_id
    loan = lock_loan(session, coop_id, loan_id)
    request = _write_off_request(session, ctx, loan)
    _check_write_off(loan)
    rows = installments(session, loan)
    before = reversals.remember(loan, rows)
    lines = gl.Lines(loan)
    balance = loan.balance
    legs = gl.principal_legs(session, loan, balance)
    # the allowance applied against the principal; what it held beyond is released
    lines.change(AccountPart.loan_specific, -loan.provision_specific)
    lines.change(AccountPart.loan_generic, -loan.provision_generic)
    lines.add(
        gl.PROVISION_EXPENSE_GL, -(loan.provision_generic + loan.provision_specific - balance)
    )
    # a refinanced loan's capitalised interest was never income: the allowance that
    # covered it is released with the deferred income that held it
    lines.move(gl.DEFERRED_INCOME_GL, gl.PROVISION_EXPENSE_GL, gl.deferred_interest(loan, balance))
    # interest owed: what is receivable leaves income, what is in suspense leaves it; both
    # are kept, with the principal, among the written-off debts
    open_interest = sum((i.interest_accrued - i.interest_paid for i in rows), ZERO)
    open_moratory = sum((i.moratory_due + i.moratory_accrued - i.moratory_paid for i in rows), ZERO)
    receivable_interest = open_interest - loan.suspended_interest
    receivable_moratory = open_moratory - loan.suspended_moratory
    lines.move(gl.INTEREST_INCOME_GL, gl.ACCRUED_INTEREST_GL, receivable_interest)
    lines.move(gl.MORATORY_INCOME_GL, gl.ACCRUED_INTEREST_GL, receivable_moratory)
    lines.suspend(AccountPart.loan_interest, -loan.suspended_interest)
    lines.suspend(AccountPart.loan_moratory, -loan.suspended_moratory)
    written_off = balance + open_interest + open_moratory
    lines.change(AccountPart.loan_written_off, written_off)
    lines.add(gl.WRITTEN_OFF_CONTRA_GL, -written_off)
    entry, _ = ledger.post_entry(
        session,
        ctx,
        EntryKind.loan_write_off,
        legs + lines.legs(session),
        description=f"Castigo del crédito {loan.number}",
    )
    reversals.record(session, loan, entry, before)
    for i in rows:  # nothing is receivable on the books any more: it is all written off
        i.interest_accrued = i.interest_paid
        i.moratory_due, i.moratory_accrued = i.moratory_paid, ZERO
    session.add_all(rows)
    loan.status = LoanStatus.written_off
    loan.closed_on = get_cooperative(session, coop_id).business_date
    session.add(loan)
    approvals.approve(session, ctx, WRITE_OFF, request, None, entry.id)
    audit(
        session,
        ctx,
        loan,
        "loan.write_off",
        {
            "requested_by": request.requested_by,
            "principal": str(balance),
            "interest": str(open_interest + open_moratory),
            "allowance_applied": str(balance),
        },
    )
    session.flush()
    return loan
