"""Members and clients: registering, finding, and moving them through their statuses.

A member's share account opens with them: that is ``admission``, which composes this
package and ``shares`` from above."""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import func, or_
from sqlmodel import Session, col, select

from coopac_core.audit import service as audit_service
from coopac_core.db import flush_or_conflict
from coopac_core.errors import RoleNotAllowed
from coopac_core.events import service as events
from coopac_core.events.models import EventType
from coopac_core.federation.service import get_branch, get_cooperative
from coopac_core.members.errors import (
    DocumentReferenceRequired,
    InvalidMemberData,
    InvalidStatusTransition,
    MemberExists,
    MemberNotFound,
)
from coopac_core.members.models import DocumentType, Member, MemberStatus
from coopac_core.members.schemas import MemberCreate, MemberOut, MemberUpdate
from coopac_core.models_base import utcnow
from coopac_core.numbering import next_value
from coopac_core.security.principal import CoopContext
from coopac_core.security.roles import ANY_BRANCH, RECORD_LEGAL_STATUS

# Which status may follow which. Withdrawn and deceased are final.
_S = MemberStatus
# Statuses with legal effect: final, and they refund shares.
LEGAL_STATUSES = frozenset({_S.withdrawn, _S.deceased})
TRANSITIONS: dict[MemberStatus, frozenset[MemberStatus]] = {
    _S.applicant: frozenset({_S.active, _S.withdrawn, _S.deceased}),
    _S.active: frozenset({_S.suspended, _S.withdrawn, _S.deceased}),
    _S.suspended: frozenset({_S.active, _S.withdrawn, _S.deceased}),
    _S.withdrawn: frozenset(),
    _S.deceased: frozenset(),
}
_STATUS_DATE = {
    _S.active: "admitted_on",
    _S.suspended: "suspended_on",
    _S.withdrawn: "withdrawn_on",
    _S.deceased: "deceased_on",
}


def create_member(session: Session, ctx: CoopContext, data: MemberCreate) -> Member:
    """Register a member or client. Opening a member's share account with them is
    ``admission.admit``'s job; call that, not this, to take someone in."""
    cooperative_id = ctx.cooperative_id
    today = get_cooperative(session, cooperative_id).business_date
    duplicate = session.exec(
        select(Member.id).where(
            Member.cooperative_id == cooperative_id,
            Member.document_type == data.document_type,
            Member.document_number == data.document_number,
        )
    ).first()
    if duplicate is not None:
        raise _exists(data)
    fields = data.model_dump()
    # A teller registers members of their own branch unless told otherwise.
    branch_id = data.branch_id or ctx.principal.branches.get(cooperative_id)
    if branch_id is not None:
        get_branch(session, cooperative_id, branch_id)
    fields["branch_id"] = branch_id
    member = Member(
        cooperative_id=cooperative_id,
        member_number=f"{next_value(session, cooperative_id, 'member'):08d}",
        applied_on=today,
        admitted_on=today if data.status == MemberStatus.active else None,
        **fields,
    )
    session.add(member)
    flush_or_conflict(session, _exists(data))
    audit_service.record(
        session,
        ctx.principal,
        "member.create",
        "member",
        member.id,
        cooperative_id=cooperative_id,
        details={"member_number": member.member_number, "is_member": member.is_member},
    )
    _event(session, EventType.member_created, member)
    return member


def _event(session: Session, type: EventType, member: Member) -> None:
    """The member as the API shows them: what a consumer would read back."""
    data = MemberOut.model_validate(member, from_attributes=True).model_dump(mode="json")
    events.emit(session, member.cooperative_id, type, "member", member.id, data)


def _exists(data: MemberCreate) -> MemberExists:
    return MemberExists(document_type=data.document_type, document_number=data.document_number)


def get_member(session: Session, cooperative_id: uuid.UUID, member_id: uuid.UUID) -> Member:
    member = session.get(Member, (cooperative_id, member_id))
    if member is None:
        raise MemberNotFound()
    return member


