"""Savings products and accounts: opening, finding, locking, status, and the rules every
movement of a savings account obeys (``check_can_credit``, ``check_can_debit``)."""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal

from sqlalchemy import and_, text
from sqlmodel import Session, col, select

from coopac_core import database_rules as rules
from coopac_core.audit import service as audit_service
from coopac_core.db import flush_or_conflict
from coopac_core.federation.models import Cooperative
from coopac_core.federation.service import get_cooperative
from coopac_core.ledger import service as ledger
from coopac_core.ledger.chart import SAVINGS_GL
from coopac_core.ledger.errors import CurrencyMismatch
from coopac_core.ledger.models import GlAccount
from coopac_core.members.errors import MemberNotActive, MemberRequired
from coopac_core.members.models import MemberStatus
from coopac_core.members.service import get_member
from coopac_core.models_base import utcnow
from coopac_core.money import Currency, round_cents
from coopac_core.numbering import next_value, with_check_digit
from coopac_core.products import ProductExists, ProductInactive, ProductNotFound
from coopac_core.savings.errors import (
    AccountBlocked,
    AccountClosed,
    AccountNotEmpty,
    AccountNotFound,
    InsufficientFunds,
    InterestUnpaid,
    InvalidPayoutAccount,
)
from coopac_core.savings.models import (
    AccountStatus,
    MaturityInstruction,
    ProductKind,
    SavingsAccount,
    SavingsProduct,
)
from coopac_core.savings.schemas import SavingsAccountOut, SavingsProductCreate
from coopac_core.security.principal import CoopContext

# First digit of an account number tells the product kind at a glance.
_NUMBER_PREFIX = {ProductKind.sight: "2", ProductKind.term: "3"}
ZERO = Decimal("0.00")


# --- products ---------------------------------------------------------------------------


def create_product(
    session: Session, ctx: CoopContext, data: SavingsProductCreate
) -> SavingsProduct:
    gl = ledger.gl_account_for(
        session, ctx.cooperative_id, SAVINGS_GL[data.kind], data.currency.value
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
        penalty_tea=data.penalty_tea,
        min_balance_for_interest=data.min_balance_for_interest,
        dormant_after_days=data.dormant_after_days,
        gl_account_id=gl.id,
    )
    session.add(product)
    flush_or_conflict(session, ProductExists(code=data.code))
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
        raise ProductNotFound(kind="ahorro")
    return product


def list_products(
    session: Session, cooperative_id: uuid.UUID, *, after_code: str | None, limit: int
) -> list[SavingsProduct]:
    stmt = select(SavingsProduct).where(SavingsProduct.cooperative_id == cooperative_id)
    if after_code is not None:
        stmt = stmt.where(col(SavingsProduct.code) > after_code)
    return list(session.exec(stmt.order_by(col(SavingsProduct.code)).limit(limit)))


# --- accounts ---------------------------------------------------------------------------


AVAILABLE = text(
    "SELECT a.id, coopac_savings_available(a.balance, a.held_amount, p.min_balance) "
    "FROM savings_account a JOIN savings_product p ON p.cooperative_id = a.cooperative_id "
    "AND p.id = a.product_id WHERE a.cooperative_id = :c AND a.id = ANY(:ids)"
)


def available_balances(
    session: Session, cooperative_id: uuid.UUID, account_ids: list[uuid.UUID]
) -> dict[uuid.UUID, Decimal]:
    """What the holder may take out now, per account, as the database function
    ``coopac_savings_available`` (sql/functions/) states it: the debit rule and the teller's
    screen use one figure. One query for a page of accounts."""
    if not account_ids:
        return {}
    session.flush()
    rows = session.execute(AVAILABLE, {"c": cooperative_id, "ids": account_ids}).all()
    return {account_id: Decimal(amount) for account_id, amount in rows}


def available(session: Session, account: SavingsAccount) -> Decimal:
    return available_balances(session, account.cooperative_id, [account.id])[account.id]


def accrued_interest(
    session: Session, cooperative_id: uuid.UUID, account_ids: list[uuid.UUID]
) -> dict[uuid.UUID, Decimal]:
    """Interest accrued and not yet paid in, per account: what the last month's rounding
    carried, and every day accrued since (unrounded). One query for a page of accounts."""
    if not account_ids:
        return {}
    rows = session.execute(
        text(
            "SELECT a.id, coalesce(k.carried, 0) + coalesce((SELECT sum(s.amount) "
            "  FROM savings_accrual s WHERE s.cooperative_id = a.cooperative_id "
            "  AND s.account_id = a.id AND s.accrual_date > coalesce(k.period_end, "
            "  DATE '0001-01-01')), 0) "
            "FROM savings_account a LEFT JOIN LATERAL (SELECT c.carried, c.period_end "
            "  FROM savings_capitalisation c WHERE c.cooperative_id = a.cooperative_id "
            "  AND c.account_id = a.id ORDER BY c.period_end DESC LIMIT 1) k ON true "
            "WHERE a.cooperative_id = :c AND a.id = ANY(:ids)"
        ),
        {"c": cooperative_id, "ids": account_ids},
    ).all()
    return {account_id: Decimal(amount) for account_id, amount in rows}


