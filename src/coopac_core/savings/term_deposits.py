"""Term deposits (plazo fijo) through close of business and at the counter: each day's share
of the interest at maturity (``savings.interest.day_accrual``), what happens at maturity,
early cancellation."""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import text
from sqlmodel import Session, col, select

from coopac_core.audit import service as audit_service
from coopac_core.day_steps import Chunk, Span, Step, read_once
from coopac_core.federation.service import get_cooperative
from coopac_core.ledger import service as ledger
from coopac_core.ledger.chart import INTEREST_EXPENSE_GL, INTEREST_PAYABLE_GL
from coopac_core.ledger.models import EntryKind
from coopac_core.savings.errors import InsufficientFunds, NotATermDeposit, TermNotMatured
from coopac_core.savings.interest import day_accrual, term_interest
from coopac_core.savings.models import (
    AccountStatus,
    EarlyWithdrawal,
    MaturityInstruction,
    ProductKind,
    SavingsAccount,
    SavingsAccrual,
    SavingsCapitalisation,
    SavingsProduct,
)
from coopac_core.savings.schemas import (
    MaturityInstructionChange,
    TermCancellation,
    TermCancellationOut,
)
from coopac_core.savings.service import (
    check_payout,
    get_product,
    lock_savings_account,
    lock_savings_accounts,
)
from coopac_core.security.principal import CoopContext

ZERO = Decimal("0.00")


# --- close of business: accrual ---------------------------------------------------------


def _term_products(session: Session, cooperative_id: uuid.UUID) -> dict[uuid.UUID, SavingsProduct]:
    return read_once(
        session,
        ("term_products", cooperative_id),
        lambda: {
            p.id: p
            for p in session.exec(
                select(SavingsProduct).where(
                    SavingsProduct.cooperative_id == cooperative_id,
                    SavingsProduct.kind == ProductKind.term,
                )
            )
        },
    )


def accrue(session: Session, ctx: CoopContext, day: date, span: Span, limit: int) -> Chunk:
    """Each placed term deposit's share of the day. Computed here (a few per cent of the
    accounts, and the formula's exact rounding), written set-based."""
    products = _term_products(session, ctx.cooperative_id)
    if not products:
        return Chunk(0, None)
    # only the columns the arithmetic needs: no account object per row
    rows = session.execute(
        text(
            "SELECT a.id, a.product_id, a.balance, a.placed_amount, a.rate, a.placed_on, "
            "a.maturity_date FROM savings_account a WHERE a.cooperative_id = :c "
            "AND a.product_id = ANY(:pids) AND a.id > :after AND a.id <= :upto "
            "AND a.placed_on <= :d AND a.maturity_date > :d "
            "AND (a.status <> 'closed' OR a.closed_on > :d) ORDER BY a.id LIMIT :limit"
        ),
        {
            "c": ctx.cooperative_id,
            "pids": list(products),
            "after": span.after,
            "upto": span.upto,
            "d": day,
            "limit": limit,
        },
    ).all()
    ids, product_ids, balances, amounts = [], [], [], []
    for account_id, product_id, balance, placed_amount, rate, placed_on, maturity in rows:
        # loaded from another system without them: the balance and the product's rate
        placed = placed_amount if placed_amount is not None else balance
        tea = rate if rate is not None else products[product_id].tea
        share = day_accrual(placed, tea, (day - placed_on).days + 1, (maturity - placed_on).days)
        if share:
            ids.append(account_id)
            product_ids.append(product_id)
            balances.append(placed)
            amounts.append(share)
    if ids:
        session.execute(
            text(
                "INSERT INTO savings_accrual (cooperative_id, account_id, accrual_date, "
                "product_id, balance, amount) SELECT :c, u.a, :d, u.p, u.b, u.x FROM "
                "unnest(CAST(:ids AS uuid[]), CAST(:pids AS uuid[]), CAST(:bals AS numeric[]), "
                "CAST(:amts AS numeric[])) AS u(a, p, b, x) ON CONFLICT DO NOTHING"
            ),
            {"c": ctx.cooperative_id, "d": day, "ids": ids, "pids": product_ids,
             "bals": balances, "amts": amounts},
        )  # fmt: skip
    last = rows[-1][0] if rows else None
    return Chunk(len(rows), str(last) if last is not None and len(rows) >= limit else None)


def _accrual_total(session: Session, ctx: CoopContext, day: date) -> int:
    return int(
        session.execute(
            text(
                "SELECT count(*) FROM savings_account a JOIN savings_product p "
                "ON p.cooperative_id = a.cooperative_id AND p.id = a.product_id "
                "WHERE a.cooperative_id = :c AND p.kind = 'term' AND a.placed_on <= :d "
                "AND a.maturity_date > :d"
            ),
            {"c": ctx.cooperative_id, "d": day},
        ).scalar_one()
    )


