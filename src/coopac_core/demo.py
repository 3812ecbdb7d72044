"""The demo federation: two cooperatives, three branches, one user per role, and a few
members of COOPSUR with share capital and savings.

Loaded by ``coopac demo`` and ``coopac serve --demo``; running it again changes nothing.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from sqlmodel import Session, select

from coopac_core import admission
from coopac_core.cob import service as cob
from coopac_core.cob.models import RunStatus
from coopac_core.db import ALL_TENANTS, Database, set_tenant_scope
from coopac_core.federation import service as federation
from coopac_core.federation.models import Cooperative
from coopac_core.federation.schemas import BranchCreate, CooperativeCreate
from coopac_core.federation.service import local_today
from coopac_core.loans import service as loans
from coopac_core.loans.classification import CreditType
from coopac_core.loans.schedule import Frequency, Method
from coopac_core.loans.schemas import LoanProductCreate
from coopac_core.members.schemas import MemberCreate
from coopac_core.money import Currency
from coopac_core.savings import movements
from coopac_core.savings import service as savings
from coopac_core.savings.models import EarlyWithdrawal, ProductKind
from coopac_core.savings.schemas import CashMovementRequest, SavingsProductCreate
from coopac_core.security import service as security
from coopac_core.security.models import StaffUser
from coopac_core.security.principal import CoopContext, Principal
from coopac_core.security.roles import Role
from coopac_core.security.schemas import FederationUserCreate, UserCreate
from coopac_core.shares import service as shares
from coopac_core.shares.schemas import SharePayment

DEMO_PASSWORD = "demo-coopac-2026"  # noqa: S105 - documented demo password
# The demo acts as the federation's administrator: it may work at any branch.
CLI = Principal(name="cli:demo", federation_roles=frozenset({Role.federation_admin}))


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
# (document, first names, last names, occupation, shares paid, savings deposit)
MEMBERS = [
    ("41234567", "Juana", "Mamani Quispe", "Productora lechera", "100.00", "850.00"),
    ("42345678", "Eulogio", "Condori Apaza", "Agricultor (papa y quinua)", "60.00", "320.50"),
    ("43456789", "Rosa", "Huanca Choque", "Comerciante", "200.00", "1500.00"),
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
                must_change_password=False,
            )
    # COOPSUR's books start a few months back; catch_up then closes every day to today, so
    # that the demo shows interest accrued and paid in at each month's end. COOPNORTE has no
    # members or money: it starts today (a history of empty days would only slow the start).
    start = history_start()
    coops = {
        c.code: federation.create_cooperative(
            session,
            CLI,
            c.model_copy(update={"business_date": start if c.code == "COOPSUR" else None}),
        )
        for c in COOPERATIVES
    }
    acting = {code: _acting_in(coop.id) for code, coop in coops.items()}
    branches = {
        (code, b.code): federation.create_branch(session, acting[code], b)
        for code, items in BRANCHES.items()
        for b in items
    }
    for username, roles, code, branch_code in USERS:
        branch = branches[(code, branch_code)].id if branch_code else None
        security.create_user(
            session,
            acting[code],
            UserCreate(
                username=username,
                password=DEMO_PASSWORD,
                full_name=username,
                roles=roles,
                branch_id=branch,
            ),
            must_change_password=False,  # the demo's password is published on purpose
        )
    # Money moves inside one cooperative's scope, as every request's does: the posting
    # trigger moves only the balances the transaction's tenant can see.
    session.flush()
    set_tenant_scope(session, coops["COOPSUR"].id)
    _load_money(session, coops["COOPSUR"].id, branches[("COOPSUR", "PUNO")].id)
    return True


def history_start() -> date:
    """The first day of the month three months before this one, in Lima."""
    first = local_today().replace(day=1)
    for _ in range(3):
        first = (first - timedelta(days=1)).replace(day=1)
    return first


def catch_up(db: Database) -> int:
    """Close every demo cooperative's days up to today (finishing first a run a stopped
    process left); the days closed."""
    closed = 0
    for code in (c.code for c in COOPERATIVES):
        while True:
            with db.session(ALL_TENANTS) as session:
                coop = session.exec(select(Cooperative).where(Cooperative.code == code)).one()
                coop_id, left = coop.id, (local_today(coop.timezone) - coop.business_date).days
            with db.session(coop_id) as session:
                run = cob.running_run(session, coop_id)
                if run is None and left > 0:
                    ctx = CoopContext(coop_id, CLI, frozenset({Role.manager}))
                    run = cob.start_run(session, ctx, min(left, 31))
                    closed += min(left, 31)
                run_id = run.id if run is not None else None
            if run_id is None:
                break
            if cob.execute(db, coop_id, run_id) is not RunStatus.succeeded:
                raise RuntimeError(f"the demo's close of business failed in {code}")
    return closed


def _acting_in(cooperative_id: uuid.UUID) -> CoopContext:
    return CoopContext(cooperative_id, CLI, frozenset({Role.federation_admin}))


def _load_money(session: Session, cooperative_id: uuid.UUID, branch_id: uuid.UUID) -> None:
    """Savings and loan products, and members with share capital and savings, at Agencia Puno."""
    ctx = _acting_in(cooperative_id)
    sight = savings.create_product(
        session,
        ctx,
        SavingsProductCreate(
            code="AHV",
            name="Ahorro a la vista",
            kind=ProductKind.sight,
            currency=Currency.PEN,
            tea=Decimal("0.0150"),
        ),
    )
    savings.create_product(
        session,
        ctx,
        SavingsProductCreate(
            code="AHVUSD",
            name="Ahorro a la vista en dólares",
            kind=ProductKind.sight,
            currency=Currency.USD,
            tea=Decimal("0.0050"),
        ),
    )
    term_product = savings.create_product(
        session,
        ctx,
        SavingsProductCreate(
            code="PF180",
            name="Plazo fijo 180 días",
            kind=ProductKind.term,
            currency=Currency.PEN,
            tea=Decimal("0.0600"),
            term_days=180,
            early_withdrawal=EarlyWithdrawal.forfeit_interest,
        ),
    )
    loans.create_product(
        session,
        ctx,
        LoanProductCreate(
            code="CONSUMO",
            name="Crédito de consumo",
            credit_type=CreditType.consumo,
            tea_min=Decimal("0.15"),
            tea_max=Decimal("0.40"),
            amount_min=Decimal("300.00"),
            amount_max=Decimal("30000.00"),
            term_min=1,
            term_max=36,
            commission_rate=Decimal("0.0100"),
            insurance_monthly_rate=Decimal("0.0008"),
            moratory_tea=Decimal("0.1200"),
        ),
    )
    loans.create_product(
        session,
        ctx,
        LoanProductCreate(
            code="AGRO",
            name="Crédito agropecuario de campaña",
            credit_type=CreditType.microempresa,
            is_agricultural=True,
            tea_min=Decimal("0.18"),
            tea_max=Decimal("0.36"),
            amount_min=Decimal("500.00"),
            amount_max=Decimal("20000.00"),
            term_min=1,
            term_max=12,
            method=Method.single_payment,
            frequency=Frequency.dates,
            guarantors_required=1,
            moratory_tea=Decimal("0.1200"),
        ),
    )
    for dni, first, last, occupation, paid, saved in MEMBERS:
        member = admission.admit(
            session,
            ctx,
            MemberCreate(
                document_type="DNI",
                document_number=dni,
                first_names=first,
                last_names=last,
                occupation=occupation,
                ubigeo="210101",
            ),
        )
        shares.pay(session, ctx, member.id, SharePayment(amount=Decimal(paid), branch_id=branch_id))
        account = savings.open_account(session, ctx, member.id, sight.id)
        movements.deposit(
            session,
            ctx,
            account.id,
            CashMovementRequest(amount=Decimal(saved), branch_id=branch_id),
        )
        if dni == MEMBERS[0][0]:  # one member also keeps a term deposit
            term = savings.open_account(session, ctx, member.id, term_product.id)
            movements.deposit(
                session,
                ctx,
                term.id,
                CashMovementRequest(amount=Decimal("5000.00"), branch_id=branch_id),
            )