def account_out(
    session: Session,
    account: SavingsAccount,
    accrued: Decimal | None = None,
    available_balance: Decimal | None = None,
) -> SavingsAccountOut:
    """The account as its holder and the teller see it; a page passes the figures it read
    in one query per page (``accrued_interest``, ``available_balances``)."""
    product = get_product(session, account.cooperative_id, account.product_id)
    if accrued is None:
        accrued = accrued_interest(session, account.cooperative_id, [account.id]).get(
            account.id, Decimal(0)
        )
    if available_balance is None:
        available_balance = available(session, account)
    return SavingsAccountOut(
        id=account.id,
        number=account.number,
        member_id=account.member_id,
        product_id=account.product_id,
        product_code=product.code,
        product_name=product.name,
        kind=ProductKind(product.kind),
        currency=Currency(account.currency),
        status=AccountStatus(account.status),
        balance=account.balance,
        available_balance=available_balance,
        held_amount=account.held_amount,
        opened_on=account.opened_on,
        placed_on=account.placed_on,
        maturity_date=account.maturity_date,
        closed_on=account.closed_on,
        placed_amount=account.placed_amount,
        rate=account.rate,
        maturity_instruction=account.maturity_instruction,
        payout_account_id=account.payout_account_id,
        accrued_interest=round_cents(accrued),
    )


def check_payout(
    session: Session,
    account: SavingsAccount,
    instruction: MaturityInstruction,
    payout_account_id: uuid.UUID | None,
) -> None:
    """A term deposit pays out to a sight account of its own member, in its currency."""
    if instruction is MaturityInstruction.renew and payout_account_id is None:
        return
    if payout_account_id is None:
        raise InvalidPayoutAccount(f"{instruction.value} necesita payout_account_id")
    payout = session.get(SavingsAccount, (account.cooperative_id, payout_account_id))
    if payout is None or payout.member_id != account.member_id:
        raise InvalidPayoutAccount("La cuenta de abono debe ser del mismo socio")
    product = get_product(session, account.cooperative_id, payout.product_id)
    if product.kind != ProductKind.sight or payout.currency != account.currency:
        raise InvalidPayoutAccount("La cuenta de abono es de ahorro a la vista, en la misma moneda")
    if payout.status == AccountStatus.closed:
        raise InvalidPayoutAccount("La cuenta de abono está cerrada")


def open_account(
    session: Session,
    ctx: CoopContext,
    member_id: uuid.UUID,
    product_id: uuid.UUID,
    maturity_instruction: MaturityInstruction | None = None,
    payout_account_id: uuid.UUID | None = None,
) -> SavingsAccount:
    member = get_member(session, ctx.cooperative_id, member_id)
    if member.status not in (MemberStatus.active, MemberStatus.applicant):
        raise MemberNotActive(status=member.status)
    coop = get_cooperative(session, ctx.cooperative_id)
    if not member.is_member and not coop.operates_with_non_members:
        raise MemberRequired(who="el titular")
    product = get_product(session, ctx.cooperative_id, product_id)
    if not product.is_active:
        raise ProductInactive()
    is_term = product.kind == ProductKind.term
    if not is_term and (maturity_instruction is not None or payout_account_id is not None):
        raise InvalidPayoutAccount("Una cuenta a la vista no tiene instrucción de vencimiento")
    seq = next_value(session, ctx.cooperative_id, "savings_account")
    account = SavingsAccount(
        cooperative_id=ctx.cooperative_id,
        number=with_check_digit(f"{_NUMBER_PREFIX[ProductKind(product.kind)]}{seq:08d}"),
        member_id=member.id,
        product_id=product.id,
        currency=product.currency,
        gl_account_id=product.gl_account_id,
        opened_on=coop.business_date,
    )
    if is_term:
        instruction = maturity_instruction or MaturityInstruction.renew
        check_payout(session, account, instruction, payout_account_id)
        account.maturity_instruction = instruction
        account.payout_account_id = payout_account_id
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
        raise AccountNotFound()
    return account


def list_member_accounts(
    session: Session,
    cooperative_id: uuid.UUID,
    member_id: uuid.UUID,
    *,
    after_number: str | None,
    limit: int,
) -> list[SavingsAccount]:
    get_member(session, cooperative_id, member_id)
    stmt = select(SavingsAccount).where(
        SavingsAccount.cooperative_id == cooperative_id, SavingsAccount.member_id == member_id
    )
    if after_number is not None:
        stmt = stmt.where(col(SavingsAccount.number) > after_number)
    return list(session.exec(stmt.order_by(col(SavingsAccount.number)).limit(limit)))


