from __future__ import annotations

import uuid
from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Query, status
from fastapi.responses import JSONResponse, Response

from coopac_core.approvals import errors as approval_errors
from coopac_core.errors import AmountInvalid, AsOfInFuture
from coopac_core.federation.service import get_cooperative
from coopac_core.idempotency import MoneyRequest, idempotent
from coopac_core.idempotent_creates import CreateOnce
from coopac_core.ledger import service as ledger
from coopac_core.ledger.ranges import DateRangeDep, DateRangeInvalid
from coopac_core.ledger.schemas import StatementPage
from coopac_core.loans import service
from coopac_core.loans.errors import (
    AmountOutOfRange,
    ApprovalLimitExceeded,
    ApproverIsCreator,
    GraceOutOfRange,
    GuarantorsRequired,
    InvalidGuarantor,
    InvalidLoanStatus,
    JudicialRequiresOverdue,
    LoanNotCurrent,
    LoanNotFound,
    PayoffDateInPast,
    PayoffDateTooFar,
    RefinanceAlreadyRequested,
    RefinanceNotRequested,
    ScheduleInvalid,
    TeaOutOfRange,
    TermOutOfRange,
    WriteOffAlreadyRequested,
    WriteOffNotAllowed,
    WriteOffNotProvisioned,
    WriteOffNotRequested,
)
from coopac_core.loans.models import LoanStatus
from coopac_core.loans.policy import CreditPolicy
from coopac_core.loans.schemas import (
    LoanCreate,
    LoanDecision,
    LoanOut,
    LoanProductCreate,
    LoanProductOut,
    LoanScheduleOut,
    LoanSimulationOut,
    LoanSimulationRequest,
    PayoffOut,
    Portfolio,
    RefinanceRequest,
    RescheduleRequest,
)
from coopac_core.members.errors import MemberNotActive, MemberNotFound, MemberRequired
from coopac_core.money import Currency
from coopac_core.openapi import coop_responses, list_responses, money_responses
from coopac_core.pagination import Page, PageDep, cursor_key, make_page
from coopac_core.products import ProductExists, ProductInactive, ProductNotFound
from coopac_core.prudential.errors import ConcentrationLimit
from coopac_core.security.deps import SessionDep, coop_access
from coopac_core.security.principal import CoopContext
from coopac_core.security.roles import (
    APPROVE_LOANS,
    MANAGE_LOANS,
    MANAGE_PRODUCTS,
    READ_LOANS,
    READ_PORTFOLIO,
    READ_PRODUCTS,
    STAFF,
    WRITE_OFF_LOANS,
)

router = APIRouter(prefix="/api/v1/cooperatives/{cooperative_id}", tags=["loans"])
DECIDING = (LoanNotFound, InvalidLoanStatus, ApproverIsCreator, ApprovalLimitExceeded)
DECISION_ERRORS = coop_responses(*DECIDING)


@router.post(
    "/loan-simulations",
    response_model=LoanSimulationOut,
    responses=coop_responses(ScheduleInvalid),
    summary="Simulate a loan: schedule, totals and TCEA shown before signing (stores nothing)",
)
def simulate_loan(
    body: LoanSimulationRequest,
    ctx: Annotated[CoopContext, Depends(coop_access(STAFF))],
    session: SessionDep,
) -> LoanSimulationOut:
    return service.simulate(body, get_cooperative(session, ctx.cooperative_id).business_date)


@router.post(
    "/loan-products",
    status_code=status.HTTP_201_CREATED,
    response_model=LoanProductOut,
    responses=coop_responses(ProductExists),
    summary="Create a loan product",
)
def create_loan_product(
    body: LoanProductCreate,
    ctx: Annotated[CoopContext, Depends(coop_access(MANAGE_PRODUCTS))],
    session: SessionDep,
    once: CreateOnce,
) -> Response:
    return once.run(
        session,
        ctx,
        lambda: LoanProductOut.model_validate(service.create_product(session, ctx, body)),
    )


@router.get(
    "/loan-products",
    response_model=Page[LoanProductOut],
    responses=list_responses(),
    summary="The cooperative's loan products, by code",
)
def list_loan_products(
    ctx: Annotated[CoopContext, Depends(coop_access(READ_PRODUCTS))],
    session: SessionDep,
    page: PageDep,
) -> Page[LoanProductOut]:
    rows = service.list_products(
        session, ctx.cooperative_id, after_code=cursor_key(page.cursor, str), limit=page.limit + 1
    )
    return make_page(
        [LoanProductOut.model_validate(p) for p in rows], page.limit, lambda p: [p.code]
    )


