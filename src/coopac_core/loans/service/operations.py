"""The money of a loan: paying it out, taking repayments, taking it to court, writing it
off (two people) and recovering what was written off."""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from decimal import Decimal

from sqlmodel import Session, col, select

from coopac_core.federation.service import get_cooperative
from coopac_core.ledger import service as ledger
from coopac_core.ledger.models import AccountKind, AccountPart, EntryKind
from coopac_core.loans import accounting as gl
from coopac_core.loans import servicing
from coopac_core.loans.errors import (
    InvalidLoanStatus,
    JudicialRequiresOverdue,
    NotWrittenOff,
    Overpayment,
    PayoffDateInPast,
    PayoffDateTooFar,
    RecoveryExceedsDebt,
)
from coopac_core.loans.models import AccountingStatus, Loan, LoanInstallment, LoanStatus
from coopac_core.loans.policy import policy_of
from coopac_core.loans.schedule import Schedule, tcea
from coopac_core.loans.schemas import (
    ExcessAs,
    LoanOut,
    PayoffOut,
    RecoveryOut,
    RecoveryRequest,
    RepaymentOut,
    RepaymentRequest,
)
from coopac_core.loans.service import reversals
from coopac_core.loans.service.applications import audit
from coopac_core.loans.service.queries import get_loan, installments, lock_loan, lock_loan_on_day
from coopac_core.loans.service.schedules import loan_schedule_from, refusing_impossible_schedules
from coopac_core.loans.service.views import loan_view
from coopac_core.loans.servicing import (
    ZERO,
    PrepaymentMode,
    accrue_moratory,
    allocate,
    cap_recognised,
    charge_prepayment_interest,
    last_due_date,
    owed,
    prepayment_interest,
    recognise_payment,
    reschedule,
    split_prepayment,
    uncollected_interest,
)
from coopac_core.models_base import utcnow
from coopac_core.money import Currency, check_amount
from coopac_core.security.principal import CoopContext


def disburse(
    session: Session,
    ctx: CoopContext,
    loan_id: uuid.UUID,
    to: ledger.OtherSide,
    branch_id: uuid.UUID | None,
) -> LoanOut:
    """Pay out an approved loan, net of its commission, to ``to`` (a savings account of
    the member, or cash: flows.counter.other_side)."""
    coop_id = ctx.cooperative_id
    loan = lock_loan(session, coop_id, loan_id)
    if loan.status != LoanStatus.approved:
        raise InvalidLoanStatus(action="desembolsar", status=loan.status)
    before = reversals.remember(loan, [])
    today = get_cooperative(session, coop_id).business_date
    # The schedule runs from the day the money really leaves.
    schedule = loan_schedule_from(loan, today)
    net = loan.amount - loan.commission
    paid_out = to(-net, loan.currency, loan.member_id)
    legs = [
        ledger.Leg(ledger.get_gl_account(session, coop_id, loan.gl_account_id), loan.amount, loan),
        paid_out.leg,
    ]
    if loan.commission > 0:
        fee_gl = ledger.gl_account_for(session, coop_id, gl.FEE_INCOME_GL, loan.currency)
        legs.append(ledger.Leg(fee_gl, -loan.commission))
    entry, _ = ledger.post_entry(
        session,
        ctx,
        EntryKind.loan_disbursement,
        legs,
        branch_id=paid_out.branch_id or branch_id,
        description=f"Desembolso del crédito {loan.number}",
        till_session_id=paid_out.till_session_id,
    )
    paid_out.posted(session, entry.business_date)
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
    loan.tcea = schedule_tcea(loan, schedule)
    loan.overdue_gl_account_id, loan.judicial_gl_account_id = gl.principal_gl_ids(
        session, coop_id, loan.currency
    )
    loan.updated_at = utcnow()
    session.add(loan)
    audit(
        session, ctx, loan, "loan.disburse", {"net": str(net), "commission": str(loan.commission)}
    )
    session.flush()
    return loan_view(session, loan)


