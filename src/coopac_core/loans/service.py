"""The life of a loan: simulation, application, decision, disbursement, repayments,
arrears, write-off, and the portfolio's SBS classification and provisions."""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from sqlmodel import Session, col, select

from coopac_core.audit import service as audit_service
from coopac_core.db import flush_or_conflict
from coopac_core.errors import Conflict, Forbidden, NotFound, Unprocessable
from coopac_core.federation.service import get_cooperative
from coopac_core.ledger import service as ledger
from coopac_core.ledger.chart import code_for
from coopac_core.loans.classification import (
    Category,
    CreditType,
    Guarantee,
    classify,
    provision_rate,
    worst,
)
from coopac_core.loans.models import (
    Loan,
    LoanCollateral,
    LoanGuarantor,
    LoanInstallment,
    LoanProduct,
)
from coopac_core.loans.schedule import (
    Frequency,
    GraceType,
    Method,
    Schedule,
    ScheduleRequest,
    add_months,
    build_schedule,
    due_dates,
    period_rate,
    tcea,
)
from coopac_core.loans.schemas import (
    InstallmentOut,
    LoanCreate,
    LoanOut,
    LoanProductCreate,
    LoanScheduleOut,
    LoanSimulationOut,
    LoanSimulationRequest,
    Portfolio,
    PortfolioCategory,
    PortfolioCreditType,
    RepaymentOut,
    RepaymentRequest,
    ScheduleInstallmentOut,
    ScheduleTotals,
)
from coopac_core.members.service import get_member
from coopac_core.models_base import utcnow
from coopac_core.money import Currency, check_amount, round_cents, round_rate
from coopac_core.numbering import next_value, with_check_digit
from coopac_core.security.deps import CoopContext
from coopac_core.security.roles import Role

ZERO = Decimal("0.00")
_PERIOD_DAYS = {Frequency.biweekly: 15, Frequency.weekly: 7}

# Approval limits per role and currency (DOMAIN.md is silent): defaults to confirm with each
# cooperative's credit policy. A larger loan needs a role with a higher limit.
APPROVAL_LIMITS: dict[Role, dict[str, Decimal]] = {
    Role.credit_committee: {"PEN": Decimal("50000.00"), "USD": Decimal("15000.00")},
    Role.manager: {"PEN": Decimal("250000.00"), "USD": Decimal("70000.00")},
}
# Days past due after which a loan counts in the cartera atrasada (vencida). DOMAIN.md is
# silent: prudent defaults from SBS practice (30 days; 90 for housing), to confirm.
OVERDUE_AFTER_DAYS: dict[CreditType, int] = {
    CreditType.consumo: 30,
    CreditType.microempresa: 30,
    CreditType.pequena_empresa: 30,
    CreditType.hipotecario: 90,
}
PAR_DAYS = 30

# GL accounts a loan's money moves through, by template ({c}: currency digit).
LOAN_GL = "14{c}1"
INTEREST_INCOME_GL = "51{c}1"
MORATORY_INCOME_GL = "51{c}2"
FEE_INCOME_GL = "52{c}1"
INSURANCE_PAYABLE_GL = "25{c}1"  # desgravamen collected for the insurer
WRITE_OFF_EXPENSE_GL = "45{c}1"

TRANSITIONS = {
    "submit": ({"draft"}, "submitted"),
    "approve": ({"submitted"}, "approved"),
    "reject": ({"submitted"}, "rejected"),
}


# --- products ---------------------------------------------------------------------------


def create_product(session: Session, ctx: CoopContext, data: LoanProductCreate) -> LoanProduct:
    gl = ledger.gl_account_by_code(session, ctx.cooperative_id, code_for(LOAN_GL, data.currency))
    product = LoanProduct(
        cooperative_id=ctx.cooperative_id,
        gl_account_id=gl.id,
        **data.model_dump(exclude={"currency"}),
        currency=data.currency.value,
    )
    session.add(product)
    flush_or_conflict(
        session, Conflict(f"Ya existe el producto {data.code}", code="product_exists")
    )
    audit_service.record(
        session,
        ctx.principal,
        "loan_product.create",
        "loan_product",
        product.id,
        cooperative_id=ctx.cooperative_id,
        details=data.model_dump(mode="json"),
    )
    return product


