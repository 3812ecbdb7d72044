"""Admission: taking someone in. A member and their share account open together; a client
who is not a member has no share account. This composes ``members`` and ``shares`` from
above, so that neither has to import the other."""

from __future__ import annotations

from sqlmodel import Session

from coopac_core.members import service as members
from coopac_core.members.models import Member
from coopac_core.members.schemas import MemberCreate
from coopac_core.security.principal import CoopContext
from coopac_core.shares import service as shares


def admit(session: Session, ctx: CoopContext, data: MemberCreate) -> Member:
    member = members.create_member(session, ctx, data)
    if member.is_member:
        shares.open_share_account(session, member)
    return member