@router.post(
    "/loans",
    status_code=status.HTTP_201_CREATED,
    response_model=LoanOut,
    responses=coop_responses(
        MemberNotFound,
        MemberNotActive,
        MemberRequired,
        ProductNotFound,
        ProductInactive,
        AmountInvalid,
        AmountOutOfRange,
        TeaOutOfRange,
        TermOutOfRange,
        GraceOutOfRange,
        InvalidGuarantor,
        GuarantorsRequired,
        ScheduleInvalid,
    ),
    summary="Register a loan application (draft)",
)
def create_loan(
    body: LoanCreate,
    ctx: Annotated[CoopContext, Depends(coop_access(MANAGE_LOANS))],
    session: SessionDep,
    once: CreateOnce,
) -> Response:
    return once.run(
        session, ctx, lambda: service.loan_view(session, service.create_loan(session, ctx, body))
    )


@router.get(
    "/loans",
    response_model=Page[LoanOut],
    responses=list_responses(),
    summary="Loans by number, optionally of one member or in one status",
)
def list_loans(
    ctx: Annotated[CoopContext, Depends(coop_access(READ_LOANS))],
    session: SessionDep,
    page: PageDep,
    member_id: uuid.UUID | None = None,
    status: LoanStatus | None = None,
) -> Page[LoanOut]:
    rows = service.list_loans(
        session,
        ctx.cooperative_id,
        member_id=member_id,
        status=status,
        after_number=cursor_key(page.cursor, str),
        limit=page.limit + 1,
    )
    return make_page(service.loan_views(session, rows), page.limit, lambda x: [x.number])


@router.get(
    "/loans/{loan_id}",
    response_model=LoanOut,
    responses=coop_responses(LoanNotFound),
    summary="A loan with its days past due and SBS category (and its debtor's)",
)
def get_loan(
    loan_id: uuid.UUID,
    ctx: Annotated[CoopContext, Depends(coop_access(READ_LOANS))],
    session: SessionDep,
) -> LoanOut:
    return service.loan_view(session, service.get_loan(session, ctx.cooperative_id, loan_id))


@router.post(
    "/loans/{loan_id}/submit",
    response_model=LoanOut,
    responses=coop_responses(LoanNotFound, InvalidLoanStatus),
    summary="Submit a draft application to the credit committee",
)
def submit_loan(
    loan_id: uuid.UUID,
    ctx: Annotated[CoopContext, Depends(coop_access(MANAGE_LOANS))],
    session: SessionDep,
) -> LoanOut:
    return service.loan_view(session, service.submit(session, ctx, loan_id))


@router.post(
    "/loans/{loan_id}/approve",
    response_model=LoanOut,
    responses=coop_responses(*DECIDING, ConcentrationLimit),
    summary="Approve (credit committee or manager, within their limit, not the loan's creator)",
)
def approve_loan(
    loan_id: uuid.UUID,
    ctx: Annotated[CoopContext, Depends(coop_access(APPROVE_LOANS, money=True))],
    session: SessionDep,
    body: LoanDecision | None = None,
) -> LoanOut:
    note, agreement = (body.note, body.board_agreement) if body else (None, None)
    return service.loan_view(session, service.approve(session, ctx, loan_id, note, agreement))


@router.post(
    "/loans/{loan_id}/reject",
    response_model=LoanOut,
    responses=DECISION_ERRORS,
    summary="Reject a submitted application (not by its creator)",
)
def reject_loan(
    loan_id: uuid.UUID,
    ctx: Annotated[CoopContext, Depends(coop_access(APPROVE_LOANS, money=True))],
    session: SessionDep,
    body: LoanDecision | None = None,
) -> LoanOut:
    return service.loan_view(
        session, service.reject(session, ctx, loan_id, body.note if body else None)
    )


@router.get(
    "/loans/{loan_id}/schedule",
    response_model=LoanScheduleOut,
    responses=coop_responses(LoanNotFound, ScheduleInvalid),
    summary="The loan's schedule: as planned before disbursement, as paid after",
)
def get_loan_schedule(
    loan_id: uuid.UUID,
    ctx: Annotated[CoopContext, Depends(coop_access(READ_LOANS))],
    session: SessionDep,
) -> LoanScheduleOut:
    return service.loan_schedule(session, service.get_loan(session, ctx.cooperative_id, loan_id))


