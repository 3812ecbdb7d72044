"""Opening members and clients, finding them, and moving them through their statuses."""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import func, or_
from sqlmodel import Session, col, select

from coopac_core.audit import service as audit_service
from coopac_core.db import flush_or_conflict
from coopac_core.errors import Conflict, NotFound
from coopac_core.federation.service import get_cooperative
from coopac_core.members.models import Member
from coopac_core.members.schemas import MemberCreate, MemberUpdate
from coopac_core.models_base import utcnow
from coopac_core.numbering import next_value
from coopac_core.security.principal import Principal
from coopac_core.shares import service as shares

# Which status may follow which. Withdrawn and deceased are final.
TRANSITIONS: dict[str, frozenset[str]] = {
    "applicant": frozenset({"active", "withdrawn", "deceased"}),
    "active": frozenset({"suspended", "withdrawn", "deceased"}),
    "suspended": frozenset({"active", "withdrawn", "deceased"}),
    "withdrawn": frozenset(),
    "deceased": frozenset(),
}
_STATUS_DATE = {
    "active": "admitted_on",
    "suspended": "suspended_on",
    "withdrawn": "withdrawn_on",
    "deceased": "deceased_on",
}


def create_member(
    session: Session, actor: Principal, cooperative_id: uuid.UUID, data: MemberCreate
) -> Member:
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
    member = Member(
        cooperative_id=cooperative_id,
        member_number=f"{next_value(session, cooperative_id, 'member'):08d}",
        applied_on=today,
        admitted_on=today if data.status == "active" else None,
        **data.model_dump(),
    )
    session.add(member)
    flush_or_conflict(session, _exists(data))
    if member.is_member:
        shares.open_share_account(session, member)
    audit_service.record(
        session,
        actor,
        "member.create",
        "member",
        member.id,
        cooperative_id=cooperative_id,
        details={"member_number": member.member_number, "is_member": member.is_member},
    )
    return member


def _exists(data: MemberCreate) -> Conflict:
    return Conflict(
        f"Ya existe un socio o cliente con {data.document_type} {data.document_number}",
        code="member_exists",
    )


def get_member(session: Session, cooperative_id: uuid.UUID, member_id: uuid.UUID) -> Member:
    member = session.get(Member, (cooperative_id, member_id))
    if member is None:
        raise NotFound("Socio no encontrado", code="member_not_found")
    return member


def search_members(
    session: Session,
    cooperative_id: uuid.UUID,
    *,
    q: str | None,
    document_number: str | None,
    member_number: str | None,
    status: str | None,
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
    session: Session,
    actor: Principal,
    cooperative_id: uuid.UUID,
    member_id: uuid.UUID,
    data: MemberUpdate,
) -> Member:
    member = get_member(session, cooperative_id, member_id)
    changes = data.model_dump(exclude_unset=True)
    new_status = changes.pop("status", None)
    if member.document_type == "RUC" and (changes.get("first_names") or changes.get("last_names")):
        raise Conflict(
            "Una persona jurídica no tiene nombres de persona natural", code="invalid_member_data"
        )
    if member.document_type != "RUC" and changes.get("legal_name"):
        raise Conflict("legal_name es solo para personas jurídicas", code="invalid_member_data")
    for name, value in changes.items():
        if (
            value is None
            and name in ("first_names", "last_names")
            and member.document_type != "RUC"
        ):
            continue  # a natural person keeps their names
        setattr(member, name, value)
    if new_status is not None and new_status != member.status:
        if new_status not in TRANSITIONS[member.status]:
            raise Conflict(
                f"No se puede pasar de {member.status} a {new_status}",
                code="invalid_status_transition",
            )
        today: date = get_cooperative(session, cooperative_id).business_date
        setattr(member, _STATUS_DATE[new_status], today)
        changes["status"] = f"{member.status}->{new_status}"
        member.status = new_status
    member.updated_at = utcnow()
    session.add(member)
    audit_service.record(
        session,
        actor,
        "member.update",
        "member",
        member.id,
        cooperative_id=cooperative_id,
        details={k: str(v) for k, v in changes.items()},
    )
    session.flush()
    return member
