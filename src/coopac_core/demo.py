"""The demo federation: two cooperatives, three branches, one user per role.

Loaded by ``coopac demo`` and ``coopac serve --demo``; running it again changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, select

from coopac_core.federation import service as federation
from coopac_core.federation.models import Cooperative
from coopac_core.federation.schemas import BranchCreate, CooperativeCreate
from coopac_core.security import service as security
from coopac_core.security.models import StaffUser
from coopac_core.security.principal import Principal
from coopac_core.security.roles import Role
from coopac_core.security.schemas import FederationUserCreate, UserCreate

DEMO_PASSWORD = "demo-coopac-2026"  # noqa: S105 - documented demo password
CLI = Principal(name="cli:demo")


@dataclass(frozen=True)
class DemoLogin:
    username: str
    roles: str
    cooperative: str


COOPERATIVES = [
    CooperativeCreate(
        code="COOPSUR",
        name="Cooperativa de Ahorro y Crédito Sur Andino",
        ruc="20131312955",
        sbs_level="2A",
    ),
    CooperativeCreate(
        code="COOPNORTE",
        name="Cooperativa de Ahorro y Crédito Norte Chico",
        ruc="20100070970",
        sbs_level="1",
    ),
]
BRANCHES = {
    "COOPSUR": [
        BranchCreate(code="PUNO", name="Agencia Puno", ubigeo="210101", address="Jr. Lima 123"),
        BranchCreate(
            code="JULIACA",
            name="Agencia Juliaca",
            ubigeo="211101",
            address="Av. Circunvalación 456",
        ),
    ],
    "COOPNORTE": [
        BranchCreate(
            code="HUACHO", name="Agencia Huacho", ubigeo="150801", address="Av. 28 de Julio 789"
        ),
    ],
}
# (username, roles, cooperative code, branch code)
USERS: list[tuple[str, list[Role], str, str | None]] = [
    ("sur.cajero", [Role.teller], "COOPSUR", "PUNO"),
    ("sur.cajero2", [Role.teller], "COOPSUR", "JULIACA"),
    ("sur.credito", [Role.credit_officer], "COOPSUR", "PUNO"),
    ("sur.comite", [Role.credit_committee], "COOPSUR", None),
    ("sur.gerente", [Role.manager], "COOPSUR", None),
    ("sur.contador", [Role.accountant], "COOPSUR", None),
    ("sur.auditor", [Role.auditor], "COOPSUR", None),
    ("sur.admin", [Role.admin], "COOPSUR", None),
    ("norte.cajero", [Role.teller], "COOPNORTE", "HUACHO"),
    ("norte.admin", [Role.admin], "COOPNORTE", None),
]
FEDERATION_USERS = [
    ("fed.admin", [Role.federation_admin]),
    ("fed.analista", [Role.federation_analyst]),
]


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
                FederationUserCreate(
                    username=username, password=DEMO_PASSWORD, full_name=username, roles=roles
                ),
            )
    coops = {c.code: federation.create_cooperative(session, CLI, c) for c in COOPERATIVES}
    branches = {
        (code, b.code): federation.create_branch(session, CLI, coops[code].id, b)
        for code, items in BRANCHES.items()
        for b in items
    }
    for username, roles, code, branch_code in USERS:
        branch = branches[(code, branch_code)].id if branch_code else None
        security.create_user(
            session,
            CLI,
            coops[code].id,
            UserCreate(
                username=username,
                password=DEMO_PASSWORD,
                full_name=username,
                roles=roles,
                branch_id=branch,
            ),
        )
    return True