@router.get(
    "/loans/{loan_id}/payoff",
    response_model=PayoffOut,
    responses=coop_responses(LoanNotFound, InvalidLoanStatus, PayoffDateInPast, PayoffDateTooFar),
    summary="What pays the loan off on a day (the business date by default), part by part",
)
def get_loan_payoff(
    loan_id: uuid.UUID,
    ctx: Annotated[CoopContext, Depends(coop_access(READ_LOANS))],
    session: SessionDep,
    day: Annotated[date | None, Query(alias="date", description="YYYY-MM-DD")] = None,
) -> PayoffOut:
    return service.payoff_quote(session, ctx.cooperative_id, loan_id, day)


@router.post(
    "/loans/{loan_id}/reschedule",
    response_model=LoanOut,
    responses=coop_responses(LoanNotFound, InvalidLoanStatus, LoanNotCurrent, ScheduleInvalid),
    summary="Reprogram a current loan (credit committee or manager): new dates for what it "
    "still owes, without capitalising interest",
)
def reschedule_loan(
    loan_id: uuid.UUID,
    body: RescheduleRequest,
    ctx: Annotated[CoopContext, Depends(coop_access(APPROVE_LOANS, money=True))],
    session: SessionDep,
) -> LoanOut:
    return service.loan_view(session, service.reschedule(session, ctx, loan_id, body))


REFINANCE_ERRORS = (LoanNotFound, InvalidLoanStatus, TeaOutOfRange, ScheduleInvalid)


@router.post(
    "/loans/{loan_id}/refinance",
    status_code=status.HTTP_202_ACCEPTED,
    response_model=LoanOut,
    responses=coop_responses(*REFINANCE_ERRORS, RefinanceAlreadyRequested),
    summary="Ask to refinance a loan (credit committee or manager): a new loan for all it "
    "owes today, booked in créditos refinanciados (14x4); another person approves it",
)
def request_refinance(
    loan_id: uuid.UUID,
    body: RefinanceRequest,
    ctx: Annotated[CoopContext, Depends(coop_access(APPROVE_LOANS, money=True))],
    session: SessionDep,
) -> LoanOut:
    return service.loan_view(session, service.request_refinance(session, ctx, loan_id, body))


@router.post(
    "/loans/{loan_id}/refinance/approve",
    response_model=LoanOut,
    responses=money_responses(
        *REFINANCE_ERRORS, RefinanceNotRequested, *approval_errors.DECISION_ERRORS
    ),
    summary="Approve a refinance: a person other than who asked; the loan is settled by the "
    "new one, which is returned (Idempotency-Key required)",
)
async def approve_refinance(
    loan_id: uuid.UUID,
    money: Annotated[MoneyRequest, Depends(idempotent(APPROVE_LOANS))],
) -> JSONResponse:
    return await money.run(
        lambda session, ctx: service.loan_view(
            session, service.approve_refinance(session, ctx, loan_id)
        ),
        200,
    )


@router.post(
    "/loans/{loan_id}/refinance/reject",
    response_model=LoanOut,
    responses=coop_responses(LoanNotFound, RefinanceNotRequested, *approval_errors.DECISION_ERRORS),
    summary="Turn down a refinance asked for",
)
def reject_refinance(
    loan_id: uuid.UUID,
    ctx: Annotated[CoopContext, Depends(coop_access(APPROVE_LOANS, money=True))],
    session: SessionDep,
) -> LoanOut:
    return service.loan_view(session, service.reject_refinance(session, ctx, loan_id))


WRITE_OFF_ERRORS = (
    LoanNotFound,
    InvalidLoanStatus,
    WriteOffNotAllowed,
    WriteOffNotProvisioned,
    WriteOffAlreadyRequested,
)


@router.post(
    "/loans/{loan_id}/write-off",
    status_code=status.HTTP_202_ACCEPTED,
    response_model=LoanOut,
    responses=coop_responses(*WRITE_OFF_ERRORS),
    summary="Ask to write off (castigo) a loan whose debtor is in Pérdida and whose booked "
    "provisions cover its balance; another person approves it",
)
def request_write_off(
    loan_id: uuid.UUID,
    ctx: Annotated[CoopContext, Depends(coop_access(WRITE_OFF_LOANS, money=True))],
    session: SessionDep,
) -> LoanOut:
    return service.loan_view(session, service.request_write_off(session, ctx, loan_id))


