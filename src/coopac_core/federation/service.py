"""Cooperatives and branches."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, select

from coopac_core.audit import service as audit_service
from coopac_core.db import flush_or_conflict
from coopac_core.federation.errors import (
    BranchExists,
    BranchNotFound,
    BusinessDateInFuture,
    CooperativeExists,
    CooperativeNotFound,
    FederationOnly,
)
from coopac_core.federation.models import Branch, Cooperative
from coopac_core.federation.schemas import BranchCreate, CooperativeCreate, CooperativeUpdate
from coopac_core.ledger import service as ledger
from coopac_core.models_base import utcnow
from coopac_core.security.principal import CoopContext, Principal
from coopac_core.tellers import setup as counter

DEFAULT_TIMEZONE = "America/Lima"


def local_today(tz: str = DEFAULT_TIMEZONE) -> date:
    return datetime.now(ZoneInfo(tz)).date()


def create_cooperative(session: Session, actor: Principal, data: CooperativeCreate) -> Cooperative:
    today = local_today()
    if data.business_date is not None and data.business_date > today:
        raise BusinessDateInFuture(today=today.isoformat())
    coop = Cooperative(
        code=data.code,
        name=data.name,
        ruc=data.ruc,
        sbs_level=data.sbs_level,
        business_date=data.business_date or today,
        operates_with_non_members=data.operates_with_non_members,
    )
    session.add(coop)
    flush_or_conflict(session, CooperativeExists())
    ledger.seed_chart(session, coop.id)
    session.flush()
    counter.seed_counter_accounts(session, coop.id)
    audit_service.record(
        session,
        actor,
        "cooperative.create",
        "cooperative",
        coop.id,
        cooperative_id=coop.id,
        details=data.model_dump(mode="json"),
    )
    return coop


def get_cooperative(session: Session, cooperative_id: uuid.UUID) -> Cooperative:
    coop = session.get(Cooperative, cooperative_id)
    if coop is None:
        raise CooperativeNotFound()
    return coop


def list_cooperatives(
    session: Session,
    visible: frozenset[uuid.UUID] | None,
    *,
    limit: int,
    after_code: str | None,
) -> list[Cooperative]:
    stmt = select(Cooperative)
    if visible is not None:
        stmt = stmt.where(col(Cooperative.id).in_(visible))
    if after_code is not None:
        stmt = stmt.where(col(Cooperative.code) > after_code)
    return list(session.exec(stmt.order_by(col(Cooperative.code)).limit(limit)))


# What only the federation may change: who the cooperative is to the supervisor, and
# whether it may operate at all.
FEDERATION_FIELDS = frozenset({"ruc", "sbs_level", "is_active"})


def update_cooperative(session: Session, ctx: CoopContext, data: CooperativeUpdate) -> Cooperative:
    coop = get_cooperative(session, ctx.cooperative_id)
    changes = data.model_dump(exclude_unset=True, exclude_none=True)
    reserved = sorted(FEDERATION_FIELDS & changes.keys())
    if reserved and not ctx.principal.is_federation_admin:
        raise FederationOnly(fields=", ".join(reserved))
    for field, value in changes.items():
        setattr(coop, field, value)
    coop.updated_at = utcnow()
    session.add(coop)
    flush_or_conflict(session, CooperativeExists())
    audit_service.record(
        session,
        ctx.principal,
        "cooperative.update",
        "cooperative",
        coop.id,
        cooperative_id=coop.id,
        details=changes,
    )
    return coop


def create_branch(session: Session, ctx: CoopContext, data: BranchCreate) -> Branch:
    cooperative_id = ctx.cooperative_id
    get_cooperative(session, cooperative_id)
    branch = Branch(cooperative_id=cooperative_id, **data.model_dump())
    session.add(branch)
    flush_or_conflict(session, BranchExists(code=data.code))
    ledger.open_branch_cash(session, cooperative_id, branch)
    counter.open_vault(session, branch)
    audit_service.record(
        session,
        ctx.principal,
        "branch.create",
        "branch",
        branch.id,
        cooperative_id=cooperative_id,
        details=data.model_dump(mode="json"),
    )
    return branch


def list_branches(
    session: Session, cooperative_id: uuid.UUID, *, limit: int, after_code: str | None
) -> list[Branch]:
    stmt = select(Branch).where(Branch.cooperative_id == cooperative_id)
    if after_code is not None:
        stmt = stmt.where(col(Branch.code) > after_code)
    return list(session.exec(stmt.order_by(col(Branch.code)).limit(limit)))


def get_branch(session: Session, cooperative_id: uuid.UUID, branch_id: uuid.UUID) -> Branch:
    branch = session.get(Branch, (cooperative_id, branch_id))
    if branch is None:
        raise BranchNotFound()
    return branch
