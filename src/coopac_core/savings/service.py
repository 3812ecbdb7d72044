"""Savings products and accounts: opening, deposits, withdrawals, transfers, holds."""

from __future__ import annotations

import uuid
from datetime import timedelta
from decimal import Decimal

from sqlalchemy import and_
from sqlmodel import Session, col, select

from coopac_core.audit import service as audit_service
from coopac_core.db import flush_or_conflict
from coopac_core.errors import Conflict, NotFound, Unprocessable
from coopac_core.federation.models import Cooperative
from coopac_core.federation.service import get_cooperative
from coopac_core.ledger import service as ledger
from coopac_core.ledger.chart import SAVINGS_GL, code_for
from coopac_core.ledger.models import GlAccount
from coopac_core.ledger.schemas import Movement
from coopac_core.members.service import get_member
from coopac_core.models_base import utcnow
from coopac_core.money import Currency, check_amount
from coopac_core.numbering import next_value, with_check_digit
from coopac_core.savings.models import SavingsAccount, SavingsHold, SavingsProduct
from coopac_core.savings.schemas import (
    CashMovementRequest,
    HoldCreate,
    SavingsAccountOut,
    SavingsProductCreate,
    TransferOut,
    TransferRequest,
)
from coopac_core.security.deps import CoopContext
from coopac_core.tellers.service import branch_cash

# First digit of an account number tells the product kind at a glance.
_NUMBER_PREFIX = {"sight": "2", "term": "3"}


# --- products ---------------------------------------------------------------------------


def create_product(
    session: Session, ctx: CoopContext, data: SavingsProductCreate
) -> SavingsProduct:
    gl = ledger.gl_account_by_code(
        session, ctx.cooperative_id, code_for(SAVINGS_GL[data.kind], data.currency)
    )
    product = SavingsProduct(
        cooperative_id=ctx.cooperative_id,
        code=data.code,
        name=data.name,
        kind=data.kind,
        currency=data.currency.value,
        tea=data.tea,
        min_balance=data.min_balance,
        term_days=data.term_days,
        early_withdrawal=data.early_withdrawal,
        gl_account_id=gl.id,
    )
    session.add(product)
    flush_or_conflict(
        session, Conflict(f"Ya existe el producto {data.code}", code="product_exists")
    )
    audit_service.record(
        session,
        ctx.principal,
        "savings_product.create",
        "savings_product",
        product.id,
        cooperative_id=ctx.cooperative_id,
        details=data.model_dump(mode="json"),
    )
    return product


def get_product(
    session: Session, cooperative_id: uuid.UUID, product_id: uuid.UUID
) -> SavingsProduct:
    product = session.get(SavingsProduct, (cooperative_id, product_id))
    if product is None:
        raise NotFound("Producto de ahorro no encontrado", code="product_not_found")
    return product


def list_products(
    session: Session, cooperative_id: uuid.UUID, *, after_code: str | None, limit: int
) -> list[SavingsProduct]:
    stmt = select(SavingsProduct).where(SavingsProduct.cooperative_id == cooperative_id)
    if after_code is not None:
        stmt = stmt.where(col(SavingsProduct.code) > after_code)
    return list(session.exec(stmt.order_by(col(SavingsProduct.code)).limit(limit)))


# --- accounts ---------------------------------------------------------------------------


def available(account: SavingsAccount, product: SavingsProduct) -> Decimal:
    """What the holder may take out: balance less holds and the product's minimum."""
    return account.balance - account.held_amount - product.min_balance


def account_out(session: Session, account: SavingsAccount) -> SavingsAccountOut:
    product = get_product(session, account.cooperative_id, account.product_id)
    return SavingsAccountOut(
        id=account.id,
        number=account.number,
        member_id=account.member_id,
        product_id=account.product_id,
        kind=product.kind,
        currency=account.currency,
        status=account.status,
        balance=account.balance,
        available_balance=account.balance - account.held_amount,
        held_amount=account.held_amount,
        opened_on=account.opened_on,
        placed_on=account.placed_on,
        maturity_date=account.maturity_date,
        closed_on=account.closed_on,
    )


