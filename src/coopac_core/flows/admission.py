"""Admission: taking someone in. A member and their share account open together; a client
who is not a member has no share account. This composes ``members`` and ``shares`` from
above, so that neither has to import the other."""

from __future__ import annotations

from sqlmodel import Session

from coopac_core.compliance import screening
from coopac_core.compliance.schemas import ScreeningHoldOut
from coopac_core.members import service as members
from coopac_core.members.models import Member, MemberStatus
from coopac_core.members.schemas import MemberCreate, MemberOut
from coopac_core.security.principal import CoopContext
from coopac_core.shares import service as shares


def admit(session: Session, ctx: CoopContext, data: MemberCreate) -> Member:
    member = members.create_member(session, ctx, data)
    if member.is_member:
        shares.open_share_account(session, member)
    return member


def admit_at_counter(
    session: Session, ctx: CoopContext, data: MemberCreate
) -> MemberOut | tuple[ScreeningHoldOut, int]:
    """An admission at the counter, checked against the screening lists: a person on one
    is registered as an applicant, without a share account, and their admission waits for
    the compliance officer (202; ``flows.screened`` completes it once approved)."""
    names = data.legal_name or " ".join(n for n in (data.first_names, data.last_names) if n)
    found = screening.hits(session, ctx.cooperative_id, data.document_number, names)
    if not found:
        return MemberOut.model_validate(admit(session, ctx, data))
    member = members.create_member(
        session, ctx, data.model_copy(update={"status": MemberStatus.applicant})
    )
    held = screening.hold(
        session,
        ctx,
        screening.ADMISSION_HOLD,
        member.id,
        found,
        {"operation": "admission", "status": data.status.value},
    )
    return held, 202