def search_members(
    session: Session,
    cooperative_id: uuid.UUID,
    *,
    q: str | None,
    document_number: str | None,
    member_number: str | None,
    status: MemberStatus | None,
    after_number: str | None,
    limit: int,
) -> list[Member]:
    stmt = select(Member).where(Member.cooperative_id == cooperative_id)
    if document_number:
        stmt = stmt.where(Member.document_number == document_number.strip().upper())
    if member_number:
        stmt = stmt.where(Member.member_number == member_number.strip().zfill(8))
    if status:
        stmt = stmt.where(Member.status == status)
    if q:
        term = q.strip()
        like = f"%{term.replace('%', '').replace('_', '')}%"
        full_name = func.concat_ws(" ", Member.first_names, Member.last_names, Member.legal_name)
        conditions = [col(Member.document_number).startswith(term.upper()), full_name.ilike(like)]
        if term.isdigit():
            conditions.append(col(Member.member_number) == term.zfill(8))
        stmt = stmt.where(or_(*conditions))
    if after_number is not None:
        stmt = stmt.where(col(Member.member_number) > after_number)
    return list(session.exec(stmt.order_by(col(Member.member_number)).limit(limit)))


def update_member(
    session: Session, ctx: CoopContext, member_id: uuid.UUID, data: MemberUpdate
) -> Member:
    cooperative_id = ctx.cooperative_id
    member = get_member(session, cooperative_id, member_id)
    changes = data.model_dump(exclude_unset=True)
    new_status = changes.pop("status", None)
    document = changes.pop("document_reference", None)
    legal_person = member.document_type == DocumentType.RUC
    if legal_person and (changes.get("first_names") or changes.get("last_names")):
        raise InvalidMemberData(reason="Una persona jurídica no tiene nombres de persona natural")
    if not legal_person and changes.get("legal_name"):
        raise InvalidMemberData(reason="legal_name es solo para personas jurídicas")
    if changes.get("related_party") is not None and not ctx.roles & ANY_BRANCH:
        raise RoleNotAllowed("Solo la gerencia o el administrador marcan a una parte vinculada")
    if "related_party" in changes and changes["related_party"] is None:
        del changes["related_party"]
    if "branch_id" in changes:
        # Moving a member is not for a branch's own staff: a teller would move members to
        # their branch and then serve them without them there.
        if not ctx.roles & ANY_BRANCH:
            raise RoleNotAllowed("Solo la gerencia o el administrador cambian la agencia del socio")
        if changes["branch_id"] is not None:
            get_branch(session, cooperative_id, changes["branch_id"])
    for name, value in changes.items():
        if value is None and name in ("first_names", "last_names") and not legal_person:
            continue  # a natural person keeps their names
        setattr(member, name, value)
    if new_status is not None and new_status != member.status:
        if new_status not in TRANSITIONS[MemberStatus(member.status)]:
            raise InvalidStatusTransition(current=member.status, target=new_status)
        if new_status in LEGAL_STATUSES:
            if not ctx.roles & RECORD_LEGAL_STATUS:
                raise RoleNotAllowed(f"Solo la gerencia registra el estado {new_status}")
            if not document:
                raise DocumentReferenceRequired(status=new_status)
            member.status_document = document
            changes["document_reference"] = document
        today: date = get_cooperative(session, cooperative_id).business_date
        setattr(member, _STATUS_DATE[new_status], today)
        changes["status"] = f"{member.status}->{new_status}"
        member.status = new_status
    member.updated_at = utcnow()
    session.add(member)
    audit_service.record(
        session,
        ctx.principal,
        "member.update",
        "member",
        member.id,
        cooperative_id=cooperative_id,
        details={k: str(v) for k, v in changes.items()},
    )
    session.flush()
    _event(session, EventType.member_updated, member)
    return member