def get_product(session: Session, cooperative_id: uuid.UUID, product_id: uuid.UUID) -> LoanProduct:
    product = session.get(LoanProduct, (cooperative_id, product_id))
    if product is None:
        raise NotFound("Producto de crédito no encontrado", code="product_not_found")
    return product


def list_products(
    session: Session, cooperative_id: uuid.UUID, *, after_code: str | None, limit: int
) -> list[LoanProduct]:
    stmt = select(LoanProduct).where(LoanProduct.cooperative_id == cooperative_id)
    if after_code is not None:
        stmt = stmt.where(col(LoanProduct.code) > after_code)
    return list(session.exec(stmt.order_by(col(LoanProduct.code)).limit(limit)))


# --- schedules --------------------------------------------------------------------------


def _first_due(disbursed: date, frequency: Frequency) -> date:
    if frequency is Frequency.monthly:
        return add_months(disbursed, 1, disbursed.day)
    return disbursed + timedelta(days=_PERIOD_DAYS[frequency])


def _dates(
    frequency: Frequency, term: int, disbursed: date, first: date | None, explicit: Any
) -> list[date]:
    if frequency is Frequency.dates:
        return sorted(explicit or [])
    return due_dates(first or _first_due(disbursed, frequency), term, frequency)


def _build(req: ScheduleRequest) -> Schedule:
    try:
        return build_schedule(req)
    except ValueError as exc:
        raise Unprocessable(f"Cronograma inválido: {exc}", code="schedule_invalid") from None


def schedule_for(data: LoanSimulationRequest, disbursed: date) -> Schedule:
    return _build(
        ScheduleRequest(
            amount=data.amount,
            tea=data.tea,
            disbursement_date=disbursed,
            dates=_dates(data.frequency, data.term, disbursed, data.first_due_date, data.due_dates),
            method=data.method,
            grace_periods=data.grace_periods,
            grace_type=data.grace_type,
            insurance_monthly_rate=data.insurance_monthly_rate,
            installment_fee=data.installment_fee,
            principal_by_date=tuple(data.principal_by_date or ()),
        )
    )


def simulate(data: LoanSimulationRequest, business_date: date) -> LoanSimulationOut:
    """The schedule and its cost as the member would sign it. Nothing is stored."""
    disbursed = data.disbursement_date or business_date
    schedule = schedule_for(data, disbursed)
    received = data.amount - data.commission
    if received <= 0:
        raise Unprocessable(
            "La comisión no puede igualar o superar el monto", code="schedule_invalid"
        )
    cost = tcea(received, disbursed, [(i.due_date, i.total) for i in schedule.installments])
    return LoanSimulationOut(
        amount=data.amount,
        amount_received=received,
        currency=data.currency.value,
        tea=data.tea,
        tcea=cost,
        disbursement_date=disbursed,
        installment=round_cents(schedule.level_installment) if schedule.level_installment else None,
        installments=[
            InstallmentOut(
                number=i.number,
                due_date=i.due_date,
                days=i.days,
                principal=i.principal,
                interest=i.interest,
                fees=i.fees,
                insurance=i.insurance,
                total=i.total,
                balance_after=i.balance_after,
            )
            for i in schedule.installments
        ],
        totals=ScheduleTotals(
            principal=schedule.total_principal,
            interest=schedule.total_interest,
            fees=schedule.total_fees,
            insurance=schedule.total_insurance,
            commission=data.commission,
            total_paid=schedule.total_paid,
        ),
    )


