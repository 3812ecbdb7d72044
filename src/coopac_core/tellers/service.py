from __future__ import annotations

import uuid

from sqlalchemy import text
from sqlmodel import Session, select

from coopac_core import database_rules as rules
from coopac_core.ledger.models import GlAccount
from coopac_core.security.principal import CoopContext

# The account in the same round trip as the rule (a scalar subquery: the function runs once).
BRANCH_CASH = text(
    "SELECT g.* FROM gl_account g WHERE g.cooperative_id = :c "
    "AND g.id = (SELECT coopac_branch_cash(:c, :b, :cur, CAST(:actor AS jsonb)))"
)


def branch_cash(
    session: Session, ctx: CoopContext, branch_id: uuid.UUID, currency: str
) -> GlAccount:
    """The cash account of ``branch_id`` in ``currency``, if the caller may handle it.

    A teller's cash is their branch's: one at Puno cannot book cash at Juliaca. The rule is
    the database function ``coopac_branch_cash`` (migration 0020), which the one-call
    deposit and share payment run too. A transfer, which moves a member's money without the
    member at the counter, is a teller's only for members of their own branch (DOMAIN.md is
    silent; cash withdrawals stay open at any branch, as interbranch service is): that rule
    is in ``coopac_savings_transfer``.
    """
    params = {
        "c": ctx.cooperative_id,
        "b": branch_id,
        "cur": currency,
        "actor": rules.actor_json(ctx),
    }
    with rules.refusals():
        account: GlAccount = session.scalars(
            select(GlAccount).from_statement(BRANCH_CASH), params
        ).one()
    return account
