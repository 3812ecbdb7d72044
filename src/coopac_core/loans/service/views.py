"""How a loan is shown: its days past due, its SBS category and its debtor's, and its
schedule as paid so far. A page of loans costs the same few queries whatever its length."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date
from decimal import Decimal

from sqlmodel import Session

from coopac_core.approvals import engine as approvals
from coopac_core.approvals.models import ApprovalRequest
from coopac_core.federation.service import get_cooperative
from coopac_core.loans import accounting as gl
from coopac_core.loans.classification import (
    Category,
    CreditType,
    Guarantee,
    classify,
    floored,
    worst,
)
from coopac_core.loans.models import (
    AccountingStatus,
    Loan,
    LoanInstallment,
    LoanProduct,
    LoanStatus,
    Purpose,
)
from coopac_core.loans.policy import policy_of
from coopac_core.loans.schedule import Frequency, Method, tcea
from coopac_core.loans.schemas import (
    InstallmentStatus,
    LoanOut,
    LoanScheduleOut,
    ScheduleInstallmentOut,
)
from coopac_core.loans.service.products import products_by_id
from coopac_core.loans.service.queries import (
    active_loans_of,
    guarantors_by_loan,
    installments,
    installments_by_loan,
)
from coopac_core.loans.service.schedules import (
    loan_schedule_from,
    refusing_impossible_schedules,
)
from coopac_core.loans.service.write_offs import WRITE_OFF
from coopac_core.loans.servicing import Arrears, arrears
from coopac_core.money import Currency

ZERO = Decimal("0.00")


def loan_arrears(loan: Loan, rows: list[LoanInstallment], today: date) -> Arrears:
    if loan.status != LoanStatus.active:
        return Arrears(0, ZERO)
    return arrears(rows, loan.tea, loan.moratory_tea, today)


def loan_views(session: Session, loans: Sequence[Loan]) -> list[LoanOut]:
    """Each loan as the API shows it. A debtor takes the worst category of all their active
    loans in the cooperative (alineamiento), so their other loans are read too."""
    if not loans:
        return []
    coop_id = loans[0].cooperative_id
    coop = get_cooperative(session, coop_id)
    today = coop.business_date
    policy = policy_of(coop.credit_policy)
    others = active_loans_of(session, coop_id, {loan.member_id for loan in loans})
    every = {loan.id: loan for loan in (*loans, *others)}
    products = products_by_id(session, coop_id, {loan.product_id for loan in every.values()})
    schedule = installments_by_loan(session, coop_id, every)
    guarantors = guarantors_by_loan(session, coop_id, [loan.id for loan in loans])
    write_offs = approvals.pending_by_subject(
        session, coop_id, WRITE_OFF, [loan.id for loan in loans]
    )

    def credit_type(loan: Loan) -> CreditType:
        return CreditType(products[loan.product_id].credit_type)

    def category_of(loan: Loan, days: int) -> Category:
        kind = credit_type(loan)
        by_days = classify(kind, days, policy.bands(kind))
        if loan.category_floor is None:
            return by_days
        punctual = sum(1 for i in schedule[loan.id] if i.paid_on and i.paid_on <= i.due_date)
        return floored(
            by_days,
            Category(loan.category_floor),
            punctual,
            policy.refinance_regular_installments,
        )

    state = {
        loan_id: loan_arrears(loan, schedule[loan_id], today) for loan_id, loan in every.items()
    }
    debtor: dict[uuid.UUID, Category] = {}
    for loan_id, loan in every.items():
        if loan.status == LoanStatus.active:
            category = category_of(loan, state[loan_id].days)
            debtor[loan.member_id] = worst([debtor.get(loan.member_id, category), category])
    out = []
    for loan in loans:
        category = category_of(loan, state[loan.id].days)
        out.append(
            _loan_out(
                loan,
                products[loan.product_id],
                state[loan.id],
                category,
                worst([category, debtor.get(loan.member_id, category)]),
                guarantors[loan.id],
                schedule[loan.id],
                write_offs.get(loan.id),
            )
        )
    return out


def loan_view(session: Session, loan: Loan) -> LoanOut:
    return loan_views(session, [loan])[0]


def _loan_out(
    loan: Loan,
    product: LoanProduct,
    state: Arrears,
    category: Category,
    debtor_category: Category,
    guarantor_ids: list[uuid.UUID],
    rows: list[LoanInstallment],
    write_off: ApprovalRequest | None,
) -> LoanOut:
    uncollected = sum(
        (
            i.interest_accrued
            - i.interest_paid
            + i.moratory_due
            + i.moratory_accrued
            - i.moratory_paid
            for i in rows
        ),
        ZERO,
    )
    suspended = loan.suspended_interest + loan.suspended_moratory
    return LoanOut(
        id=loan.id,
        number=loan.number,
        member_id=loan.member_id,
        product_id=loan.product_id,
        credit_type=CreditType(product.credit_type),
        currency=Currency(loan.currency),
        amount=loan.amount,
        tea=loan.tea,
        term=loan.term,
        method=Method(loan.method),
        frequency=Frequency(loan.frequency),
        purpose=Purpose(loan.purpose),
        purpose_detail=loan.purpose_detail,
        guarantee=Guarantee(loan.guarantee),
        guarantor_ids=guarantor_ids,
        commission=loan.commission,
        status=LoanStatus(loan.status),
        balance=loan.balance,
        disbursement_date=loan.disbursement_date,
        disbursed_on=loan.disbursed_on,
        closed_on=loan.closed_on,
        days_past_due=state.days,
        category=category,
        debtor_category=debtor_category,
        overdue_amount=state.overdue,
        accounting_status=AccountingStatus(loan.accounting_status),
        overdue_balance=loan.overdue_balance,
        judicial_balance=loan.judicial_balance,
        accrued_interest=uncollected - suspended,
        suspended_interest=suspended,
        tcea=loan.tcea,
        provision=loan.provision_generic + loan.provision_specific,
        written_off_balance=loan.written_off_balance,
        write_off_requested_by=write_off.requested_by if write_off else None,
        refinanced_from_id=loan.refinanced_from_id,
        deferred_interest=gl.deferred_interest(loan, loan.balance),
        created_by=loan.created_by,
        decided_by=loan.decided_by,
        decision_note=loan.decision_note,
    )


def loan_schedule(session: Session, loan: Loan) -> LoanScheduleOut:
    today = get_cooperative(session, loan.cooperative_id).business_date
    stored = installments(session, loan)
    if not stored:  # not disbursed: the schedule as it would run from the planned date
        schedule = loan_schedule_from(loan, loan.disbursement_date)
        with refusing_impossible_schedules():
            cost = tcea(
                loan.amount - loan.commission,
                loan.disbursement_date,
                [(i.due_date, i.total) for i in schedule.installments],
            )
        return LoanScheduleOut(
            loan_id=loan.id,
            tcea=cost,
            installments=[
                ScheduleInstallmentOut(
                    number=i.number,
                    due_date=i.due_date,
                    days=i.days,
                    principal=i.principal,
                    interest=i.interest,
                    fees=i.fees,
                    insurance=i.insurance,
                    total=i.total,
                    paid=ZERO,
                    moratory_paid=ZERO,
                    status=InstallmentStatus.pending,
                )
                for i in schedule.installments
            ],
        )
    out = []
    for i in stored:
        total = i.principal + i.interest + i.fees + i.insurance
        paid = i.principal_paid + i.interest_paid + i.fees_paid + i.insurance_paid
        if paid >= total:
            status = InstallmentStatus.paid
        elif i.due_date < today:
            status = InstallmentStatus.overdue
        else:
            status = InstallmentStatus.partial if paid > 0 else InstallmentStatus.pending
        out.append(
            ScheduleInstallmentOut(
                number=i.number,
                due_date=i.due_date,
                days=i.days,
                principal=i.principal,
                interest=i.interest,
                fees=i.fees,
                insurance=i.insurance,
                total=total,
                paid=paid,
                moratory_paid=i.moratory_paid,
                status=status,
            )
        )
    return LoanScheduleOut(loan_id=loan.id, tcea=loan.tcea, installments=out)