def open_account(
    session: Session, ctx: CoopContext, member_id: uuid.UUID, product_id: uuid.UUID
) -> SavingsAccount:
    member = get_member(session, ctx.cooperative_id, member_id)
    if member.status not in ("active", "applicant"):
        raise Unprocessable(f"El socio está en estado {member.status}", code="member_not_active")
    product = get_product(session, ctx.cooperative_id, product_id)
    if not product.is_active:
        raise Unprocessable("El producto no está vigente", code="product_inactive")
    seq = next_value(session, ctx.cooperative_id, "savings_account")
    account = SavingsAccount(
        cooperative_id=ctx.cooperative_id,
        number=with_check_digit(f"{_NUMBER_PREFIX[product.kind]}{seq:08d}"),
        member_id=member.id,
        product_id=product.id,
        currency=product.currency,
        gl_account_id=product.gl_account_id,
        opened_on=get_cooperative(session, ctx.cooperative_id).business_date,
    )
    session.add(account)
    audit_service.record(
        session,
        ctx.principal,
        "savings_account.open",
        "savings_account",
        account.id,
        cooperative_id=ctx.cooperative_id,
        details={"number": account.number, "member_id": str(member.id), "product": product.code},
    )
    session.flush()
    return account


def get_account(
    session: Session, cooperative_id: uuid.UUID, account_id: uuid.UUID
) -> SavingsAccount:
    account = session.get(SavingsAccount, (cooperative_id, account_id))
    if account is None:
        raise NotFound("Cuenta de ahorro no encontrada", code="account_not_found")
    return account


def lock_accounts(
    session: Session, cooperative_id: uuid.UUID, ids: list[uuid.UUID]
) -> dict[uuid.UUID, SavingsAccount]:
    """Lock savings accounts in id order (two transfers between the same accounts cannot
    deadlock), and load their products, control accounts and cooperative (its business
    date) in the same round trip: ``get_product``, ``ledger.get_gl_account`` and
    ``ledger.post_entry`` then find them in the session."""
    rows = session.exec(
        select(SavingsAccount, SavingsProduct, GlAccount, Cooperative)
        .join(
            SavingsProduct,
            and_(
                col(SavingsProduct.cooperative_id) == SavingsAccount.cooperative_id,
                col(SavingsProduct.id) == SavingsAccount.product_id,
            ),
        )
        .join(
            GlAccount,
            and_(
                col(GlAccount.cooperative_id) == SavingsAccount.cooperative_id,
                col(GlAccount.id) == SavingsAccount.gl_account_id,
            ),
        )
        .join(Cooperative, col(Cooperative.id) == SavingsAccount.cooperative_id)
        .where(
            SavingsAccount.cooperative_id == cooperative_id,
            col(SavingsAccount.id).in_(sorted(set(ids))),
        )
        .order_by(col(SavingsAccount.id))
        .with_for_update(of=SavingsAccount)
        .execution_options(populate_existing=True)
    ).all()
    # The session holds loaded objects weakly: keep them alive for the transaction, or
    # the later lookups would go back to the database.
    session.info.setdefault("pinned", []).extend(rows)
    return {row[0].id: row[0] for row in rows}


def lock_account(
    session: Session, cooperative_id: uuid.UUID, account_id: uuid.UUID
) -> SavingsAccount:
    account = lock_accounts(session, cooperative_id, [account_id]).get(account_id)
    if account is None:
        raise NotFound("Cuenta de ahorro no encontrada", code="account_not_found")
    return account


def _check_currency(account: SavingsAccount, currency: Currency | None) -> None:
    if currency is not None and currency.value != account.currency:
        raise Unprocessable(
            f"La cuenta es en {account.currency}, no en {currency.value}", code="currency_mismatch"
        )


def check_can_credit(session: Session, account: SavingsAccount, product: SavingsProduct) -> None:
    if account.status == "blocked":
        raise Unprocessable("La cuenta está bloqueada", code="account_blocked")
    if account.status == "closed":
        raise Unprocessable("La cuenta está cerrada", code="account_closed")
    if product.kind == "term" and account.placed_on is not None:
        raise Unprocessable(
            "Un plazo fijo recibe un solo depósito, al abrirse", code="term_deposit_placed"
        )


def _after_credit(session: Session, account: SavingsAccount, product: SavingsProduct) -> None:
    # A movement by the holder wakes a dormant account.
    if account.status == "dormant":
        account.status = "active"
    if product.kind == "term" and account.placed_on is None:
        today = get_cooperative(session, account.cooperative_id).business_date
        account.placed_on = today
        account.maturity_date = today + timedelta(days=product.term_days or 0)


def check_can_debit(
    session: Session, account: SavingsAccount, product: SavingsProduct, amount: Decimal
) -> None:
    if account.status == "blocked":
        raise Unprocessable("La cuenta está bloqueada", code="account_blocked")
    if account.status == "closed":
        raise Unprocessable("La cuenta está cerrada", code="account_closed")
    if account.status == "dormant":
        raise Unprocessable(
            "La cuenta está inactiva; reactívela antes de retirar", code="account_dormant"
        )
    if product.kind == "term":
        today = get_cooperative(session, account.cooperative_id).business_date
        matured = account.maturity_date is not None and today >= account.maturity_date
        if not matured and product.early_withdrawal == "not_allowed":
            raise Unprocessable(
                f"El plazo fijo vence el {account.maturity_date}", code="term_not_matured"
            )
        if amount != account.balance - account.held_amount or account.held_amount:
            raise Unprocessable("Un plazo fijo se retira completo", code="term_partial_withdrawal")
    if amount > available(account, product):
        raise Unprocessable("Saldo disponible insuficiente", code="insufficient_funds")