def _loan_schedule(loan: Loan, disbursed: date) -> Schedule:
    terms = loan.terms
    explicit = [date.fromisoformat(d) for d in terms.get("due_dates") or []]
    return _build(
        ScheduleRequest(
            amount=loan.amount,
            tea=loan.tea,
            disbursement_date=disbursed,
            dates=_dates(
                Frequency(loan.frequency), loan.term, disbursed, loan.first_due_date, explicit
            ),
            method=Method(loan.method),
            grace_periods=int(terms.get("grace_periods", 0)),
            grace_type=GraceType(terms.get("grace_type", "none")),
            insurance_monthly_rate=loan.insurance_monthly_rate,
            principal_by_date=tuple(Decimal(p) for p in terms.get("principal_by_date") or ()),
        )
    )


# --- applications and decisions ---------------------------------------------------------


def _refuse_range(name: str, value: object, low: object, high: object, code: str) -> None:
    raise Unprocessable(f"{name} {value} fuera del rango del producto ({low} a {high})", code=code)


def create_loan(session: Session, ctx: CoopContext, data: LoanCreate) -> Loan:
    coop_id = ctx.cooperative_id
    member = get_member(session, coop_id, data.member_id)
    if member.status != "active":
        raise Unprocessable(
            f"El solicitante está en estado {member.status}", code="member_not_active"
        )
    product = get_product(session, coop_id, data.product_id)
    if not product.is_active:
        raise Unprocessable("El producto no está vigente", code="product_inactive")
    amount = check_amount(data.amount)
    if not product.amount_min <= amount <= product.amount_max:
        _refuse_range(
            "Monto", amount, product.amount_min, product.amount_max, "amount_out_of_range"
        )
    if not product.tea_min <= data.tea <= product.tea_max:
        _refuse_range("TEA", data.tea, product.tea_min, product.tea_max, "tea_out_of_range")
    if not product.term_min <= data.term <= product.term_max:
        _refuse_range("Plazo", data.term, product.term_min, product.term_max, "term_out_of_range")
    if data.grace_type is not GraceType.none and data.grace_periods > product.max_grace_periods:
        raise Unprocessable(
            f"El producto admite hasta {product.max_grace_periods} periodos de gracia",
            code="grace_out_of_range",
        )
    guarantors = list(dict.fromkeys(data.guarantor_ids))
    if member.id in guarantors:
        raise Unprocessable("El solicitante no puede ser su propio aval", code="invalid_guarantor")
    for g_id in guarantors:
        g = get_member(session, coop_id, g_id)
        if not g.is_member or g.status != "active":
            raise Unprocessable("Los avales deben ser socios activos", code="invalid_guarantor")
    needed = max(product.guarantors_required, 0 if member.is_member else 1)
    if len(guarantors) < needed:
        raise Unprocessable(
            f"Se requieren {needed} aval(es) socio(s)"
            + ("" if member.is_member else ": el solicitante no es socio"),
            code="guarantors_required",
        )
    business_date = get_cooperative(session, coop_id).business_date
    disbursement_date = data.disbursement_date or business_date
    loan = Loan(
        cooperative_id=coop_id,
        number=with_check_digit(f"5{next_value(session, coop_id, 'loan'):08d}"),
        member_id=member.id,
        product_id=product.id,
        currency=product.currency,
        amount=amount,
        tea=data.tea,
        term=data.term,
        method=(data.method or Method(product.method)).value,
        frequency=(data.frequency or Frequency(product.frequency)).value,
        disbursement_date=disbursement_date,
        first_due_date=data.first_due_date,
        terms={
            "grace_periods": data.grace_periods,
            "grace_type": data.grace_type.value,
            "due_dates": [d.isoformat() for d in data.due_dates or []],
            "principal_by_date": [str(p) for p in data.principal_by_date or []],
        },
        purpose=data.purpose,
        purpose_detail=data.purpose_detail,
        guarantee=_best_guarantee([c.guarantee for c in data.collateral]).value,
        commission=round_cents(amount * product.commission_rate),
        insurance_monthly_rate=product.insurance_monthly_rate,
        moratory_tea=product.moratory_tea,
        gl_account_id=product.gl_account_id,
        created_by=ctx.principal.name,
        created_by_id=ctx.principal.user_id,
    )
    _loan_schedule(loan, disbursement_date)  # refuse now a schedule that cannot be built
    session.add(loan)
    session.flush()
    session.add_all(
        LoanGuarantor(cooperative_id=coop_id, loan_id=loan.id, member_id=g) for g in guarantors
    )
    session.add_all(
        LoanCollateral(
            cooperative_id=coop_id,
            loan_id=loan.id,
            description=c.description,
            value=c.value,
            guarantee=c.guarantee.value,
        )
        for c in data.collateral
    )
    _audit(session, ctx, loan, "loan.create", {"amount": str(amount), "product": product.code})
    session.flush()
    return loan


