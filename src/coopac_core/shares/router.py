from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends

from coopac_core.ledger import service as ledger
from coopac_core.ledger.ranges import DateRangeDep, DateRangeInvalid
from coopac_core.ledger.schemas import StatementPage
from coopac_core.members.errors import MemberNotFound
from coopac_core.openapi import coop_responses, list_responses
from coopac_core.pagination import PageDep
from coopac_core.security.deps import SessionDep, coop_access
from coopac_core.security.principal import CoopContext
from coopac_core.security.roles import READ_ACCOUNTS
from coopac_core.shares import service
from coopac_core.shares.errors import ShareAccountNotFound
from coopac_core.shares.schemas import ShareAccountOut

router = APIRouter(
    prefix="/api/v1/cooperatives/{cooperative_id}/members/{member_id}/share-account",
    tags=["shares"],
)
ACCOUNT_ERRORS = (MemberNotFound, ShareAccountNotFound)


@router.get(
    "",
    response_model=ShareAccountOut,
    responses=coop_responses(*ACCOUNT_ERRORS),
    summary="A member's share account",
)
def get_share_account(
    member_id: uuid.UUID,
    ctx: Annotated[CoopContext, Depends(coop_access(READ_ACCOUNTS))],
    session: SessionDep,
) -> ShareAccountOut:
    return ShareAccountOut.model_validate(
        service.get_share_account(session, ctx.cooperative_id, member_id)
    )


@router.get(
    "/transactions",
    response_model=StatementPage,
    responses=list_responses(*ACCOUNT_ERRORS, DateRangeInvalid),
    summary="The share account's statement",
)
def share_statement(
    member_id: uuid.UUID,
    ctx: Annotated[CoopContext, Depends(coop_access(READ_ACCOUNTS))],
    session: SessionDep,
    page: PageDep,
    span: DateRangeDep,
) -> StatementPage:
    account = service.get_share_account(session, ctx.cooperative_id, member_id)
    return ledger.statement_page(session, account, page.cursor, page.limit, span)
