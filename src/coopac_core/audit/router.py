from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query

from coopac_core.audit import service
from coopac_core.audit.schemas import AuditEventOut
from coopac_core.openapi import list_responses
from coopac_core.pagination import Page, PageDep, cursor_key, make_page
from coopac_core.security.deps import SessionDep, coop_access
from coopac_core.security.principal import CoopContext
from coopac_core.security.roles import READ_AUDIT

router = APIRouter(prefix="/api/v1/cooperatives/{cooperative_id}", tags=["audit"])


@router.get(
    "/audit-events",
    response_model=Page[AuditEventOut],
    responses=list_responses(),
    summary="The cooperative's audit trail, newest first",
)
def list_audit_events(
    ctx: Annotated[CoopContext, Depends(coop_access(READ_AUDIT))],
    session: SessionDep,
    page: PageDep,
    action: Annotated[str | None, Query(max_length=64, examples=["user.create"])] = None,
) -> Page[AuditEventOut]:
    rows = service.list_events(
        session,
        ctx.cooperative_id,
        limit=page.limit + 1,
        before_id=cursor_key(page.cursor, int),
        action=action,
    )
    items = [AuditEventOut.model_validate(e) for e in rows]
    return make_page(items, page.limit, lambda e: [e.id])