def _best_guarantee(guarantees: list[Guarantee]) -> Guarantee:
    for g in (Guarantee.preferred_quick, Guarantee.preferred):
        if g in guarantees:
            return g
    return Guarantee.none


def _audit(
    session: Session, ctx: CoopContext, loan: Loan, action: str, details: dict[str, Any]
) -> None:
    audit_service.record(
        session,
        ctx.principal,
        action,
        "loan",
        loan.id,
        cooperative_id=ctx.cooperative_id,
        details=details,
    )


def get_loan(session: Session, cooperative_id: uuid.UUID, loan_id: uuid.UUID) -> Loan:
    loan = session.get(Loan, (cooperative_id, loan_id))
    if loan is None:
        raise NotFound("Crédito no encontrado", code="loan_not_found")
    return loan


def _lock_loan(session: Session, cooperative_id: uuid.UUID, loan_id: uuid.UUID) -> Loan:
    loan = ledger.lock_accounts(session, Loan, cooperative_id, [loan_id]).get(loan_id)
    if loan is None:
        raise NotFound("Crédito no encontrado", code="loan_not_found")
    return loan


def _transition(
    session: Session, ctx: CoopContext, loan_id: uuid.UUID, action: str, note: str | None
) -> Loan:
    loan = _lock_loan(session, ctx.cooperative_id, loan_id)
    allowed_from, target = TRANSITIONS[action]
    if loan.status not in allowed_from:
        raise Conflict(
            f"No se puede {action} un crédito en estado {loan.status}", code="invalid_loan_status"
        )
    if action in ("approve", "reject"):
        if ctx.principal.user_id is not None and ctx.principal.user_id == loan.created_by_id:
            raise Forbidden(
                "Quien registró la solicitud no puede decidirla", code="approver_is_creator"
            )
        if action == "approve":
            limit = max(
                (APPROVAL_LIMITS.get(r, {}).get(loan.currency, ZERO) for r in ctx.roles),
                default=ZERO,
            )
            if loan.amount > limit:
                raise Forbidden(
                    f"El monto {loan.amount} excede su límite de aprobación ({limit})",
                    code="approval_limit_exceeded",
                )
        loan.decided_by = ctx.principal.name
        loan.decided_at = utcnow()
        loan.decision_note = note
    else:
        loan.submitted_at = utcnow()
    previous, loan.status = loan.status, target
    loan.updated_at = utcnow()
    session.add(loan)
    _audit(session, ctx, loan, f"loan.{action}", {"from": previous, "to": target, "note": note})
    session.flush()
    return loan


def submit(session: Session, ctx: CoopContext, loan_id: uuid.UUID) -> Loan:
    return _transition(session, ctx, loan_id, "submit", None)


def approve(session: Session, ctx: CoopContext, loan_id: uuid.UUID, note: str | None) -> Loan:
    return _transition(session, ctx, loan_id, "approve", note)


def reject(session: Session, ctx: CoopContext, loan_id: uuid.UUID, note: str | None) -> Loan:
    return _transition(session, ctx, loan_id, "reject", note)


# --- disbursement -----------------------------------------------------------------------


def _gl(session: Session, cooperative_id: uuid.UUID, template: str, currency: str) -> Any:
    return ledger.gl_account_by_code(
        session, cooperative_id, code_for(template, Currency(currency))
    )


