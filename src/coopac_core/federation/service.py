"""Cooperatives and branches."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, select

from coopac_core.audit import service as audit_service
from coopac_core.db import flush_or_conflict
from coopac_core.federation.errors import (
    BranchNotFound,
    CooperativeExists,
    CooperativeNotFound,
    FederationOnly,
)
from coopac_core.federation.models import Branch, Cooperative
from coopac_core.federation.schemas import CooperativeUpdate
from coopac_core.models_base import utcnow
from coopac_core.security.principal import CoopContext

DEFAULT_TIMEZONE = "America/Lima"


def local_today(tz: str = DEFAULT_TIMEZONE) -> date:
    return datetime.now(ZoneInfo(tz)).date()


def get_cooperative(session: Session, cooperative_id: uuid.UUID) -> Cooperative:
    coop = session.get(Cooperative, cooperative_id)
    if coop is None:
        raise CooperativeNotFound()
    return coop


def set_policy(session: Session, ctx: CoopContext, name: str, stored: dict[str, Any]) -> None:
    """Keep one of the cooperative's policies (``credit_policy``, ``surplus_policy``: a JSON
    column each), audited."""
    coop = get_cooperative(session, ctx.cooperative_id)
    setattr(coop, name, stored)
    coop.updated_at = utcnow()
    session.add(coop)
    audit_service.record(
        session,
        ctx.principal,
        f"cooperative.{name}",
        "cooperative",
        coop.id,
        cooperative_id=coop.id,
        details=stored,
    )
    session.flush()


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
