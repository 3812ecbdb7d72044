from __future__ import annotations

import uuid

from sqlmodel import Session

from coopac_core.ledger import service as ledger
from coopac_core.ledger.models import GlAccount
from coopac_core.security.principal import CoopContext
from coopac_core.security.roles import ANY_BRANCH
from coopac_core.tellers.errors import BranchNotAllowed


def branch_cash(
    session: Session, ctx: CoopContext, branch_id: uuid.UUID, currency: str
) -> GlAccount:
    """The cash account of ``branch_id`` in ``currency``, if the caller may handle it.

    A teller's cash is their branch's: one at Puno cannot book cash at Juliaca.
    """
    if not ctx.roles & ANY_BRANCH and ctx.principal.branches.get(ctx.cooperative_id) != branch_id:
        raise BranchNotAllowed()
    return ledger.branch_cash_account(session, ctx.cooperative_id, branch_id, currency)