def disburse(
    session: Session,
    ctx: CoopContext,
    loan_id: uuid.UUID,
    to_account_id: uuid.UUID | None,
    branch_id: uuid.UUID | None,
) -> LoanOut:
    from coopac_core.savings import service as savings

    coop_id = ctx.cooperative_id
    loan = _lock_loan(session, coop_id, loan_id)
    if loan.status != "approved":
        raise Conflict(
            f"Solo se desembolsa un crédito aprobado (está {loan.status})",
            code="invalid_loan_status",
        )
    today = get_cooperative(session, coop_id).business_date
    # The schedule runs from the day the money really leaves.
    schedule = _loan_schedule(loan, today)
    net = loan.amount - loan.commission
    legs = [
        ledger.Leg(ledger.get_gl_account(session, coop_id, loan.gl_account_id), loan.amount, loan)
    ]
    legs.append(
        savings.counterpart_leg(
            session,
            ctx,
            amount=-net,
            currency=loan.currency,
            member_id=loan.member_id,
            branch_id=branch_id,
            account_id=to_account_id,
        )
    )
    if loan.commission > 0:
        legs.append(
            ledger.Leg(_gl(session, coop_id, FEE_INCOME_GL, loan.currency), -loan.commission)
        )
    ledger.post_entry(
        session,
        ctx.principal,
        coop_id,
        "loan_disbursement",
        legs,
        branch_id=branch_id,
        description=f"Desembolso del crédito {loan.number}",
    )
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
    loan.status = "active"
    loan.disbursement_date = today
    loan.disbursed_on = today
    loan.updated_at = utcnow()
    session.add(loan)
    _audit(
        session, ctx, loan, "loan.disburse", {"net": str(net), "commission": str(loan.commission)}
    )
    session.flush()
    return loan_view(session, loan)


# --- arrears ----------------------------------------------------------------------------


def _installments(session: Session, loan: Loan) -> list[LoanInstallment]:
    return list(
        session.exec(
            select(LoanInstallment)
            .where(
                LoanInstallment.cooperative_id == loan.cooperative_id,
                LoanInstallment.loan_id == loan.id,
            )
            .order_by(col(LoanInstallment.number))
        )
    )


def _owed(i: LoanInstallment) -> Decimal:
    """What is still owed on an installment, moratory interest accrued so far included."""
    return (
        (i.principal - i.principal_paid)
        + (i.interest - i.interest_paid)
        + (i.fees - i.fees_paid)
        + (i.insurance - i.insurance_paid)
        + (i.moratory_due - i.moratory_paid)
    )


def _moratory_since(i: LoanInstallment, moratory_tea: Decimal, today: date) -> Decimal:
    """Moratory interest on the installment's overdue principal since it was last accrued.
    It runs on principal only: never on interest, so it never compounds (Ley 31143)."""
    base = i.principal - i.principal_paid
    start = i.moratory_through or i.due_date
    days = (today - start).days
    if base <= 0 or days <= 0 or moratory_tea <= 0:
        return ZERO
    return round_cents(base * period_rate(moratory_tea, days))


def days_past_due(installments: list[LoanInstallment], today: date) -> int:
    oldest = next((i for i in installments if i.due_date < today and _owed(i) > 0), None)
    return (today - oldest.due_date).days if oldest else 0


@dataclass
class _Arrears:
    days: int
    overdue: Decimal


def _arrears(loan: Loan, installments: list[LoanInstallment], today: date) -> _Arrears:
    if loan.status != "active":
        return _Arrears(0, ZERO)
    overdue = sum(
        (
            _owed(i) + _moratory_since(i, loan.moratory_tea, today)
            for i in installments
            if i.due_date < today
        ),
        ZERO,
    )
    return _Arrears(days_past_due(installments, today), overdue)


def _credit_type(session: Session, loan: Loan) -> CreditType:
    return CreditType(get_product(session, loan.cooperative_id, loan.product_id).credit_type)


