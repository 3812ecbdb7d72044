"""Origination: a loan application checked against its product, and the committee's
decision on it (four eyes: who registered it never decides it)."""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Any

from sqlmodel import Session

from coopac_core.audit import service as audit_service
from coopac_core.events import service as events
from coopac_core.events.models import EventType
from coopac_core.federation.service import get_cooperative
from coopac_core.loans.classification import Guarantee
from coopac_core.loans.errors import (
    AmountOutOfRange,
    ApprovalLimitExceeded,
    ApproverIsCreator,
    GraceOutOfRange,
    GuarantorsRequired,
    InvalidGuarantor,
    InvalidLoanStatus,
    TeaOutOfRange,
    TermOutOfRange,
)
from coopac_core.loans.models import Loan, LoanCollateral, LoanGuarantor, LoanStatus
from coopac_core.loans.policy import policy_of
from coopac_core.loans.schedule import Frequency, GraceType, Method
from coopac_core.loans.schemas import LoanCreate
from coopac_core.loans.service.products import get_product
from coopac_core.loans.service.queries import lock_loan
from coopac_core.loans.service.schedules import loan_schedule_from
from coopac_core.members.errors import MemberNotActive, MemberRequired
from coopac_core.members.models import MemberStatus
from coopac_core.members.service import get_member
from coopac_core.models_base import utcnow
from coopac_core.money import check_amount, round_cents
from coopac_core.numbering import next_value, with_check_digit
from coopac_core.products import ProductInactive
from coopac_core.prudential import service as prudential
from coopac_core.security.principal import CoopContext
from coopac_core.security.roles import Role

ZERO = Decimal("0.00")

# Approval limits per role and currency (DOMAIN.md is silent): defaults to confirm with each
# cooperative's credit policy. A larger loan needs a role with a higher limit.
APPROVAL_LIMITS: dict[Role, dict[str, Decimal]] = {
    Role.credit_committee: {"PEN": Decimal("50000.00"), "USD": Decimal("15000.00")},
    Role.manager: {"PEN": Decimal("250000.00"), "USD": Decimal("70000.00")},
}

# Each step of the workflow: the statuses it starts from, the one it leads to, and its
# name in a refusal.
TRANSITIONS: dict[str, tuple[frozenset[LoanStatus], LoanStatus, str]] = {
    "submit": (frozenset({LoanStatus.draft}), LoanStatus.submitted, "enviar"),
    "approve": (frozenset({LoanStatus.submitted}), LoanStatus.approved, "aprobar"),
    "reject": (frozenset({LoanStatus.submitted}), LoanStatus.rejected, "rechazar"),
}


def create_loan(session: Session, ctx: CoopContext, data: LoanCreate) -> Loan:
    coop_id = ctx.cooperative_id
    member = get_member(session, coop_id, data.member_id)
    if member.status != MemberStatus.active:
        raise MemberNotActive(status=member.status)
    coop = get_cooperative(session, coop_id)
    if not member.is_member and not coop.operates_with_non_members:
        raise MemberRequired(who="el solicitante")
    product = get_product(session, coop_id, data.product_id)
    if not product.is_active:
        raise ProductInactive()
    amount = check_amount(data.amount)
    if not product.amount_min <= amount <= product.amount_max:
        raise AmountOutOfRange(value=amount, low=product.amount_min, high=product.amount_max)
    if not product.tea_min <= data.tea <= product.tea_max:
        raise TeaOutOfRange(value=data.tea, low=product.tea_min, high=product.tea_max)
    if not product.term_min <= data.term <= product.term_max:
        raise TermOutOfRange(value=data.term, low=product.term_min, high=product.term_max)
    if data.grace_type is not GraceType.none and data.grace_periods > product.max_grace_periods:
        raise GraceOutOfRange(limit=product.max_grace_periods)
    guarantors = list(dict.fromkeys(data.guarantor_ids))
    if member.id in guarantors:
        raise InvalidGuarantor(reason="El solicitante no puede ser su propio aval")
    for g_id in guarantors:
        g = get_member(session, coop_id, g_id)
        if not g.is_member or g.status != MemberStatus.active:
            raise InvalidGuarantor(reason="Los avales deben ser socios activos")
    needed = max(product.guarantors_required, 0 if member.is_member else 1)
    if len(guarantors) < needed:
        why = "" if member.is_member else ": el solicitante no es socio"
        raise GuarantorsRequired(needed=needed, why=why)
    business_date = coop.business_date
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
        guarantee=best_guarantee([c.guarantee for c in data.collateral]).value,
        commission=round_cents(amount * product.commission_rate),
        insurance_monthly_rate=product.insurance_monthly_rate,
        moratory_tea=policy_of(coop.credit_policy).moratory_rate(product.moratory_tea),
        gl_account_id=product.gl_account_id,
        created_by=ctx.principal.name,
        created_by_id=ctx.principal.person_id,
    )
    loan_schedule_from(loan, disbursement_date)  # refuse now a schedule that cannot be built
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
            realizable_value=c.value if c.realizable_value is None else c.realizable_value,
            guarantee=c.guarantee.value,
        )
        for c in data.collateral
    )
    audit(session, ctx, loan, "loan.create", {"amount": str(amount), "product": product.code})
    session.flush()
    return loan


