"""HTTP for proving the books: ``GET .../ledger/verification``, beside the ledger's routes
(main.py includes it right after them) but above the products whose checks it runs."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends

from coopac_core.flows.verification import verify_books
from coopac_core.ledger.schemas import VerificationOut
from coopac_core.openapi import coop_responses
from coopac_core.security.deps import SessionDep, coop_access
from coopac_core.security.principal import CoopContext
from coopac_core.security.roles import VERIFY_LEDGER

router = APIRouter(prefix="/api/v1/cooperatives/{cooperative_id}", tags=["ledger"])


@router.get(
    "/ledger/verification",
    response_model=VerificationOut,
    responses=coop_responses(),
    summary="Prove the books: member balances = postings, control accounts = member balances",
)
def verify_ledger(
    ctx: Annotated[CoopContext, Depends(coop_access(VERIFY_LEDGER))], session: SessionDep
) -> VerificationOut:
    report = verify_books(session, ctx.cooperative_id)
    return VerificationOut(
        ok=report.ok,
        member_accounts_checked=report.member_accounts_checked,
        control_accounts_checked=report.control_accounts_checked,
        entries_checked=report.entries_checked,
        problems=report.problems,
    )