def loan_view(session: Session, loan: Loan) -> LoanOut:
    today = get_cooperative(session, loan.cooperative_id).business_date
    credit_type = _credit_type(session, loan)
    arrears = _arrears(loan, _installments(session, loan), today)
    category = classify(credit_type, arrears.days)
    debtor = worst(
        [category]
        + [
            classify(
                _credit_type(session, other),
                _arrears(other, _installments(session, other), today).days,
            )
            for other in session.exec(
                select(Loan).where(
                    Loan.cooperative_id == loan.cooperative_id,
                    Loan.member_id == loan.member_id,
                    Loan.status == "active",
                    Loan.id != loan.id,
                )
            )
        ]
    )
    guarantors = session.exec(
        select(LoanGuarantor.member_id).where(
            LoanGuarantor.cooperative_id == loan.cooperative_id, LoanGuarantor.loan_id == loan.id
        )
    ).all()
    return LoanOut(
        id=loan.id,
        number=loan.number,
        member_id=loan.member_id,
        product_id=loan.product_id,
        credit_type=credit_type,
        currency=loan.currency,
        amount=loan.amount,
        tea=loan.tea,
        term=loan.term,
        method=Method(loan.method),
        frequency=Frequency(loan.frequency),
        purpose=loan.purpose,
        purpose_detail=loan.purpose_detail,
        guarantee=Guarantee(loan.guarantee),
        guarantor_ids=list(guarantors),
        commission=loan.commission,
        status=loan.status,
        balance=loan.balance,
        disbursement_date=loan.disbursement_date,
        disbursed_on=loan.disbursed_on,
        closed_on=loan.closed_on,
        days_past_due=arrears.days,
        category=category,
        debtor_category=debtor,
        overdue_amount=arrears.overdue,
        created_by=loan.created_by,
        decided_by=loan.decided_by,
        decision_note=loan.decision_note,
    )


def loan_schedule(session: Session, loan: Loan) -> LoanScheduleOut:
    today = get_cooperative(session, loan.cooperative_id).business_date
    stored = _installments(session, loan)
    if not stored:  # not disbursed: the schedule as it would run from the planned date
        schedule = _loan_schedule(loan, loan.disbursement_date)
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
                    status="pending",
                )
                for i in schedule.installments
            ],
        )
    out = []
    for i in stored:
        total = i.principal + i.interest + i.fees + i.insurance
        paid = i.principal_paid + i.interest_paid + i.fees_paid + i.insurance_paid
        if paid >= total:
            status = "paid"
        elif i.due_date < today:
            status = "overdue"
        else:
            status = "partial" if paid > 0 else "pending"
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
    return LoanScheduleOut(loan_id=loan.id, tcea=None, installments=out)


# --- repayments -------------------------------------------------------------------------


@dataclass
class _Allocation:
    principal: Decimal = ZERO
    interest: Decimal = ZERO
    moratory: Decimal = ZERO
    fees: Decimal = ZERO
    insurance: Decimal = ZERO

    @property
    def total(self) -> Decimal:
        return self.principal + self.interest + self.moratory + self.fees + self.insurance


def _take(available: Decimal, owed: Decimal) -> Decimal:
    return min(available, max(owed, ZERO))


def allocate(
    installments: list[LoanInstallment], amount: Decimal, today: date
) -> tuple[_Allocation, Decimal]:
    """Apply a payment to the installments due by ``today``, oldest first; within each:
    insurance and fees, then moratory, then compensatory interest, then principal.
    Returns what was applied and what is left over (a prepayment)."""
    applied = _Allocation()
    left = amount
    for i in installments:
        if i.due_date > today or left <= 0:
            continue
        for owed_attr, paid_attr, bucket in (
            ("insurance", "insurance_paid", "insurance"),
            ("fees", "fees_paid", "fees"),
            ("moratory_due", "moratory_paid", "moratory"),
            ("interest", "interest_paid", "interest"),
            ("principal", "principal_paid", "principal"),
        ):
            part = _take(left, getattr(i, owed_attr) - getattr(i, paid_attr))
            if part:
                setattr(i, paid_attr, getattr(i, paid_attr) + part)
                setattr(applied, bucket, getattr(applied, bucket) + part)
                left -= part
        if _owed(i) == 0 and i.paid_on is None:
            i.paid_on = today
    return applied, left