def repay(
    session: Session,
    ctx: CoopContext,
    loan_id: uuid.UUID,
    data: RepaymentRequest,
    paid_from: ledger.OtherSide,
) -> RepaymentOut:
    """A payment: what is due first (oldest installment first); beyond it, up to the
    policy's number of installments advances the next ones as they are, more is a
    prepayment that lowers principal and reschedules (the member chooses how, and may
    choose either). Interest collected clears what had accrued; the books follow the loan's
    parts (vigentes, vencidos, judicial, suspense). The money comes from ``paid_from``."""
    coop_id = ctx.cooperative_id
    amount = check_amount(data.amount)
    loan, today, credit_policy = lock_loan_on_day(session, coop_id, loan_id)
    if loan.status != LoanStatus.active:
        raise InvalidLoanStatus(action="pagar", status=loan.status)
    rows = installments(session, loan)
    before = reversals.remember(loan, rows)
    lines = gl.Lines(loan)
    settled = accrue_moratory(rows, loan.tea, loan.moratory_tea, today)
    lines.recognise_interest(settled.interest)
    lines.recognise(settled.moratory)
    paid_before = [i.interest_paid for i in rows]
    uncollected = uncollected_interest(rows)
    due_now = sum((owed(i) for i in rows if i.due_date <= today), ZERO)
    future = [i for i in rows if i.due_date > today]
    future_principal = sum((i.principal - i.principal_paid for i in future), ZERO)
    since = last_due_date(rows, today, loan.disbursement_date)
    # the principal not yet due, repaid today, with its interest to today
    future_payoff = future_principal + prepayment_interest(future_principal, loan.tea, since, today)
    future_owed = sum((owed(i) for i in future), ZERO)
    if amount > due_now + max(future_payoff, future_owed):
        raise Overpayment(owed=due_now + future_payoff)
    applied, left = allocate(rows, amount, today)
    if left > 0:
        policy = policy_of(credit_policy)
        advance_limit = sum((owed(i) for i in future[: policy.advance_max_installments]), ZERO)
        as_advance = (
            data.excess_as is ExcessAs.advance_installments
            if data.excess_as is not None
            else left <= advance_limit and left < future_payoff
        )
        if as_advance:
            if left > future_owed:
                raise Overpayment(owed=due_now + future_owed)
            more, left = allocate(rows, left, date.max, paid_on=today)
            applied.add(more)
        elif left > future_payoff:
            raise Overpayment(owed=due_now + future_payoff)
        if left > 0:
            # what it repays of the principal, and that principal's interest to the day
            principal, interest_now = split_prepayment(left, loan.tea, since, today)
            reschedule(loan, rows, today, principal, data.prepayment)
            charge_prepayment_interest(rows, today, interest_now)
            applied.principal += principal
            applied.interest += interest_now
    interest = recognise_payment(rows, paid_before, uncollected)
    lines.unrecognise(cap_recognised(rows))
    lines.collect(interest.collected, applied.moratory, interest.beyond)
    lines.add(gl.FEE_INCOME_GL, -applied.fees)
    lines.add(gl.INSURANCE_PAYABLE_GL, -applied.insurance)
    paid_in = paid_from(amount, loan.currency, loan.member_id)
    legs = [paid_in.leg]
    if applied.principal:
        legs += gl.principal_legs(session, loan, applied.principal)
        lines.collect_principal(applied.principal)
    legs += lines.legs(session)
    entry, postings = ledger.post_entry(
        session,
        ctx,
        EntryKind.loan_repayment,
        legs,
        branch_id=paid_in.branch_id or data.branch_id,
        description=data.description or f"Pago del crédito {loan.number}",
        till_session_id=paid_in.till_session_id,
    )
    paid_in.posted(session, entry.business_date)
    reversals.record(session, loan, entry, before)
    session.add_all(rows)
    if loan.balance == 0 and all(owed(i) == 0 for i in rows):
        loan.status = LoanStatus.paid_off
        loan.closed_on = today
        loan.accounting_status = AccountingStatus.current
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


def payoff(session: Session, loan: Loan, day: date) -> servicing.Allocation:
    """What settles the loan on ``day`` (``servicing.payoff``)."""
    return servicing.payoff(
        installments(session, loan), loan.tea, loan.moratory_tea, loan.disbursement_date, day
    )


# How far ahead a payoff is quoted (what a member plans with; beyond it, rates change).
PAYOFF_HORIZON = timedelta(days=366)


def payoff_quote(
    session: Session, cooperative_id: uuid.UUID, loan_id: uuid.UUID, day: date | None
) -> PayoffOut:
    """What a repayment on ``day`` (the business date by default) must be to close the loan."""
    loan = get_loan(session, cooperative_id, loan_id)
    if loan.status != LoanStatus.active:
        raise InvalidLoanStatus(action="cotizar la cancelación de", status=loan.status)
    today = get_cooperative(session, cooperative_id).business_date
    day = day or today
    if day < today:
        raise PayoffDateInPast(date=day.isoformat(), business_date=today.isoformat())
    if day > today + PAYOFF_HORIZON:
        raise PayoffDateTooFar(latest=(today + PAYOFF_HORIZON).isoformat())
    quote = payoff(session, loan, day)
    return PayoffOut(
        loan_id=loan.id,
        date=day,
        currency=Currency(loan.currency),
        principal=quote.principal,
        interest=quote.interest,
        moratory=quote.moratory,
        fees=quote.fees,
        insurance=quote.insurance,
        total=quote.total,
    )