@router.post(
    "/loans/{loan_id}/write-off/approve",
    response_model=LoanOut,
    responses=money_responses(
        *WRITE_OFF_ERRORS, WriteOffNotRequested, *approval_errors.DECISION_ERRORS
    ),
    summary="Approve a write-off: a person other than who asked, with their own credential; "
    "the allowance is applied and the debt kept in memorandum accounts (Idempotency-Key "
    "required)",
)
async def approve_write_off(
    loan_id: uuid.UUID,
    money: Annotated[MoneyRequest, Depends(idempotent(WRITE_OFF_LOANS))],
) -> JSONResponse:
    return await money.run(
        lambda session, ctx: service.loan_view(
            session, service.approve_write_off(session, ctx, loan_id)
        ),
        200,
    )


@router.post(
    "/loans/{loan_id}/write-off/reject",
    response_model=LoanOut,
    responses=coop_responses(LoanNotFound, WriteOffNotRequested, *approval_errors.DECISION_ERRORS),
    summary="Turn down a write-off asked for",
)
def reject_write_off(
    loan_id: uuid.UUID,
    ctx: Annotated[CoopContext, Depends(coop_access(WRITE_OFF_LOANS, money=True))],
    session: SessionDep,
) -> LoanOut:
    return service.loan_view(session, service.reject_write_off(session, ctx, loan_id))


@router.post(
    "/loans/{loan_id}/judicial-collection",
    response_model=LoanOut,
    responses=coop_responses(LoanNotFound, InvalidLoanStatus, JudicialRequiresOverdue),
    summary="Take an overdue loan to court: its balance moves to cobranza judicial (14x6)",
)
def judicial_collection(
    loan_id: uuid.UUID,
    ctx: Annotated[CoopContext, Depends(coop_access(APPROVE_LOANS, money=True))],
    session: SessionDep,
) -> LoanOut:
    return service.to_judicial_collection(session, ctx, loan_id)


@router.get(
    "/loans/{loan_id}/transactions",
    response_model=StatementPage,
    responses=list_responses(LoanNotFound, DateRangeInvalid),
    summary="The loan's statement: disbursement (+) and principal repaid (-)",
)
def loan_statement(
    loan_id: uuid.UUID,
    ctx: Annotated[CoopContext, Depends(coop_access(READ_LOANS))],
    session: SessionDep,
    page: PageDep,
    span: DateRangeDep,
) -> StatementPage:
    loan = service.get_loan(session, ctx.cooperative_id, loan_id)
    return ledger.statement_page(session, loan, page.cursor, page.limit, span)


@router.get(
    "/portfolio",
    response_model=Portfolio,
    responses=coop_responses(AsOfInFuture),
    summary="Portfolio by SBS category: balances, required provisions, overdue ratio, PAR30",
)
def get_portfolio(
    ctx: Annotated[CoopContext, Depends(coop_access(READ_PORTFOLIO))],
    session: SessionDep,
    as_of: date | None = None,
    currency: Currency | None = None,
) -> Portfolio:
    coop = get_cooperative(session, ctx.cooperative_id)
    return service.portfolio(
        session,
        ctx.cooperative_id,
        as_of or coop.business_date,
        (currency or Currency(coop.base_currency)).value,
    )


@router.get(
    "/credit-policy",
    response_model=CreditPolicy,
    responses=coop_responses(),
    summary="The cooperative's credit policy: the figures the regulation leaves to confirm",
)
def get_credit_policy(
    ctx: Annotated[CoopContext, Depends(coop_access(READ_LOANS))],
    session: SessionDep,
) -> CreditPolicy:
    return service.credit_policy(session, ctx.cooperative_id)


@router.put(
    "/credit-policy",
    response_model=CreditPolicy,
    responses=coop_responses(),
    summary="Set the credit policy (manager or admin); what is left out takes the default",
)
def put_credit_policy(
    body: CreditPolicy,
    ctx: Annotated[CoopContext, Depends(coop_access(MANAGE_PRODUCTS))],
    session: SessionDep,
) -> CreditPolicy:
    return service.set_credit_policy(session, ctx, body)