def _reschedule(
    loan: Loan, installments: list[LoanInstallment], today: date, prepaid: Decimal, mode: str
) -> None:
    """Apply a prepayment to principal and rebuild the installments not yet due: the same
    dates with a lower installment, or the same installment over fewer dates."""
    future = [i for i in installments if i.due_date > today]
    if not future:
        return
    remaining = sum((i.principal - i.principal_paid for i in future), ZERO) - prepaid
    past = [i for i in installments if i.due_date <= today]
    start = past[-1].due_date if past else loan.disbursement_date
    if remaining <= 0:
        for i in future:
            i.principal, i.interest = i.principal_paid, i.interest_paid
            i.fees, i.insurance = i.fees_paid, i.insurance_paid
            i.paid_on = today
        future[0].principal += prepaid
        future[0].principal_paid += prepaid
        return
    dates = [i.due_date for i in future]
    method = Method(loan.method)
    if method in (Method.irregular, Method.single_payment):
        method = Method.single_payment if len(dates) == 1 else Method.french

    def build(k: int) -> Schedule:
        return build_schedule(
            ScheduleRequest(
                amount=remaining,
                tea=loan.tea,
                disbursement_date=start,
                dates=dates[:k],
                method=method,
                insurance_monthly_rate=loan.insurance_monthly_rate,
            )
        )

    chosen = build(len(dates))
    if mode == "reduce_term":
        current = future[0].principal + future[0].interest
        for k in range(1, len(dates) + 1):
            candidate = build(k)
            if max(i.principal + i.interest for i in candidate.installments) <= current:
                chosen = candidate
                break
    rebuilt = {i.due_date: i for i in chosen.installments}
    for i in future:
        new = rebuilt.get(i.due_date)
        if new is None:  # dropped by a shorter term: nothing more is owed on it
            i.principal, i.interest = i.principal_paid, i.interest_paid
            i.fees, i.insurance = i.fees_paid, i.insurance_paid
            i.paid_on = today
        else:
            i.principal = new.principal + i.principal_paid
            i.interest = new.interest + i.interest_paid
            i.insurance = new.insurance + i.insurance_paid
    # The prepaid principal is recorded, paid, on the first installment not yet due, so that
    # the installments' principal still adds up to the amount lent.
    future[0].principal += prepaid
    future[0].principal_paid += prepaid


def repay(
    session: Session, ctx: CoopContext, loan_id: uuid.UUID, data: RepaymentRequest
) -> RepaymentOut:
    from coopac_core.savings import service as savings

    coop_id = ctx.cooperative_id
    amount = check_amount(data.amount)
    loan = _lock_loan(session, coop_id, loan_id)
    if loan.status != "active":
        raise Conflict(f"El crédito está en estado {loan.status}", code="invalid_loan_status")
    today = get_cooperative(session, coop_id).business_date
    installments = _installments(session, loan)
    for i in installments:
        if i.due_date < today:
            i.moratory_due += _moratory_since(i, loan.moratory_tea, today)
            i.moratory_through = today
    due_now = sum((_owed(i) for i in installments if i.due_date <= today), ZERO)
    future_principal = sum(
        (i.principal - i.principal_paid for i in installments if i.due_date > today), ZERO
    )
    if amount > due_now + future_principal:
        raise Unprocessable(
            f"El pago excede lo adeudado ({due_now + future_principal})", code="overpayment"
        )
    applied, left = allocate(installments, amount, today)
    if left > 0:
        _reschedule(loan, installments, today, left, data.prepayment)
        applied.principal += left
    source = savings.counterpart_leg(
        session,
        ctx,
        amount=amount,
        currency=loan.currency,
        member_id=loan.member_id,
        branch_id=data.branch_id,
        account_id=data.from_account_id,
    )
    legs = [source]
    if applied.principal:
        legs.append(
            ledger.Leg(
                ledger.get_gl_account(session, coop_id, loan.gl_account_id),
                -applied.principal,
                loan,
            )
        )
    for template, part in (
        (INTEREST_INCOME_GL, applied.interest),
        (MORATORY_INCOME_GL, applied.moratory),
        (FEE_INCOME_GL, applied.fees),
        (INSURANCE_PAYABLE_GL, applied.insurance),
    ):
        if part:
            legs.append(ledger.Leg(_gl(session, coop_id, template, loan.currency), -part))
    entry, postings = ledger.post_entry(
        session,
        ctx.principal,
        coop_id,
        "loan_repayment",
        legs,
        branch_id=data.branch_id,
        description=data.description or f"Pago del crédito {loan.number}",
    )
    session.add_all(installments)
    if loan.balance == 0 and all(_owed(i) == 0 for i in installments):
        loan.status = "paid_off"
        loan.closed_on = today
    loan.updated_at = utcnow()
    session.add(loan)
    session.flush()
    line = next((p for p in postings if p.account_kind == "loan"), postings[0])
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
        status=loan.status,
        value_date=entry.value_date,
    )


