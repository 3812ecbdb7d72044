"""A refinanciación: a loan replaced by a new one for everything it owes (principal, the
interest and moratory interest recognised and not collected, and the fees and insurance of
its installments already due), with a new schedule. Two people: a member of the credit
committee asks, another approves (the approvals engine's ``refinance`` kind), and only the
approval moves money.

The books (DOMAIN.md): the new loan is booked in créditos refinanciados (14x4); what it
capitalised of interest, moratory interest and fees was never collected, so it is deferred
income (29x1.02) that becomes income as the new principal is collected
(``accounting.deferred_interest``); the interest it earns is suspended (``is_suspended``),
income when collected; the insurance it financed is owed to the insurer (25x1). The
allowance booked for the old loan moves with it, and its debtor's category is the new
loan's floor until it has been paid on time for the credit policy's number of installments
(close of business, ``loans.close_of_business.classify``)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from sqlmodel import Session

from coopac_core.approvals import engine as approvals
from coopac_core.approvals.engine import ApprovalKind
from coopac_core.approvals.models import ApprovalRequest
from coopac_core.ledger import service as ledger
from coopac_core.ledger.models import AccountPart, EntryKind
from coopac_core.loans import accounting as gl
from coopac_core.loans.errors import (
    InvalidLoanStatus,
    RefinanceAlreadyRequested,
    RefinanceNotRequested,
    ScheduleInvalid,
    TeaOutOfRange,
)
from coopac_core.loans.models import (
    AccountingStatus,
    Loan,
    LoanInstallment,
    LoanStatus,
)
from coopac_core.loans.schedule import Frequency
from coopac_core.loans.schemas import RefinanceRequest
from coopac_core.loans.service import reversals
from coopac_core.loans.service.applications import audit
from coopac_core.loans.service.operations import schedule_tcea
from coopac_core.loans.service.products import get_product
from coopac_core.loans.service.queries import installments, lock_loan, lock_loan_on_day
from coopac_core.loans.service.schedules import loan_schedule_from
from coopac_core.loans.servicing import ZERO, accrue_moratory
from coopac_core.models_base import utcnow
from coopac_core.numbering import next_value, with_check_digit
from coopac_core.security.principal import CoopContext

# Asked for and not decided in 30 days, a refinance is stale: what the loan owes has moved
# on (DOMAIN.md is silent; the prudent rule is to ask again, as for a write-off).
REFINANCE = ApprovalKind(
    name="refinance",
    subject_kind="loan",
    not_found=RefinanceNotRequested,
    decided=RefinanceNotRequested,
    ttl=timedelta(days=30),
    already_requested=RefinanceAlreadyRequested,
)


@dataclass
class Owed:
    """What a loan owes on a day, as a refinance takes it over."""

    principal: Decimal
    interest: Decimal  # recognised and not collected (in 14x8 or in suspense)
    moratory: Decimal
    fees: Decimal  # of installments already due
    insurance: Decimal

    @property
    def capitalised(self) -> Decimal:
        """What becomes deferred income: never collected, never income."""
        return self.interest + self.moratory + self.fees

    @property
    def total(self) -> Decimal:
        return self.principal + self.capitalised + self.insurance


def owed_on(loan: Loan, rows: list[LoanInstallment], today: date) -> Owed:
    """``rows`` with their arrears settled to ``today`` (``accrue_moratory``)."""
    due = [i for i in rows if i.due_date <= today]
    return Owed(
        principal=loan.balance,
        interest=sum((i.interest_accrued - i.interest_paid for i in rows), ZERO),
        moratory=sum((i.moratory_due + i.moratory_accrued - i.moratory_paid for i in rows), ZERO),
        fees=sum((i.fees - i.fees_paid for i in due), ZERO),
        insurance=sum((i.insurance - i.insurance_paid for i in due), ZERO),
    )


def _check(session: Session, loan: Loan, data: RefinanceRequest) -> None:
    if loan.status != LoanStatus.active:
        raise InvalidLoanStatus(action="refinanciar", status=loan.status)
    if data.tea is not None:
        product = get_product(session, loan.cooperative_id, loan.product_id)
        if not product.tea_min <= data.tea <= product.tea_max:
            raise TeaOutOfRange(value=data.tea, low=product.tea_min, high=product.tea_max)


def request_refinance(
    session: Session, ctx: CoopContext, loan_id: uuid.UUID, data: RefinanceRequest
) -> Loan:
    """Refinance, first person: the terms of the new loan, checked now (a schedule that
    cannot be built is refused here, not at the approval)."""
    loan, today, _ = lock_loan_on_day(session, ctx.cooperative_id, loan_id)
    _check(session, loan, data)
    # only a look at what it owes today, on copies outside the session: the approval
    # settles the arrears and books them
    rows = reversals.installments_from(
        loan.cooperative_id, loan.id, reversals.remember(loan, installments(session, loan))[1]
    )
    accrue_moratory(rows, loan.tea, loan.moratory_tea, today)
    owed = owed_on(loan, rows, today)
    _new_loan(session, loan, data, owed, today, number="")  # refuses an impossible schedule
    approvals.ask(
        session,
        ctx,
        REFINANCE,
        subject_id=loan.id,
        payload={**data.model_dump(mode="json"), "owed_on_request": str(owed.total)},
    )
    return loan


def _refinance_request(session: Session, ctx: CoopContext, loan: Loan) -> ApprovalRequest:
    asked = approvals.pending_for(session, ctx.cooperative_id, REFINANCE, loan.id)
    if asked is None:
        raise RefinanceNotRequested()
    return approvals.decidable(session, ctx, REFINANCE, asked.id)


def reject_refinance(session: Session, ctx: CoopContext, loan_id: uuid.UUID) -> Loan:
    loan = lock_loan(session, ctx.cooperative_id, loan_id)
    request = _refinance_request(session, ctx, loan)
    approvals.reject(session, ctx, REFINANCE, request.id, None)
    return loan


def _new_loan(
    session: Session,
    old: Loan,
    data: RefinanceRequest,
    owed: Owed,
    today: date,
    number: str,
) -> tuple[Loan, list[LoanInstallment]]:
    frequency = Frequency(old.frequency)
    if frequency is Frequency.dates:
        frequency = Frequency.monthly
    new = Loan(
        cooperative_id=old.cooperative_id,
        number=number,
        member_id=old.member_id,
        product_id=old.product_id,
        currency=old.currency,
        amount=owed.total,
        tea=old.tea if data.tea is None else data.tea,
        term=data.installments,
        method=old.method,
        frequency=frequency.value,
        disbursement_date=today,
        first_due_date=data.first_due_date,
        terms={"grace_periods": 0, "grace_type": "none", "reason": data.reason},
        purpose=old.purpose,
        purpose_detail=old.purpose_detail,
        guarantee=old.guarantee,
        insurance_monthly_rate=old.insurance_monthly_rate,
        moratory_tea=old.moratory_tea,
        gl_account_id=ledger.gl_account_for(
            session, old.cooperative_id, gl.LOAN_REFINANCED_GL, old.currency
        ).id,
        refinanced_from_id=old.id,
        capitalised_interest=owed.capitalised,
        category_floor=old.debtor_category,
        category=old.debtor_category,
        debtor_category=old.debtor_category,
        created_by=old.created_by,
        created_by_id=old.created_by_id,
    )
    if data.first_due_date is not None and data.first_due_date <= today:
        raise ScheduleInvalid(reason="la primera cuota vence después de hoy")
    schedule = loan_schedule_from(new, today)
    rows = [
        LoanInstallment(
            cooperative_id=new.cooperative_id,
            loan_id=new.id,
            number=i.number,
            due_date=i.due_date,
            days=i.days,
            principal=i.principal,
            interest=i.interest,
            fees=i.fees,
            insurance=i.insurance,
        )
        for i in schedule.installments
    ]
    new.tcea = schedule_tcea(new, schedule)
    return new, rows


def approve_refinance(session: Session, ctx: CoopContext, loan_id: uuid.UUID) -> Loan:
    """Refinance, second person: the old loan is settled by the new one in one entry, and
    closed as ``refinanced``. Returns the new loan."""
    coop_id = ctx.cooperative_id
    old, today, _ = lock_loan_on_day(session, coop_id, loan_id)
    request = _refinance_request(session, ctx, old)
    data = RefinanceRequest.model_validate(
        {k: v for k, v in request.payload.items() if k != "owed_on_request"}
    )
    _check(session, old, data)
    rows = installments(session, old)
    before = reversals.remember(old, rows)
    lines = gl.Lines(old)
    settled = accrue_moratory(rows, old.tea, old.moratory_tea, today)
    lines.recognise_interest(settled.interest)
    lines.recognise(settled.moratory)
    owed = owed_on(old, rows, today)
    number = with_check_digit(f"5{next_value(session, coop_id, 'loan'):08d}")
    new, new_rows = _new_loan(session, old, data, owed, today, number)
    new.status = LoanStatus.active
    new.disbursed_on = today
    new.created_by, new.created_by_id = request.requested_by, request.requested_by_id
    new.decided_by = ctx.principal.name
    new.decided_at = utcnow()
    new.decision_note = data.reason
    new.overdue_gl_account_id, new.judicial_gl_account_id = gl.principal_gl_ids(
        session, coop_id, new.currency
    )
    session.add(new)
    session.flush()
    session.add_all(new_rows)
    moves = gl.Lines(new)
    # the old loan's interest leaves it: what was income (in 14x8) is income no more, what
    # was in suspense leaves the memorandum accounts; all of it, with its fees, deferred
    suspended_interest = lines.held(AccountPart.loan_interest)
    suspended_moratory = lines.held(AccountPart.loan_moratory)
    lines.move(gl.INTEREST_INCOME_GL, gl.ACCRUED_INTEREST_GL, owed.interest - suspended_interest)
    lines.move(gl.MORATORY_INCOME_GL, gl.ACCRUED_INTEREST_GL, owed.moratory - suspended_moratory)
    lines.suspend(AccountPart.loan_interest, -suspended_interest)
    lines.suspend(AccountPart.loan_moratory, -suspended_moratory)
    lines.add(gl.DEFERRED_INCOME_GL, -owed.capitalised)
    lines.add(gl.INSURANCE_PAYABLE_GL, -owed.insurance)
    # the allowance booked for the debt goes with it, to the loan that now holds it
    for part in (AccountPart.loan_specific, AccountPart.loan_generic):
        held = lines.held(part)
        lines.change(part, -held)
        moves.change(part, held)
    new_principal = ledger.get_gl_account(session, coop_id, new.gl_account_id)
    entry, _ = ledger.post_entry(
        session,
        ctx,
        EntryKind.loan_refinance,
        [
            ledger.Leg(new_principal, owed.total, new),
            *gl.principal_legs(session, old, owed.principal),
            *lines.legs(session),
            *moves.legs(session),
        ],
        description=f"Refinanciación del crédito {old.number} con el crédito {new.number}",
    )
    reversals.record(session, old, entry, before)
    for i in rows:  # all it owed is the new loan's now
        i.interest_accrued = i.interest_paid
        i.moratory_due, i.moratory_accrued = i.moratory_paid, ZERO
        i.overdue_interest_accrued = ZERO
    session.add_all(rows)
    old.status = LoanStatus.refinanced
    old.closed_on = today
    old.accounting_status = AccountingStatus.current
    old.updated_at = utcnow()
    session.add(old)
    approvals.approve(session, ctx, REFINANCE, request, data.reason, entry.id)
    details = {
        "requested_by": request.requested_by,
        "principal": str(owed.principal),
        "interest": str(owed.interest),
        "moratory": str(owed.moratory),
        "fees": str(owed.fees),
        "insurance": str(owed.insurance),
    }
    audit(session, ctx, old, "loan.refinance", {**details, "new_loan": new.number})
    audit(session, ctx, new, "loan.refinanced_from", {**details, "old_loan": old.number})
    session.flush()
    return new