def best_guarantee(guarantees: list[Guarantee]) -> Guarantee:
    for g in (Guarantee.preferred_quick, Guarantee.preferred):
        if g in guarantees:
            return g
    return Guarantee.none


def audit(
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


def _check_decision(ctx: CoopContext, loan: Loan, action: str) -> None:
    # The person behind the decision, whatever the credential (a user, or an API key's owner).
    if ctx.principal.person_id is not None and ctx.principal.person_id == loan.created_by_id:
        raise ApproverIsCreator()
    if action == "approve":
        limit = max(
            (APPROVAL_LIMITS.get(r, {}).get(loan.currency, ZERO) for r in ctx.roles),
            default=ZERO,
        )
        if loan.amount > limit:
            raise ApprovalLimitExceeded(amount=loan.amount, limit=limit)


def _transition(
    session: Session,
    ctx: CoopContext,
    loan_id: uuid.UUID,
    action: str,
    note: str | None,
    board_agreement: str | None = None,
) -> Loan:
    loan = lock_loan(session, ctx.cooperative_id, loan_id)
    allowed_from, target, verb = TRANSITIONS[action]
    if loan.status not in allowed_from:
        raise InvalidLoanStatus(action=verb, status=loan.status)
    if action in ("approve", "reject"):
        _check_decision(ctx, loan, action)
    if action == "approve":
        prudential.check_concentration(
            session,
            ctx,
            loan.member_id,
            loan.id,
            loan.amount,
            loan.currency,
            board_agreement,
        )
        if board_agreement:
            note = f"{note} ({board_agreement})" if note else board_agreement
    if action in ("approve", "reject"):
        loan.decided_by = ctx.principal.name
        loan.decided_at = utcnow()
        loan.decision_note = note
    else:
        loan.submitted_at = utcnow()
    previous, loan.status = loan.status, target
    loan.updated_at = utcnow()
    session.add(loan)
    details = {"from": previous, "to": target, "note": note}
    if board_agreement:
        details["board_agreement"] = board_agreement
    audit(session, ctx, loan, f"loan.{action}", details)
    session.flush()
    events.emit(
        session,
        ctx.cooperative_id,
        EVENTS[action],
        "loan",
        loan.id,
        {
            "loan_id": str(loan.id),
            "number": loan.number,
            "member_id": str(loan.member_id),
            "product_id": str(loan.product_id),
            "currency": loan.currency,
            "amount": f"{loan.amount:.2f}",
            "status": loan.status,
            "by": ctx.principal.name,
            "note": note,
        },
    )
    return loan


EVENTS = {
    "submit": EventType.loan_submitted,
    "approve": EventType.loan_approved,
    "reject": EventType.loan_rejected,
}


def submit(session: Session, ctx: CoopContext, loan_id: uuid.UUID) -> Loan:
    return _transition(session, ctx, loan_id, "submit", None)


def approve(
    session: Session,
    ctx: CoopContext,
    loan_id: uuid.UUID,
    note: str | None,
    board_agreement: str | None = None,
) -> Loan:
    """The single-borrower limit holds unless ``board_agreement`` names the board's
    agreement (prudential.check_concentration)."""
    return _transition(session, ctx, loan_id, "approve", note, board_agreement)


def reject(session: Session, ctx: CoopContext, loan_id: uuid.UUID, note: str | None) -> Loan:
    return _transition(session, ctx, loan_id, "reject", note)