def net_member_debts(
    session: Session,
    ctx: CoopContext,
    member_id: uuid.UUID,
    currency: str,
    available: Decimal,
    source: ledger.OtherSide,
) -> tuple[Decimal, uuid.UUID | None]:
    """A withdrawing member's money owed back to them (share capital) first pays what they
    owe the cooperative: their active loans in ``currency``, oldest first, each a repayment
    from ``source``. Returns what was used and the last repayment's entry."""
    used = ZERO
    last_entry = None
    today = get_cooperative(session, ctx.cooperative_id).business_date
    loans = session.exec(
        select(Loan)
        .where(
            Loan.cooperative_id == ctx.cooperative_id,
            Loan.member_id == member_id,
            Loan.status == LoanStatus.active,
            Loan.currency == currency,
        )
        .order_by(col(Loan.disbursed_on), col(Loan.number))
    ).all()
    for loan in loans:
        part = min(available - used, payoff(session, loan, today).total)
        if part <= 0:
            break
        data = RepaymentRequest.model_construct(
            amount=part,
            branch_id=None,
            from_account_id=None,
            prepayment=PrepaymentMode.reduce_installment,
            excess_as=ExcessAs.prepayment,
            description=f"Compensación con aportaciones del crédito {loan.number}",
        )
        last_entry = repay(session, ctx, loan.id, data, source).journal_entry_id
        used += part
    return used, last_entry


def recover(
    session: Session,
    ctx: CoopContext,
    loan_id: uuid.UUID,
    data: RecoveryRequest,
    paid_from: ledger.OtherSide,
) -> RecoveryOut:
    """A payment on a written-off loan (from ``paid_from``): income when collected, and the
    written-off debt kept in memorandum accounts goes down by as much."""
    coop_id = ctx.cooperative_id
    amount = check_amount(data.amount)
    loan = lock_loan(session, coop_id, loan_id)
    if loan.status != LoanStatus.written_off:
        raise NotWrittenOff()
    if amount > loan.written_off_balance:
        raise RecoveryExceedsDebt(owed=loan.written_off_balance)
    before = reversals.remember(loan, [])
    lines = gl.Lines(loan)
    lines.add(gl.RECOVERY_INCOME_GL, -amount)
    lines.change(AccountPart.loan_written_off, -amount)
    lines.add(gl.WRITTEN_OFF_CONTRA_GL, amount)
    cash = paid_from(amount, loan.currency, loan.member_id)
    entry, _ = ledger.post_entry(
        session,
        ctx,
        EntryKind.loan_recovery,
        [cash.leg, *lines.legs(session)],
        branch_id=cash.branch_id or data.branch_id,
        description=data.description or f"Recuperación del crédito castigado {loan.number}",
        till_session_id=cash.till_session_id,
    )
    cash.posted(session, entry.business_date)
    reversals.record(session, loan, entry, before)
    loan.updated_at = utcnow()
    session.add(loan)
    audit(session, ctx, loan, "loan.recovery", {"amount": str(amount)})
    session.flush()
    return RecoveryOut(
        journal_entry_id=entry.id,
        loan_id=loan.id,
        amount=amount,
        written_off_balance=loan.written_off_balance,
        value_date=entry.value_date,
    )


def to_judicial_collection(session: Session, ctx: CoopContext, loan_id: uuid.UUID) -> LoanOut:
    """An overdue loan taken to court: its whole balance moves to 14x6."""
    loan = lock_loan(session, ctx.cooperative_id, loan_id)
    if loan.status != LoanStatus.active:
        raise InvalidLoanStatus(action="pasar a cobranza judicial", status=loan.status)
    if loan.accounting_status != AccountingStatus.overdue:
        raise JudicialRequiresOverdue(status=loan.accounting_status)
    before = reversals.remember(loan, installments(session, loan))
    assert loan.judicial_gl_account_id is not None  # set when it was paid out
    judicial = ledger.get_gl_account(session, loan.cooperative_id, loan.judicial_gl_account_id)
    legs = gl.principal_legs(session, loan, loan.balance)
    legs.append(ledger.Leg(judicial, loan.balance, loan))
    entry, _ = ledger.post_entry(
        session,
        ctx,
        EntryKind.loan_judicial,
        legs,
        description=f"Crédito {loan.number} a cobranza judicial",
    )
    reversals.record(session, loan, entry, before)
    # its parts moved with the entry's lines: all of it judicial now, nothing in vencidos
    loan.accounting_status = AccountingStatus.judicial
    loan.updated_at = utcnow()
    session.add(loan)
    audit(session, ctx, loan, "loan.judicial_collection", {"balance": str(loan.balance)})
    session.flush()
    return loan_view(session, loan)


def schedule_tcea(loan: Loan, schedule: Schedule) -> Decimal | None:
    """The TCEA of the schedule agreed at disbursement: what the member pays (installments
    with insurance) against what they received (the amount less the commission)."""
    with refusing_impossible_schedules():
        return tcea(
            loan.amount - loan.commission,
            loan.disbursement_date,
            [(i.due_date, i.total) for i in schedule.installments],
        )
