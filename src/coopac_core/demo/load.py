"""Loading the demo: the federation's users, the cooperatives with their branches and staff,
and their members' money; once (a second load changes nothing)."""

from __future__ import annotations

from sqlmodel import Session, select

from coopac_core.db import ALL_TENANTS, set_tenant_scope
from coopac_core.demo.data import (
    BRANCHES,
    CLI,
    COOPERATIVES,
    DEMO_PASSWORD,
    FEDERATION_USERS,
    USERS,
    DemoLogin,
)
from coopac_core.demo.history import history_start
from coopac_core.demo.money import acting_in, load_money, open_tills
from coopac_core.federation.models import Cooperative
from coopac_core.flows import founding
from coopac_core.security import users as security
from coopac_core.security.models import StaffUser
from coopac_core.security.principal import CoopContext
from coopac_core.security.roles import Role
from coopac_core.security.schemas import FederationUserCreate, UserCreate


def demo_logins() -> list[DemoLogin]:
    out = [DemoLogin(u, ",".join(r), "(federación)") for u, r in FEDERATION_USERS]
    out += [DemoLogin(u, ",".join(r), c) for u, r, c, _ in USERS]
    return out


def load_demo(session: Session) -> bool:
    """Load the demo data; False if it was already there."""
    if session.exec(select(Cooperative).where(Cooperative.code == "COOPSUR")).first():
        return False
    for username, roles in FEDERATION_USERS:
        if not session.exec(select(StaffUser).where(StaffUser.username == username)).first():
            security.create_federation_user(
                session,
                CLI,
                FederationUserCreate(username=username, full_name=username, roles=roles),
                password=DEMO_PASSWORD,  # the demo's password is published on purpose
            )
    # The books start a few months back; catch_up then closes every day to today, so that
    # the demo shows interest accrued and paid in, loans falling behind, and month ends.
    start = history_start()
    coops = {
        c.code: founding.create_cooperative(
            session, CLI, c.model_copy(update={"business_date": start})
        )
        for c in COOPERATIVES
    }
    acting = {code: acting_in(coop.id) for code, coop in coops.items()}
    branches = {
        (code, b.code): founding.create_branch(session, acting[code], b)
        for code, items in BRANCHES.items()
        for b in items
    }
    # the cooperatives' staff, as each one's own admin makes them (the federation makes a
    # cooperative's first admin only)
    admins = {
        code: CoopContext(coop.id, CLI, frozenset({Role.admin})) for code, coop in coops.items()
    }
    for username, roles, code, branch_code in USERS:
        branch = branches[(code, branch_code)].id if branch_code else None
        security.create_user(
            session,
            admins[code],
            UserCreate(username=username, full_name=username, roles=roles, branch_id=branch),
            password=DEMO_PASSWORD,  # the demo's password is published on purpose
        )
    # Money moves inside one cooperative's scope, as every request's does: the posting
    # trigger moves only the balances the transaction's tenant can see.
    session.flush()
    for code, coop in coops.items():
        set_tenant_scope(session, coop.id)
        open_tills(session, code, coop.id)
        load_money(session, code, coop.id, branches[(code, BRANCHES[code][0].code)].id)
    set_tenant_scope(session, ALL_TENANTS)
    return True