def write_off(session: Session, ctx: CoopContext, loan_id: uuid.UUID) -> LoanOut:
    """Castigo: a loan in Pérdida leaves the balance sheet; the debt remains collectable."""
    coop_id = ctx.cooperative_id
    loan = _lock_loan(session, coop_id, loan_id)
    if loan.status != "active":
        raise Conflict(f"El crédito está en estado {loan.status}", code="invalid_loan_status")
    view = loan_view(session, loan)
    if view.category is not Category.perdida:
        raise Conflict(
            "Solo se castiga un crédito clasificado en Pérdida", code="write_off_not_allowed"
        )
    ledger.post_entry(
        session,
        ctx.principal,
        coop_id,
        "loan_write_off",
        [
            ledger.Leg(_gl(session, coop_id, WRITE_OFF_EXPENSE_GL, loan.currency), loan.balance),
            ledger.Leg(
                ledger.get_gl_account(session, coop_id, loan.gl_account_id), -loan.balance, loan
            ),
        ],
        description=f"Castigo del crédito {loan.number}",
    )
    loan.status = "written_off"
    loan.closed_on = get_cooperative(session, coop_id).business_date
    session.add(loan)
    _audit(session, ctx, loan, "loan.write_off", {"days_past_due": view.days_past_due})
    session.flush()
    return loan_view(session, loan)


def list_loans(
    session: Session,
    cooperative_id: uuid.UUID,
    *,
    member_id: uuid.UUID | None,
    status: str | None,
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


# --- portfolio --------------------------------------------------------------------------


def portfolio(session: Session, cooperative_id: uuid.UUID, as_of: date, currency: str) -> Portfolio:
    """Loans by SBS category with balances and required provisions, overdue ratio, PAR30.

    Days past due are counted at ``as_of`` against the installments as paid today. A debtor
    takes the worst category of all their loans in the cooperative, whatever the currency."""
    loans = list(
        session.exec(
            select(Loan).where(Loan.cooperative_id == cooperative_id, Loan.status == "active")
        )
    )
    by_loan: dict[uuid.UUID, list[LoanInstallment]] = defaultdict(list)
    if loans:
        for i in session.exec(
            select(LoanInstallment)
            .where(
                LoanInstallment.cooperative_id == cooperative_id,
                col(LoanInstallment.loan_id).in_([loan.id for loan in loans]),
            )
            .order_by(col(LoanInstallment.loan_id), col(LoanInstallment.number))
        ):
            by_loan[i.loan_id].append(i)
    debtor: dict[uuid.UUID, Category] = defaultdict(lambda: Category.normal)
    rows = []
    for loan in loans:
        credit_type = _credit_type(session, loan)  # products come from the identity map
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
        currency=currency,
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