def lock_savings_accounts(
    session: Session, cooperative_id: uuid.UUID, ids: list[uuid.UUID]
) -> dict[uuid.UUID, SavingsAccount]:
    """Lock savings accounts in id order (two transfers between the same accounts cannot
    deadlock), and load their products, control accounts and cooperative (its business
    date) in the same round trip: ``get_product``, ``ledger.get_gl_account`` and
    ``ledger.post_entry`` then find them in the session. The ledger's own
    ``lock_member_accounts`` locks in the same order, so the two never deadlock."""
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


def lock_savings_account(
    session: Session, cooperative_id: uuid.UUID, account_id: uuid.UUID
) -> SavingsAccount:
    account = lock_savings_accounts(session, cooperative_id, [account_id]).get(account_id)
    if account is None:
        raise AccountNotFound()
    return account


def set_status(
    session: Session, ctx: CoopContext, account_id: uuid.UUID, status: AccountStatus
) -> SavingsAccount:
    account = lock_savings_account(session, ctx.cooperative_id, account_id)
    if account.status == AccountStatus.closed:
        raise AccountClosed()
    if status is AccountStatus.closed:
        if account.balance != 0 or account.held_amount != 0:
            raise AccountNotEmpty()
        owed = round_cents(
            accrued_interest(session, ctx.cooperative_id, [account.id]).get(account.id, Decimal(0))
        )
        if owed > 0:
            raise InterestUnpaid(amount=f"{owed:.2f}")
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
        details={"from": previous, "to": status.value},
    )
    session.flush()
    return account


# --- the rules of a movement ------------------------------------------------------------


def check_currency(account: SavingsAccount, currency: Currency | str | None) -> None:
    if currency is not None and Currency(currency) != account.currency:
        raise CurrencyMismatch(reason=f"la cuenta es en {account.currency}, no en {currency}")


CHECK_CREDIT = text("SELECT coopac_savings_check_credit(:status, :kind, :placed)")
CHECK_DEBIT = text(
    "SELECT coopac_savings_check_debit(:status, :kind, :early, :maturity, :today, :balance, "
    ":held, :min_balance, :amount)"
)


def check_can_credit(session: Session, account: SavingsAccount, product: SavingsProduct) -> None:
    """The credit rules of a savings account: the database function the one-call deposit
    and transfer run (sql/functions/), so they are written once."""
    rules.call(
        session,
        CHECK_CREDIT,
        {"status": account.status, "kind": product.kind, "placed": account.placed_on},
    )


AFTER_CREDIT = text("SELECT coopac_savings_after_credit(:c, :a, :d)")
MOVED = text("SELECT coopac_savings_moved(:c, :a, :d)")
# what those functions may change, so that the session reads it again
_MOVEMENT_FIELDS = [
    "status",
    "last_movement_on",
    "placed_on",
    "maturity_date",
    "placed_amount",
    "rate",
]


def after_credit(session: Session, account: SavingsAccount, day: date) -> None:
    """After a credit by or for the holder is posted: the database function
    ``coopac_savings_after_credit`` (sql/functions/), which the one-call deposit and
    transfer run, wakes a dormant account, dates its last movement and places a term
    deposit with the balance it now holds."""
    session.execute(AFTER_CREDIT, {"c": account.cooperative_id, "a": account.id, "d": day})
    session.expire(account, _MOVEMENT_FIELDS)


def moved_by_holder(session: Session, account: SavingsAccount, day: date) -> None:
    """After the holder's debit is posted: ``coopac_savings_moved`` dates the account's last
    movement, from which dormancy counts."""
    session.execute(MOVED, {"c": account.cooperative_id, "a": account.id, "d": day})
    session.expire(account, _MOVEMENT_FIELDS)


def guard_reversal(session: Session, account: SavingsAccount, delta: Decimal) -> None:
    """A reversal obeys the account's rules: it does not take money a hold keeps (a court
    order), nor move a blocked or closed account. The product's minimum balance is a rule
    for the holder's withdrawals; undoing a deposit made in error may go below it."""
    if account.status == AccountStatus.blocked:
        raise AccountBlocked()
    if account.status == AccountStatus.closed:
        raise AccountClosed()
    if delta < 0 and -delta > account.balance - account.held_amount:
        raise InsufficientFunds()


MEMBER_DEBITABLE = text("SELECT coopac_member_debitable(:c, :m)")


def check_can_debit(
    session: Session, account: SavingsAccount, product: SavingsProduct, amount: Decimal
) -> None:
    """The debit rules of a savings account (its holder not deceased nor withdrawn, its
    status, a term deposit's, what is available): the database functions the one-call
    transfer runs (sql/functions/)."""
    rules.call(session, MEMBER_DEBITABLE, {"c": account.cooperative_id, "m": account.member_id})
    rules.call(
        session,
        CHECK_DEBIT,
        {
            "status": account.status,
            "kind": product.kind,
            "early": product.early_withdrawal,
            "maturity": account.maturity_date,
            "today": get_cooperative(session, account.cooperative_id).business_date,
            "balance": account.balance,
            "held": account.held_amount,
            "min_balance": product.min_balance,
            "amount": amount,
        },
    )
