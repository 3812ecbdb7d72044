"""The demo federation: three cooperatives with their branches and staff, members with
share capital, savings and loans (some paid on time, some late), and three months of
history closed by close of business and by the accountant, so that
the federation's indicators and every report show real numbers from the start.

Loaded by ``coopac demo`` and ``coopac serve --demo``; running it again changes nothing.
"""

from __future__ import annotations

import multiprocessing
import uuid
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from sqlmodel import Session, col, select

from coopac_core import admission
from coopac_core.cob import execution
from coopac_core.cob import service as cob
from coopac_core.cob.models import RunStatus
from coopac_core.db import ALL_TENANTS, Database, set_tenant_scope
from coopac_core.federation import service as federation
from coopac_core.federation.models import Branch, Cooperative
from coopac_core.federation.schemas import BranchCreate, CooperativeCreate
from coopac_core.federation.service import local_today
from coopac_core.ledger import service as ledger
from coopac_core.ledger.schemas import AdjustmentCreate, AdjustmentLine
from coopac_core.loans import service as loans
from coopac_core.loans.classification import CreditType
from coopac_core.loans.models import Loan, LoanInstallment, LoanStatus, Purpose
from coopac_core.loans.schedule import Frequency, Method
from coopac_core.loans.schemas import LoanCreate, LoanProductCreate, RepaymentRequest
from coopac_core.loans.servicing import owed
from coopac_core.members.models import Member
from coopac_core.members.schemas import MemberCreate
from coopac_core.money import Currency
from coopac_core.reports import periods
from coopac_core.reports.models import PeriodStatus
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
from coopac_core.tellers import service as tellers
from coopac_core.tellers.models import SessionStatus, Till, TillSession
from coopac_core.tellers.schemas import BankMovement, Count, TillCreate, TillTransferCreate

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
    CooperativeCreate(
        code="COOPCENTRO",
        name="Cooperativa de Ahorro y Crédito Valle del Mantaro",
        ruc="20485612301",
        sbs_level="2B",
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
    "COOPCENTRO": [
        BranchCreate(
            code="HUANCAYO", name="Agencia Huancayo", ubigeo="120101", address="Jr. Ica 310"
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
    ("norte.contador", [Role.accountant], "COOPNORTE", None),
    ("norte.admin", [Role.admin], "COOPNORTE", None),
    ("centro.cajero", [Role.teller], "COOPCENTRO", "HUANCAYO"),
    ("centro.contador", [Role.accountant], "COOPCENTRO", None),
    ("centro.admin", [Role.admin], "COOPCENTRO", None),
]
# (document, first names, last names, sex, occupation, shares paid, savings deposit)
MEMBERS = {
    "COOPSUR": [
        ("41234567", "Juana", "Mamani Quispe", "F", "Productora lechera", "100.00", "850.00"),
        ("42345678", "Eulogio", "Condori Apaza", "M", "Agricultor (papa y quinua)", "60.00",
         "320.50"),
        ("43456789", "Rosa", "Huanca Choque", "F", "Comerciante", "200.00", "1500.00"),
    ],
    "COOPNORTE": [
        ("44567890", "Marcelino", "Flores Ramos", "M", "Pescador artesanal", "50.00", "640.00"),
        ("45678901", "Teodora", "Salazar Vega", "F", "Bodeguera", "80.00", "2300.00"),
    ],
    "COOPCENTRO": [
        ("46789012", "Hilario", "Quispe Rojas", "M", "Productor de alcachofa", "300.00",
         "4200.00"),
        ("47890123", "Nelly", "Ccanto Poma", "F", "Tejedora", "150.00", "9800.00"),
        ("48901234", "Wilber", "Huamán Soto", "M", "Transportista", "100.00", "1250.00"),
    ],
}  # fmt: skip
# What each cooperative brought from its previous system: its reserves, held in the bank.
RESERVES = {"COOPSUR": "18000.00", "COOPNORTE": "4500.00", "COOPCENTRO": "26000.00"}
# (document, product, amount, term in months, pays on time): monthly loans paid out on the
# first day of the books; the late ones fall behind, into arrears and provisions.
LOANS = {
    "COOPSUR": [
        ("41234567", "MYPE", "3000.00", 12, True),
        ("42345678", "CONSUMO", "1500.00", 6, False),
        ("43456789", "MYPE", "5000.00", 12, True),
    ],
    "COOPNORTE": [
        ("44567890", "CONSUMO", "1200.00", 6, True),
        ("45678901", "MYPE", "2500.00", 10, False),
    ],
    "COOPCENTRO": [
        ("46789012", "MYPE", "8000.00", 12, True),
        ("47890123", "CONSUMO", "2000.00", 8, True),
        ("48901234", "MYPE", "3500.00", 12, False),
    ],
}
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
    # The books start a few months back; catch_up then closes every day to today, so that
    # the demo shows interest accrued and paid in, loans falling behind, and month ends.
    start = history_start()
    coops = {
        c.code: federation.create_cooperative(
            session, CLI, c.model_copy(update={"business_date": start})
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
    for code, coop in coops.items():
        set_tenant_scope(session, coop.id)
        _open_tills(session, code, coop.id)
        _load_money(session, code, coop.id, branches[(code, BRANCHES[code][0].code)].id)
    set_tenant_scope(session, ALL_TENANTS)
    return True


def history_start() -> date:
    """The first day of the month three months before this one, in Lima: three month
    ends, each closed by the accountant."""
    first = local_today().replace(day=1)
    for _ in range(3):
        first = (first - timedelta(days=1)).replace(day=1)
    return first


def catch_up(db: Database) -> int:
    """Close every demo cooperative's days up to today (finishing first a run a stopped
    process left), a month at a time: on each first of the month the members who pay on
    time pay what fell due; then the accountant closes every month taken. The days closed.

    The three cooperatives at once, each run on one connection (a few members need no
    more), each in a process of its own where the system can fork one: a run of a few
    accounts is mostly the service's own Python, which threads would take in turns."""
    codes = [c.code for c in COOPERATIVES]
    if "fork" not in multiprocessing.get_all_start_methods():
        with ThreadPoolExecutor(max_workers=len(codes)) as threads:
            return sum(threads.map(lambda code: _catch_up_one(db, code), codes))
    global _forked_db
    _forked_db = db
    try:
        with ProcessPoolExecutor(
            max_workers=len(codes),
            mp_context=multiprocessing.get_context("fork"),
            initializer=_forked,
        ) as processes:
            return sum(processes.map(_catch_up_forked, codes))
    finally:
        _forked_db = None


_forked_db: Database | None = None


def _forked() -> None:
    """A forked process's first act: its own connections, none of its parent's."""
    assert _forked_db is not None
    _forked_db.engine.dispose(close=False)


def _catch_up_forked(code: str) -> int:
    assert _forked_db is not None
    return _catch_up_one(_forked_db, code)


def _catch_up_one(db: Database, code: str) -> int:
    closed = 0
    while True:
        with db.session(ALL_TENANTS) as session:
            coop = session.exec(select(Cooperative).where(Cooperative.code == code)).one()
            coop_id, today = coop.id, coop.business_date
            left = (local_today(coop.timezone) - today).days
        with db.session(coop_id) as session:
            run = cob.running_run(session, coop_id)
            if run is None:
                _open_tills(session, code, coop_id)
            _pay_due(session, code, coop_id, today)
            if run is None and left > 0:
                days = min(left, (_next_first(today) - today).days)
                _close_tills(session, coop_id)
                ctx = CoopContext(coop_id, CLI, frozenset({Role.manager}))
                run = cob.start_run(session, ctx, days, workers=1)
                closed += days
            run_id = run.id if run is not None else None
        if run_id is None:
            break
        if execution.execute(db, coop_id, run_id) is not RunStatus.succeeded:
            raise RuntimeError(f"the demo's close of business failed in {code}")
    with db.session(coop_id) as session:
        _close_months(session, coop_id)
    return closed


def _next_first(day: date) -> date:
    return (day.replace(day=28) + timedelta(days=4)).replace(day=1)


def _pay_due(session: Session, code: str, coop_id: uuid.UUID, today: date) -> None:
    """The punctual members pay, in cash at the teller's till, what is due by ``today``."""
    ctx = _teller(session, code, coop_id)
    branch_id = ctx.principal.branches[coop_id]
    punctual = {dni for dni, *_, pays in LOANS[code] if pays}
    rows = session.exec(
        select(Loan, Member)
        .join(
            Member,
            (col(Member.cooperative_id) == col(Loan.cooperative_id))
            & (col(Member.id) == col(Loan.member_id)),
        )
        .where(Loan.cooperative_id == coop_id, Loan.status == LoanStatus.active)
    ).all()
    for loan, member in rows:
        if member.document_number not in punctual:
            continue
        due = sum(
            (
                owed(i)
                for i in session.exec(
                    select(LoanInstallment).where(
                        LoanInstallment.cooperative_id == coop_id,
                        LoanInstallment.loan_id == loan.id,
                        col(LoanInstallment.due_date) <= today,
                    )
                )
            ),
            Decimal(0),
        )
        if due > 0:
            loans.repay(session, ctx, loan.id, RepaymentRequest(amount=due, branch_id=branch_id))


def _close_months(session: Session, coop_id: uuid.UUID) -> None:
    """The accountant closes every month taken, in order."""
    ctx = CoopContext(coop_id, CLI, frozenset({Role.accountant}))
    provisional = [
        p.period
        for p in reversed(periods.list_periods(session, coop_id, before=None, limit=120))
        if p.status == PeriodStatus.provisional
    ]
    for period in provisional:
        periods.close_period(session, ctx, period)


def _teller(
    session: Session, code: str, coop_id: uuid.UUID, username: str | None = None
) -> CoopContext:
    """A demo teller acting (the cooperative's first, at its first branch, by default): cash
    moves at a person's open till."""
    name, branch_code = next(
        (u, b)
        for u, roles, c, b in USERS
        if c == code and Role.teller in roles and username in (None, u)
    )
    user = session.exec(select(StaffUser).where(StaffUser.username == name)).one()
    branch = session.exec(
        select(Branch).where(Branch.cooperative_id == coop_id, Branch.code == branch_code)
    ).one()
    principal = Principal(
        name=name,
        full_name=user.full_name,
        user_id=user.id,
        home_cooperative_id=coop_id,
        cooperative_roles={coop_id: frozenset({Role.teller})},
        branches={coop_id: branch.id},
    )
    return CoopContext(coop_id, principal, frozenset({Role.teller}))


# What the vault brings from the bank for a demo teller's till on its first day.
DEMO_TILL_CASH = {Currency.PEN: Decimal("150000.00"), Currency.USD: Decimal("15000.00")}


def _open_tills(session: Session, code: str, coop_id: uuid.UUID) -> None:
    """Every demo teller's till open on the business date, as a branch's morning does it
    (the first day: the till made, cash from the bank to the vault, sent to the till and
    received by the teller), so that one can try the counter at once."""
    supervisor = CoopContext(coop_id, CLI, frozenset({Role.manager}))
    today = session.exec(select(Cooperative).where(Cooperative.id == coop_id)).one().business_date
    for username, roles, c, _ in USERS:
        if c != code or Role.teller not in roles:
            continue
        teller = _teller(session, code, coop_id, username)
        branch_id = teller.principal.branches[coop_id]
        open_row = session.exec(
            select(TillSession).where(
                TillSession.cooperative_id == coop_id,
                TillSession.teller_id == teller.principal.user_id,
                TillSession.status == SessionStatus.open,
            )
        ).first()
        if open_row is not None and open_row.business_date == today:
            continue
        if open_row is not None:
            _close_tills(session, coop_id)
        till = session.exec(
            select(Till).where(
                Till.cooperative_id == coop_id, Till.branch_id == branch_id, Till.code == "C01"
            )
        ).first()
        fresh = till is None
        if till is None:
            made = tellers.create_till(
                session, supervisor, branch_id, TillCreate(code="C01", name="Caja 1")
            )
            till = tellers.get_till(session, coop_id, made.id)
        counted = [
            Count(currency=Currency(c.currency), amount=c.balance)
            for c in tellers.till_out(session, till).cash
            if c.balance
        ]
        tellers.open_session(session, teller, till.id, counted)
        if not fresh:
            continue
        vault = session.exec(
            select(Till).where(
                Till.cooperative_id == coop_id, Till.branch_id == branch_id, Till.kind == "vault"
            )
        ).one()
        for currency, amount in DEMO_TILL_CASH.items():
            tellers.bank_movement(
                session,
                supervisor,
                vault.id,
                BankMovement(currency=currency, amount=amount),
                into_bank=False,
            )
            sent = tellers.send_transfer(
                session,
                supervisor,
                TillTransferCreate(
                    from_till_id=vault.id, to_till_id=till.id, currency=currency, amount=amount
                ),
            )
            tellers.receive_transfer(session, teller, sent.id, amount)


def _close_tills(session: Session, coop_id: uuid.UUID) -> None:
    """The supervisor counts and closes every open till (what the books expect is there)."""
    supervisor = CoopContext(coop_id, CLI, frozenset({Role.manager}))
    for row in tellers.open_sessions_through(session, coop_id, date.max):
        till = tellers.get_till(session, coop_id, row.till_id)
        counted = [
            Count(currency=c.currency, amount=c.balance)
            for c in tellers.till_out(session, till).cash
            if c.balance
        ]
        tellers.close_session(session, supervisor, row.id, counted)


def _acting_in(cooperative_id: uuid.UUID) -> CoopContext:
    return CoopContext(cooperative_id, CLI, frozenset({Role.federation_admin}))


def _load_money(
    session: Session, code: str, cooperative_id: uuid.UUID, branch_id: uuid.UUID
) -> None:
    """Savings and loan products; members with share capital, savings and loans, at the
    cooperative's first branch; the cash by its teller, at their till."""
    ctx = _acting_in(cooperative_id)
    teller = _teller(session, code, cooperative_id)
    ledger.post_adjustment(
        session,
        CoopContext(cooperative_id, CLI, frozenset({Role.accountant})),
        AdjustmentCreate(
            description="Saldo inicial: reserva cooperativa en bancos",
            lines=[
                AdjustmentLine(account="1113", debit=Decimal(RESERVES[code])),
                AdjustmentLine(account="3311", credit=Decimal(RESERVES[code])),
            ],
        ),
    )
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
            code="MYPE",
            name="Crédito a la microempresa",
            credit_type=CreditType.microempresa,
            tea_min=Decimal("0.18"),
            tea_max=Decimal("0.40"),
            amount_min=Decimal("500.00"),
            amount_max=Decimal("50000.00"),
            term_min=3,
            term_max=36,
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
    members = {}
    for dni, first, last, sex, occupation, paid, saved in MEMBERS[code]:
        member = admission.admit(
            session,
            ctx,
            MemberCreate(
                document_type="DNI",
                document_number=dni,
                first_names=first,
                last_names=last,
                sex=sex,
                occupation=occupation,
                ubigeo="210101",
                branch_id=branch_id,
            ),
        )
        members[dni] = member.id
        shares.pay(
            session, teller, member.id, SharePayment(amount=Decimal(paid), branch_id=branch_id)
        )
        account = savings.open_account(session, ctx, member.id, sight.id)
        movements.deposit(
            session,
            teller,
            account.id,
            CashMovementRequest(amount=Decimal(saved), branch_id=branch_id),
        )
        if dni == MEMBERS[code][0][0]:  # one member also keeps a term deposit
            term = savings.open_account(session, ctx, member.id, term_product.id)
            movements.deposit(
                session,
                teller,
                term.id,
                CashMovementRequest(amount=Decimal("5000.00"), branch_id=branch_id),
            )
    products = {
        p.code: p.id
        for p in loans.list_products(session, cooperative_id, after_code=None, limit=100)
    }
    committee = CoopContext(cooperative_id, CLI, frozenset({Role.credit_committee}))
    for dni, product, amount, months, _ in LOANS[code]:
        credit = loans.create_loan(
            session,
            ctx,
            LoanCreate(
                member_id=members[dni],
                product_id=products[product],
                amount=Decimal(amount),
                tea=Decimal("0.24"),
                term=months,
                purpose=Purpose.business if product == "MYPE" else Purpose.consumption,
            ),
        )
        loans.submit(session, ctx, credit.id)
        loans.approve(session, committee, credit.id, "Aprobado en comité")
        loans.disburse(session, teller, credit.id, None, branch_id)