def deposit(
    session: Session, ctx: CoopContext, account_id: uuid.UUID, data: CashMovementRequest
) -> Movement:
    amount = check_amount(data.amount)
    account = lock_account(session, ctx.cooperative_id, account_id)
    _check_currency(account, data.currency)
    product = get_product(session, ctx.cooperative_id, account.product_id)
    check_can_credit(session, account, product)
    cash = branch_cash(session, ctx, data.branch_id, account.currency)
    savings_gl = ledger.get_gl_account(session, ctx.cooperative_id, account.gl_account_id)
    entry, postings = ledger.post_entry(
        session,
        ctx.principal,
        ctx.cooperative_id,
        "deposit",
        [ledger.Leg(cash, amount), ledger.Leg(savings_gl, -amount, account)],
        branch_id=data.branch_id,
        description=data.description or "Depósito en efectivo",
    )
    _after_credit(session, account, product)
    return ledger.movement(
        account, entry, postings[1], amount, account.balance - account.held_amount
    )


def withdraw(
    session: Session, ctx: CoopContext, account_id: uuid.UUID, data: CashMovementRequest
) -> Movement:
    amount = check_amount(data.amount)
    account = lock_account(session, ctx.cooperative_id, account_id)
    _check_currency(account, data.currency)
    product = get_product(session, ctx.cooperative_id, account.product_id)
    check_can_debit(session, account, product, amount)
    cash = branch_cash(session, ctx, data.branch_id, account.currency)
    savings_gl = ledger.get_gl_account(session, ctx.cooperative_id, account.gl_account_id)
    entry, postings = ledger.post_entry(
        session,
        ctx.principal,
        ctx.cooperative_id,
        "withdrawal",
        [ledger.Leg(savings_gl, amount, account), ledger.Leg(cash, -amount)],
        branch_id=data.branch_id,
        description=data.description or "Retiro en efectivo",
    )
    return ledger.movement(
        account, entry, postings[0], -amount, account.balance - account.held_amount
    )


def transfer(session: Session, ctx: CoopContext, data: TransferRequest) -> TransferOut:
    amount = check_amount(data.amount)
    if data.from_account_id == data.to_account_id:
        raise Unprocessable("Origen y destino son la misma cuenta", code="same_account")
    locked = lock_accounts(session, ctx.cooperative_id, [data.from_account_id, data.to_account_id])
    source = locked.get(data.from_account_id)
    target = locked.get(data.to_account_id)
    if source is None or target is None:
        raise NotFound("Cuenta de ahorro no encontrada", code="account_not_found")
    if source.currency != target.currency:
        raise Unprocessable("Las cuentas son de monedas distintas", code="currency_mismatch")
    _check_currency(source, data.currency)
    source_product = get_product(session, ctx.cooperative_id, source.product_id)
    target_product = get_product(session, ctx.cooperative_id, target.product_id)
    check_can_debit(session, source, source_product, amount)
    check_can_credit(session, target, target_product)
    entry, postings = ledger.post_entry(
        session,
        ctx.principal,
        ctx.cooperative_id,
        "transfer",
        [
            ledger.Leg(
                ledger.get_gl_account(session, ctx.cooperative_id, source.gl_account_id),
                amount,
                source,
            ),
            ledger.Leg(
                ledger.get_gl_account(session, ctx.cooperative_id, target.gl_account_id),
                -amount,
                target,
            ),
        ],
        description=data.description or f"Transferencia a {target.number}",
    )
    _after_credit(session, target, target_product)
    return TransferOut(
        id=postings[0].id or 0,
        journal_entry_id=entry.id,
        amount=amount,
        currency=source.currency,
        from_account_id=source.id,
        to_account_id=target.id,
        balance=source.balance,
        available_balance=source.balance - source.held_amount,
        to_balance=target.balance,
        value_date=entry.value_date,
        booked_at=entry.created_at,
        description=entry.description,
    )


