"""A cooperative founded, and each branch it opens: the federation's record, with the books
and the counter they need to work from the first day (the chart of accounts, the counter's
accounts, each branch's cash and vault). Spans federation, ledger and tellers."""

from __future__ import annotations

from sqlmodel import Session

from coopac_core.audit import service as audit_service
from coopac_core.db import flush_or_conflict
from coopac_core.federation import service as federation
from coopac_core.federation.errors import BranchExists, BusinessDateInFuture, CooperativeExists
from coopac_core.federation.models import Branch, Cooperative
from coopac_core.federation.schemas import BranchCreate, CooperativeCreate
from coopac_core.ledger import service as ledger
from coopac_core.security.principal import CoopContext, Principal
from coopac_core.tellers import setup as counter


def create_cooperative(session: Session, actor: Principal, data: CooperativeCreate) -> Cooperative:
    today = federation.local_today()
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


def create_branch(session: Session, ctx: CoopContext, data: BranchCreate) -> Branch:
    cooperative_id = ctx.cooperative_id
    federation.get_cooperative(session, cooperative_id)
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