# --- close of business: maturity --------------------------------------------------------


def _accrued_since(session: Session, account: SavingsAccount, since: date) -> Decimal:
    total = session.execute(
        text(
            "SELECT coalesce(sum(amount), 0) FROM savings_accrual WHERE cooperative_id = :c "
            "AND account_id = :a AND accrual_date >= :since"
        ),
        {"c": account.cooperative_id, "a": account.id, "since": since},
    ).scalar_one()
    return Decimal(total)


def mature(session: Session, ctx: CoopContext, day: date, span: Span, limit: int) -> Chunk:
    """Deposits whose last day of term is ``day`` are paid their interest and follow their
    instruction; the entries are dated the maturity date (the next day)."""
    products = _term_products(session, ctx.cooperative_id)
    if not products:
        return Chunk(0, None)
    maturity = day + timedelta(days=1)
    ids = list(
        session.exec(
            select(SavingsAccount.id)
            .where(
                SavingsAccount.cooperative_id == ctx.cooperative_id,
                col(SavingsAccount.product_id).in_(list(products)),
                SavingsAccount.maturity_date == maturity,
                SavingsAccount.status != AccountStatus.closed,
                col(SavingsAccount.id) > span.after,
                col(SavingsAccount.id) <= span.upto,
            )
            .order_by(col(SavingsAccount.id))
            .limit(limit)
        )
    )
    for account_id in ids:
        _pay_at_maturity(session, ctx, account_id, products, day, maturity)
    return Chunk(len(ids), str(ids[-1]) if ids and len(ids) >= limit else None)


def _pay_at_maturity(
    session: Session,
    ctx: CoopContext,
    account_id: uuid.UUID,
    products: dict[uuid.UUID, SavingsProduct],
    day: date,
    maturity: date,
) -> None:
    coop_id = ctx.cooperative_id
    account = lock_savings_account(session, coop_id, account_id)
    if session.get(SavingsCapitalisation, (coop_id, account.id, day)) is not None:
        return  # paid already (a resumed chunk)
    product = products[account.product_id]
    assert account.placed_on is not None
    interest = _accrued_since(session, account, account.placed_on)
    instruction = MaturityInstruction(account.maturity_instruction or MaturityInstruction.renew)
    payout = None
    if instruction is not MaturityInstruction.renew and account.payout_account_id is not None:
        payout = lock_savings_accounts(session, coop_id, [account.payout_account_id]).get(
            account.payout_account_id
        )
        if payout is None or payout.status in (AccountStatus.closed, AccountStatus.blocked):
            payout = None  # nowhere to pay: the money stays here, matured, for the holder
    payable = ledger.gl_account_for(session, coop_id, INTEREST_PAYABLE_GL, account.currency)
    own_gl = ledger.get_gl_account(session, coop_id, account.gl_account_id)
    entry_id = None
    if interest > 0:
        to = (
            payout
            if payout is not None and instruction is MaturityInstruction.renew_principal
            else account
        )
        to_gl = ledger.get_gl_account(session, coop_id, to.gl_account_id)
        entry, _ = ledger.post_entry(
            session,
            ctx,
            EntryKind.interest,
            [ledger.Leg(payable, interest), ledger.Leg(to_gl, -interest, to)],
            description=f"Intereses del plazo fijo {account.number}",
            business_date=maturity,
        )
        entry_id = entry.id
    session.add(
        SavingsCapitalisation(
            cooperative_id=coop_id,
            account_id=account.id,
            period_end=day,
            product_id=account.product_id,
            accrued=interest,
            amount=interest,
            carried=Decimal(0),
            journal_entry_id=entry_id,
        )
    )
    if payout is not None and instruction is MaturityInstruction.transfer:
        everything = account.balance
        payout_gl = ledger.get_gl_account(session, coop_id, payout.gl_account_id)
        ledger.post_entry(
            session,
            ctx,
            EntryKind.transfer,
            [ledger.Leg(own_gl, everything, account), ledger.Leg(payout_gl, -everything, payout)],
            description=f"Vencimiento del plazo fijo {account.number}",
            business_date=maturity,
        )
        account.status = AccountStatus.closed
        account.closed_on = maturity
    elif payout is not None or instruction is MaturityInstruction.renew:
        # placed again for the same term at the product's TEA of today
        account.placed_on = maturity
        account.maturity_date = maturity + timedelta(days=product.term_days or 0)
        account.placed_amount = account.balance
        account.rate = product.tea
    session.add(account)
    session.flush()


