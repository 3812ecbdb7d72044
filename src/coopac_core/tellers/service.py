from __future__ import annotations

import uuid

from sqlmodel import Session

from coopac_core.ledger import service as ledger
from coopac_core.ledger.models import GlAccount
from coopac_core.members.models import Member
from coopac_core.security.principal import CoopContext
from coopac_core.security.roles import ANY_BRANCH
from coopac_core.tellers.errors import BranchNotAllowed, MemberOfOtherBranch


def branch_cash(
    session: Session, ctx: CoopContext, branch_id: uuid.UUID, currency: str
) -> GlAccount:
    """The cash account of ``branch_id`` in ``currency``, if the caller may handle it.

    A teller's cash is their branch's: one at Puno cannot book cash at Juliaca.
    """
    if not ctx.roles & ANY_BRANCH and ctx.principal.branches.get(ctx.cooperative_id) != branch_id:
        raise BranchNotAllowed()
    return ledger.branch_cash_account(session, ctx.cooperative_id, branch_id, currency)


def check_member_branch(session: Session, ctx: CoopContext, member_id: uuid.UUID) -> None:
    """A transfer moves a member's money without the member at the counter: a teller does it
    only for members of their own branch. DOMAIN.md is silent; cash withdrawals stay open at
    any branch (the member is there, with their document), as interbranch service is."""
    if ctx.roles & ANY_BRANCH:
        return
    member = session.get(Member, (ctx.cooperative_id, member_id))
    home = member.branch_id if member is not None else None
    if home is not None and home != ctx.principal.branches.get(ctx.cooperative_id):
        raise MemberOfOtherBranch()