def set_status(
    session: Session, ctx: CoopContext, account_id: uuid.UUID, status: str
) -> SavingsAccount:
    account = lock_account(session, ctx.cooperative_id, account_id)
    if account.status == "closed":
        raise Conflict("La cuenta está cerrada", code="account_closed")
    if status == "closed":
        if account.balance != 0 or account.held_amount != 0:
            raise Conflict(
                "Solo se cierra una cuenta sin saldo ni retenciones", code="account_not_empty"
            )
        account.closed_on = get_cooperative(session, ctx.cooperative_id).business_date
    previous = account.status
    account.status = status
    account.updated_at = utcnow()
    session.add(account)
    audit_service.record(
        session,
        ctx.principal,
        "savings_account.status",
        "savings_account",
        account.id,
        cooperative_id=ctx.cooperative_id,
        details={"from": previous, "to": status},
    )
    session.flush()
    return account


def place_hold(
    session: Session, ctx: CoopContext, account_id: uuid.UUID, data: HoldCreate
) -> SavingsHold:
    amount = check_amount(data.amount)
    account = lock_account(session, ctx.cooperative_id, account_id)
    if account.status == "closed":
        raise Conflict("La cuenta está cerrada", code="account_closed")
    hold = SavingsHold(
        cooperative_id=ctx.cooperative_id,
        account_id=account.id,
        amount=amount,
        reason=data.reason,
        placed_by=ctx.principal.name,
    )
    account.held_amount += amount
    session.add_all([hold, account])
    audit_service.record(
        session,
        ctx.principal,
        "savings_hold.place",
        "savings_hold",
        hold.id,
        cooperative_id=ctx.cooperative_id,
        details={"account_id": str(account.id), "amount": str(amount), "reason": data.reason},
    )
    session.flush()
    return hold


def release_hold(
    session: Session, ctx: CoopContext, account_id: uuid.UUID, hold_id: uuid.UUID
) -> SavingsHold:
    account = lock_account(session, ctx.cooperative_id, account_id)
    hold = session.get(SavingsHold, (ctx.cooperative_id, hold_id))
    if hold is None or hold.account_id != account.id:
        raise NotFound("Retención no encontrada", code="hold_not_found")
    if hold.status != "active":
        raise Conflict("La retención ya fue liberada", code="hold_released")
    hold.status = "released"
    hold.released_by = ctx.principal.name
    hold.released_at = utcnow()
    account.held_amount -= hold.amount
    session.add_all([hold, account])
    audit_service.record(
        session,
        ctx.principal,
        "savings_hold.release",
        "savings_hold",
        hold.id,
        cooperative_id=ctx.cooperative_id,
        details={"account_id": str(account.id), "amount": str(hold.amount)},
    )
    session.flush()
    return hold


def list_holds(
    session: Session, cooperative_id: uuid.UUID, account_id: uuid.UUID
) -> list[SavingsHold]:
    get_account(session, cooperative_id, account_id)
    return list(
        session.exec(
            select(SavingsHold)
            .where(
                SavingsHold.cooperative_id == cooperative_id, SavingsHold.account_id == account_id
            )
            .order_by(col(SavingsHold.placed_at))
        )
    )


def list_member_accounts(
    session: Session, cooperative_id: uuid.UUID, member_id: uuid.UUID
) -> list[SavingsAccount]:
    return list(
        session.exec(
            select(SavingsAccount)
            .where(
                SavingsAccount.cooperative_id == cooperative_id,
                SavingsAccount.member_id == member_id,
            )
            .order_by(col(SavingsAccount.number))
        )
    )


def counterpart_leg(
    session: Session,
    ctx: CoopContext,
    *,
    amount: Decimal,
    currency: str,
    member_id: uuid.UUID,
    branch_id: uuid.UUID | None,
    account_id: uuid.UUID | None,
) -> ledger.Leg:
    """The other side of a member's movement (a share payment, a loan repayment or
    disbursement): cash at a branch, or one of the member's own savings accounts.

    ``amount`` is the leg's posting amount: positive takes money from the savings account
    (or into the till), negative pays it into the account (or out of the till).
    """
    if account_id is None:
        assert branch_id is not None
        return ledger.Leg(branch_cash(session, ctx, branch_id, currency), amount)
    account = lock_account(session, ctx.cooperative_id, account_id)
    if account.member_id != member_id:
        raise Unprocessable("La cuenta de ahorro es de otro socio", code="account_owner_mismatch")
    if account.currency != currency:
        raise Unprocessable(f"La cuenta de ahorro no es en {currency}", code="currency_mismatch")
    product = get_product(session, ctx.cooperative_id, account.product_id)
    if amount > 0:
        check_can_debit(session, account, product, amount)
    else:
        check_can_credit(session, account, product)
        _after_credit(session, account, product)
    gl = ledger.get_gl_account(session, ctx.cooperative_id, account.gl_account_id)
    return ledger.Leg(gl, amount, account)