def _maturity_total(session: Session, ctx: CoopContext, day: date) -> int:
    return int(
        session.execute(
            text(
                "SELECT count(*) FROM savings_account a JOIN savings_product p "
                "ON p.cooperative_id = a.cooperative_id AND p.id = a.product_id "
                "WHERE a.cooperative_id = :c AND p.kind = 'term' AND a.maturity_date = :m "
                "AND a.status <> 'closed'"
            ),
            {"c": ctx.cooperative_id, "m": day + timedelta(days=1)},
        ).scalar_one()
    )


ACCRUAL = Step("term_deposit_accrual", 15, _accrual_total, accrue, parallel=True)
MATURITY = Step("term_deposit_maturity", 25, _maturity_total, mature)


# --- at the counter -------------------------------------------------------------------


def _placed(
    session: Session, ctx: CoopContext, account_id: uuid.UUID
) -> tuple[SavingsAccount, SavingsProduct]:
    account = lock_savings_account(session, ctx.cooperative_id, account_id)
    product = get_product(session, ctx.cooperative_id, account.product_id)
    if product.kind != ProductKind.term:
        raise NotATermDeposit(reason="es una cuenta a la vista")
    if account.status == AccountStatus.closed:
        raise NotATermDeposit(reason="está cerrada")
    return account, product


def change_instruction(
    session: Session, ctx: CoopContext, account_id: uuid.UUID, data: MaturityInstructionChange
) -> SavingsAccount:
    """Changeable until the day before maturity (the close of business of that day pays)."""
    account, _ = _placed(session, ctx, account_id)
    today = get_cooperative(session, ctx.cooperative_id).business_date
    if account.maturity_date is not None and today >= account.maturity_date:
        raise NotATermDeposit(reason="ya venció")
    check_payout(session, account, data.maturity_instruction, data.payout_account_id)
    account.maturity_instruction = data.maturity_instruction
    account.payout_account_id = data.payout_account_id
    session.add(account)
    audit_service.record(
        session,
        ctx.principal,
        "savings_account.maturity_instruction",
        "savings_account",
        account.id,
        cooperative_id=ctx.cooperative_id,
        details=data.model_dump(mode="json"),
    )
    session.flush()
    return account


def cancel(
    session: Session,
    ctx: CoopContext,
    account_id: uuid.UUID,
    data: TermCancellation,
    to: ledger.OtherSide,
) -> TermCancellationOut:
    """Early cancellation, as the product says: forfeit_interest pays none; penalty_tea pays
    the days elapsed at that lower rate. What had accrued is given back in today's
    accruals (booked at today's close); the interest due is paid from interest expense.
    Paid out to ``to`` (cash, or a sight account of the member: flows.counter)."""
    coop_id = ctx.cooperative_id
    account, product = _placed(session, ctx, account_id)
    today = get_cooperative(session, coop_id).business_date
    if account.placed_on is None or account.maturity_date is None:
        raise NotATermDeposit(reason="no tiene depósito colocado")
    if today >= account.maturity_date:
        raise NotATermDeposit(reason="ya venció: se retira con un retiro")
    if product.early_withdrawal == EarlyWithdrawal.not_allowed:
        raise TermNotMatured(maturity_date=account.maturity_date)
    if account.held_amount > 0 or account.status == AccountStatus.blocked:
        raise InsufficientFunds()
    principal = account.balance
    elapsed = (today - account.placed_on).days
    interest = ZERO
    if product.early_withdrawal == EarlyWithdrawal.penalty_tea and product.penalty_tea:
        interest = term_interest(account.placed_amount or principal, product.penalty_tea, elapsed)
    accrued = _accrued_since(session, account, account.placed_on)
    if accrued:
        session.add(
            SavingsAccrual(
                cooperative_id=coop_id,
                account_id=account.id,
                accrual_date=today,
                product_id=account.product_id,
                balance=principal,
                amount=-accrued,
            )
        )
    own_gl = ledger.get_gl_account(session, coop_id, account.gl_account_id)
    paid_out = principal + interest
    paid = to(-paid_out, account.currency, account.member_id)
    legs = [ledger.Leg(own_gl, principal, account), paid.leg]
    if interest:
        expense = ledger.gl_account_for(session, coop_id, INTEREST_EXPENSE_GL, account.currency)
        legs.append(ledger.Leg(expense, interest))
    entry, _ = ledger.post_entry(
        session,
        ctx,
        EntryKind.withdrawal,
        legs,
        branch_id=paid.branch_id or data.branch_id,
        description=f"Cancelación anticipada del plazo fijo {account.number}",
        till_session_id=paid.till_session_id,
    )
    paid.posted(session, entry.business_date)
    account.status = AccountStatus.closed
    account.closed_on = today
    session.add(account)
    session.flush()
    return TermCancellationOut(
        journal_entry_id=entry.id,
        account_id=account.id,
        principal=principal,
        interest=interest,
        paid_out=paid_out,
        currency=account.currency,
        closed_on=today,
    )
