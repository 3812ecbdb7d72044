"""The counter over HTTP: tills and the vault, sessions and their arqueo, cash between the
vault and a till, the vault's banks, and receipts."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request, status
from fastapi.responses import JSONResponse, Response

from coopac_core.federation.errors import BranchNotFound
from coopac_core.idempotency import MoneyRequest, idempotent
from coopac_core.idempotent_creates import CreateOnce
from coopac_core.ledger.errors import GlAccountNotFound
from coopac_core.limits.errors import LimitExceeded
from coopac_core.openapi import FILE, coop_responses, list_responses, money_responses
from coopac_core.pagination import Page, PageDep, cursor_key, cursor_time_id, make_page
from coopac_core.security.deps import SessionDep, coop_access
from coopac_core.security.principal import CoopContext
from coopac_core.security.roles import (
    MANAGE_TILLS,
    MOVE_MONEY,
    READ_TILLS,
    SUPERVISE_TILLS,
)
from coopac_core.tellers import receipts, service
from coopac_core.tellers.errors import (
    BranchNotAllowed,
    NotAVault,
    NotYourTillSession,
    ReceiptNotFound,
    TillBusy,
    TillCashInsufficient,
    TillCashLimit,
    TillExists,
    TillIsVault,
    TillNotFound,
    TillOverNeedsSupervisor,
    TillSessionAlreadyOpen,
    TillSessionClosed,
    TillSessionNotFound,
    TillTransferAmountMismatch,
    TillTransferInvalid,
    TillTransferNotFound,
    TillTransferNotYours,
    TillTransferReceived,
)
from coopac_core.tellers.models import SessionStatus, TransferStatus
from coopac_core.tellers.schemas import (
    BankMovement,
    BankMovementOut,
    ReceiptOut,
    SessionClose,
    SessionOpen,
    TillCreate,
    TillOut,
    TillSessionOut,
    TillTransferCreate,
    TillTransferOut,
    TillTransferReceive,
    TillUpdate,
)

router = APIRouter(prefix="/api/v1/cooperatives/{cooperative_id}", tags=["counter"])

# Who moves money at the counter or holds the vault; the federation never does.
COUNTER = MOVE_MONEY | SUPERVISE_TILLS


@router.post(
    "/branches/{branch_id}/tills",
    status_code=status.HTTP_201_CREATED,
    response_model=TillOut,
    responses=coop_responses(BranchNotFound, TillExists),
    summary="Create a till (caja) at a branch: a cash sub-account per currency",
)
def create_till(
    branch_id: uuid.UUID,
    body: TillCreate,
    ctx: Annotated[CoopContext, Depends(coop_access(MANAGE_TILLS))],
    session: SessionDep,
    once: CreateOnce,
) -> Response:
    return once.run(session, ctx, lambda: service.create_till(session, ctx, branch_id, body))


@router.get(
    "/branches/{branch_id}/tills",
    response_model=Page[TillOut],
    responses=list_responses(BranchNotFound),
    summary="A branch's vault and tills, with the cash each holds",
)
def list_tills(
    branch_id: uuid.UUID,
    ctx: Annotated[CoopContext, Depends(coop_access(READ_TILLS))],
    session: SessionDep,
    page: PageDep,
) -> Page[TillOut]:
    rows = service.list_tills(
        session,
        ctx.cooperative_id,
        branch_id,
        after_code=cursor_key(page.cursor, str),
        limit=page.limit + 1,
    )
    return make_page(rows, page.limit, lambda t: [t.code])


@router.get(
    "/tills/{till_id}",
    response_model=TillOut,
    responses=coop_responses(TillNotFound),
    summary="A till or the vault, with its cash",
)
def get_till(
    till_id: uuid.UUID,
    ctx: Annotated[CoopContext, Depends(coop_access(READ_TILLS))],
    session: SessionDep,
) -> TillOut:
    return service.till_out(session, service.get_till(session, ctx.cooperative_id, till_id))


@router.patch(
    "/tills/{till_id}",
    response_model=TillOut,
    responses=coop_responses(TillNotFound),
    summary="Rename a till or change its cash ceilings",
)
def update_till(
    till_id: uuid.UUID,
    body: TillUpdate,
    ctx: Annotated[CoopContext, Depends(coop_access(MANAGE_TILLS))],
    session: SessionDep,
) -> TillOut:
    return service.update_till(session, ctx, till_id, body)


@router.post(
    "/tills/{till_id}/sessions",
    status_code=status.HTTP_201_CREATED,
    response_model=TillSessionOut,
    responses=money_responses(
        TillNotFound,
        TillIsVault,
        TillBusy,
        TillSessionAlreadyOpen,
        BranchNotAllowed,
        TillOverNeedsSupervisor,
    ),
    summary="Open a session at a till for the calling teller, with what they count in it "
    "(Idempotency-Key required: a difference is booked)",
)
async def open_session(
    till_id: uuid.UUID,
    body: SessionOpen,
    money: Annotated[MoneyRequest, Depends(idempotent(MOVE_MONEY))],
) -> JSONResponse:
    return await money.run(
        lambda session, ctx: service.open_session(session, ctx, till_id, body.counted)
    )


@router.post(
    "/till-sessions/{session_id}/close",
    response_model=TillSessionOut,
    responses=money_responses(TillSessionNotFound, TillSessionClosed, NotYourTillSession),
    summary="Close a till session with a count: the difference is booked as over or short "
    "(Idempotency-Key required)",
)
async def close_session(
    session_id: uuid.UUID,
    body: SessionClose,
    money: Annotated[MoneyRequest, Depends(idempotent(COUNTER))],
) -> JSONResponse:
    return await money.run(
        lambda session, ctx: service.close_session(session, ctx, session_id, body.counted),
        status.HTTP_200_OK,
    )


@router.get(
    "/till-sessions",
    response_model=Page[TillSessionOut],
    responses=list_responses(),
    summary="Till sessions, oldest first (open ones, a day's, a branch's)",
)
def list_sessions(
    ctx: Annotated[CoopContext, Depends(coop_access(READ_TILLS))],
    session: SessionDep,
    page: PageDep,
    status: SessionStatus | None = None,
    branch_id: uuid.UUID | None = None,
    business_date: date | None = None,
) -> Page[TillSessionOut]:
    rows = service.list_sessions(
        session,
        ctx.cooperative_id,
        status=status,
        branch_id=branch_id,
        business_date=business_date,
        after=cursor_time_id(page.cursor),
        limit=page.limit + 1,
    )
    return make_page(
        [service.session_out(session, r) for r in rows],
        page.limit,
        lambda s: [s.opened_at.isoformat(), str(s.id)],
    )


@router.get(
    "/till-sessions/{session_id}",
    response_model=TillSessionOut,
    responses=coop_responses(TillSessionNotFound),
    summary="A till session and its arqueo: every movement of the till's cash and the counts",
)
def get_session(
    session_id: uuid.UUID,
    ctx: Annotated[CoopContext, Depends(coop_access(READ_TILLS))],
    session: SessionDep,
) -> TillSessionOut:
    return service.session_out(
        session, service.get_session(session, ctx.cooperative_id, session_id)
    )


TRANSFER_ERRORS = (
    TillNotFound,
    TillTransferInvalid,
    TillTransferNotYours,
    TillSessionClosed,
    TillCashInsufficient,
    TillCashLimit,
    LimitExceeded,
)


@router.post(
    "/till-transfers",
    status_code=status.HTTP_201_CREATED,
    response_model=TillTransferOut,
    responses=money_responses(*TRANSFER_ERRORS),
    summary="Send cash from the vault to a till or back: in transit until received "
    "(Idempotency-Key required)",
)
async def send_transfer(
    body: TillTransferCreate,
    money: Annotated[MoneyRequest, Depends(idempotent(COUNTER))],
) -> JSONResponse:
    return await money.run(lambda session, ctx: service.send_transfer(session, ctx, body))


@router.post(
    "/till-transfers/{transfer_id}/receive",
    response_model=TillTransferOut,
    responses=money_responses(
        TillTransferNotFound, TillTransferReceived, TillTransferAmountMismatch, *TRANSFER_ERRORS
    ),
    summary="Confirm the cash sent arrived, with the amount counted (Idempotency-Key required)",
)
async def receive_transfer(
    transfer_id: uuid.UUID,
    body: TillTransferReceive,
    money: Annotated[MoneyRequest, Depends(idempotent(COUNTER))],
) -> JSONResponse:
    return await money.run(
        lambda session, ctx: service.receive_transfer(session, ctx, transfer_id, body.amount),
        status.HTTP_200_OK,
    )


@router.get(
    "/till-transfers",
    response_model=Page[TillTransferOut],
    responses=list_responses(),
    summary="Cash transfers between the vault and tills, oldest first",
)
def list_transfers(
    ctx: Annotated[CoopContext, Depends(coop_access(READ_TILLS))],
    session: SessionDep,
    page: PageDep,
    status: TransferStatus | None = None,
    branch_id: uuid.UUID | None = None,
) -> Page[TillTransferOut]:
    rows = service.list_transfers(
        session,
        ctx.cooperative_id,
        status=status,
        branch_id=branch_id,
        after=cursor_time_id(page.cursor),
        limit=page.limit + 1,
    )
    return make_page(
        [service.transfer_out(r) for r in rows],
        page.limit,
        lambda t: [t.sent_at.isoformat(), str(t.id)],
    )


@router.get(
    "/till-transfers/{transfer_id}",
    response_model=TillTransferOut,
    responses=coop_responses(TillTransferNotFound),
    summary="A cash transfer between the vault and a till",
)
def get_transfer(
    transfer_id: uuid.UUID,
    ctx: Annotated[CoopContext, Depends(coop_access(READ_TILLS))],
    session: SessionDep,
) -> TillTransferOut:
    return service.transfer_out(service.get_transfer(session, ctx.cooperative_id, transfer_id))


BANK_ERRORS = (
    TillNotFound,
    NotAVault,
    TillTransferInvalid,
    TillCashInsufficient,
    GlAccountNotFound,
    LimitExceeded,
)


@router.post(
    "/tills/{till_id}/bank-deposits",
    status_code=status.HTTP_201_CREATED,
    response_model=BankMovementOut,
    responses=money_responses(*BANK_ERRORS),
    summary="The vault's cash deposited in a bank (Idempotency-Key required)",
)
async def bank_deposit(
    till_id: uuid.UUID,
    body: BankMovement,
    money: Annotated[MoneyRequest, Depends(idempotent(SUPERVISE_TILLS))],
) -> JSONResponse:
    return await money.run(
        lambda session, ctx: service.bank_movement(session, ctx, till_id, body, into_bank=True)
    )


@router.post(
    "/tills/{till_id}/bank-withdrawals",
    status_code=status.HTTP_201_CREATED,
    response_model=BankMovementOut,
    responses=money_responses(*BANK_ERRORS),
    summary="Cash withdrawn from a bank into the vault (Idempotency-Key required)",
)
async def bank_withdrawal(
    till_id: uuid.UUID,
    body: BankMovement,
    money: Annotated[MoneyRequest, Depends(idempotent(SUPERVISE_TILLS))],
) -> JSONResponse:
    return await money.run(
        lambda session, ctx: service.bank_movement(session, ctx, till_id, body, into_bank=False)
    )


@router.get(
    "/receipts/{number}",
    response_model=ReceiptOut,
    responses={
        **coop_responses(ReceiptNotFound),
        200: {
            "content": {"application/json": {}, "application/pdf": FILE},
            "description": "The receipt as JSON, or as a PDF for an 80 mm printer "
            "(Accept: application/pdf, or ?format=pdf)",
        },
    },
    summary="A counter operation's receipt, as JSON or as a PDF for an 80 mm printer",
)
def get_receipt(
    number: str,
    request: Request,
    ctx: Annotated[CoopContext, Depends(coop_access(READ_TILLS))],
    session: SessionDep,
    format: Annotated[str | None, Query(pattern="^(json|pdf)$")] = None,
) -> Response:
    out = receipts.receipt_out(session, ctx.cooperative_id, number)
    wants_pdf = format == "pdf" or (
        format is None and "application/pdf" in request.headers.get("accept", "")
    )
    if wants_pdf:
        return Response(
            receipts.render_pdf(out),
            media_type="application/pdf",
            headers={"Content-Disposition": f'inline; filename="{out.number}.pdf"'},
        )
    return JSONResponse(out.model_dump(mode="json"))
