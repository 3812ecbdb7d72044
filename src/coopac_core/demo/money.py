"""The demo's money: the tills' cash, savings and loan products, members with share
capital, savings and loans, as a cooperative's staff would book them."""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal

from sqlmodel import Session, select

from coopac_core.demo.data import CLI, LOANS, MEMBERS, RESERVES, USERS
from coopac_core.federation.models import Branch, Cooperative
from coopac_core.flows import adjustment, admission, counter
from coopac_core.ledger.schemas import AdjustmentCreate, AdjustmentLine
from coopac_core.loans import service as loans
from coopac_core.loans.classification import CreditType
from coopac_core.loans.models import Purpose
from coopac_core.loans.schedule import Frequency, Method
from coopac_core.loans.schemas import LoanCreate, LoanProductCreate
from coopac_core.members.schemas import MemberCreate
from coopac_core.money import Currency
from coopac_core.savings import service as savings
from coopac_core.savings.models import EarlyWithdrawal, ProductKind
from coopac_core.savings.schemas import CashMovementRequest, SavingsProductCreate
from coopac_core.security.models import StaffUser
from coopac_core.security.principal import CoopContext, Principal
from coopac_core.security.roles import Role
from coopac_core.shares import service as shares
from coopac_core.shares.schemas import SharePayment
from coopac_core.tellers import service as tellers
from coopac_core.tellers.models import SessionStatus, Till, TillSession
from coopac_core.tellers.schemas import BankMovement, Count, TillCreate, TillTransferCreate


def teller_acting(
    session: Session, code: str, coop_id: uuid.UUID, username: str | None = None
) -> CoopContext:
    """A demo teller acting (the cooperative's first, at its first branch, by default): cash
    moves at a person's open till."""
    names = [u for u, roles, c, _ in USERS if c == code and Role.teller in roles]
    name = next(u for u in names if username in (None, u))
    return staff_acting(session, code, coop_id, Role.teller, name)


def staff_acting(
    session: Session, code: str, coop_id: uuid.UUID, role: Role, username: str | None = None
) -> CoopContext:
    """A demo user of the cooperative acting in ``role`` (its first who holds it, by
    default), at their branch if they have one: a person, whom a rule for two people tells
    apart from another."""
    name, branch_code = next(
        (u, b) for u, roles, c, b in USERS if c == code and role in roles and username in (None, u)
    )
    user = session.exec(select(StaffUser).where(StaffUser.username == name)).one()
    branches = {}
    if branch_code is not None:
        branch = session.exec(
            select(Branch).where(Branch.cooperative_id == coop_id, Branch.code == branch_code)
        ).one()
        branches[coop_id] = branch.id
    principal = Principal(
        name=name,
        full_name=user.full_name,
        user_id=user.id,
        home_cooperative_id=coop_id,
        cooperative_roles={coop_id: frozenset({role})},
        branches=branches,
    )
    return CoopContext(coop_id, principal, frozenset({role}))


# What the vault brings from the bank for a demo teller's till on its first day.
DEMO_TILL_CASH = {Currency.PEN: Decimal("150000.00"), Currency.USD: Decimal("15000.00")}


def open_tills(session: Session, code: str, coop_id: uuid.UUID) -> None:
    """Every demo teller's till open on the business date, as a branch's morning does it
    (the first day: the till made, cash from the bank to the vault, sent to the till and
    received by the teller), so that one can try the counter at once."""
    supervisor = CoopContext(coop_id, CLI, frozenset({Role.manager}))
    today = session.exec(select(Cooperative).where(Cooperative.id == coop_id)).one().business_date
    for username, roles, c, _ in USERS:
        if c != code or Role.teller not in roles:
            continue
        teller = teller_acting(session, code, coop_id, username)
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
            close_tills(session, coop_id)
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


def close_tills(session: Session, coop_id: uuid.UUID) -> None:
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


def acting_in(cooperative_id: uuid.UUID) -> CoopContext:
    return CoopContext(cooperative_id, CLI, frozenset({Role.federation_admin}))


def load_money(
    session: Session, code: str, cooperative_id: uuid.UUID, branch_id: uuid.UUID
) -> None:
    """Savings and loan products; members with share capital, savings and loans, at the
    cooperative's first branch; the cash by its teller, at their till."""
    ctx = acting_in(cooperative_id)
    teller = teller_acting(session, code, cooperative_id)
    adjustment.post_adjustment(
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
        counter.deposit(
            session,
            teller,
            account.id,
            CashMovementRequest(amount=Decimal(saved), branch_id=branch_id),
        )
        if dni == MEMBERS[code][0][0]:  # one member also keeps a term deposit
            term = savings.open_account(session, ctx, member.id, term_product.id)
            counter.deposit(
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
        cash = counter.other_side(session, teller, branch_id=branch_id, account_id=None)
        loans.disburse(session, teller, credit.id, cash, branch_id)
