"""A device's day at the counter, offline: the member snapshot a front-end keeps to serve a
member while the link is down (their accounts, loans and what falls due), and the batch of
operations it recorded meanwhile, applied in order, each as its own request."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Request, status
from fastapi.responses import JSONResponse, Response

from coopac_core.flows import member_snapshot as snapshot
from coopac_core.flows import offline
from coopac_core.idempotency import IDEMPOTENCY_ERRORS, MoneyRequest, money_caller
from coopac_core.members.errors import MemberNotFound
from coopac_core.openapi import coop_responses
from coopac_core.security.deps import SessionDep, coop_access
from coopac_core.security.principal import CoopContext
from coopac_core.security.roles import MOVE_MONEY, READ_MEMBERS
from coopac_core.tellers.schemas import MemberSnapshot, SyncBatch, SyncBatchOut

router = APIRouter(prefix="/api/v1/cooperatives/{cooperative_id}", tags=["counter"])


@router.post(
    "/sync-batches",
    response_model=SyncBatchOut,
    responses=coop_responses(*IDEMPOTENCY_ERRORS),
    summary="Apply operations a device recorded offline, in order, each as its own request "
    "with its own Idempotency-Key: a batch sent again changes nothing and answers the same",
)
async def apply_sync_batch(
    body: SyncBatch,
    money: Annotated[MoneyRequest, Depends(money_caller(MOVE_MONEY))],
) -> SyncBatchOut:
    return await offline.apply(money, body)


@router.get(
    "/members/{member_id}/snapshot",
    response_model=MemberSnapshot,
    responses={
        **coop_responses(MemberNotFound),
        304: {"description": "Unchanged since the ETag sent in If-None-Match"},
    },
    summary="What a front-end keeps to serve a member offline: the member, their accounts "
    "with balances and available balances, their loans and what falls due (with an ETag)",
)
def member_snapshot(
    member_id: uuid.UUID,
    request: Request,
    ctx: Annotated[CoopContext, Depends(coop_access(READ_MEMBERS))],
    session: SessionDep,
) -> Response:
    out = snapshot.member_snapshot(session, ctx.cooperative_id, member_id)
    tag = snapshot.etag(out)
    seen = {t.strip() for t in request.headers.get("if-none-match", "").split(",")}
    if tag in seen or "*" in seen:
        return Response(status_code=status.HTTP_304_NOT_MODIFIED, headers={"ETag": tag})
    return JSONResponse(out.model_dump(mode="json"), headers={"ETag": tag})
