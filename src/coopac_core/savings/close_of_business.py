"""The savings side of close of business: each day, interest accrues on every open sight
account's end-of-day balance and is booked per product; on the last day of the month it is
paid in; accounts left unmoved fall dormant. Set-based SQL in chunks of accounts: memory
stays flat whatever their number. The formulas are ``savings.interest``'s."""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import text
from sqlmodel import Session, col, select

from coopac_core.day_steps import Chunk, Span, Step, is_month_end, read_once
from coopac_core.ledger import service as ledger
from coopac_core.ledger.chart import INTEREST_EXPENSE_GL, INTEREST_PAYABLE_GL
from coopac_core.ledger.models import EntryKind
from coopac_core.savings.interest import booked_change, daily_factor
from coopac_core.savings.models import ProductKind, SavingsAccrualBooking, SavingsProduct
from coopac_core.security.principal import CoopContext


def _sight_products(session: Session, cooperative_id: uuid.UUID) -> list[SavingsProduct]:
    return read_once(
        session,
        ("sight_products", cooperative_id),
        lambda: list(
            session.exec(
                select(SavingsProduct)
                .where(
                    SavingsProduct.cooperative_id == cooperative_id,
                    SavingsProduct.kind == ProductKind.sight,
                )
                .order_by(col(SavingsProduct.id))
            )
        ),
    )


def _next(last: uuid.UUID | None, count: int, limit: int) -> str | None:
    return str(last) if last is not None and count >= limit else None


# --- accrual ---------------------------------------------------------------------------

# A day's interest on a sight account, and whether the account earns it: the rule lives
# here, in SQL, and nowhere else (tests/savings/test_accrual_sql.py holds it to the formula
# B × ((1 + TEA)^(1/360) − 1) over generated cases). ``eod``: the end-of-day balance;
# ``factor``: interest.daily_factor of the product's TEA; ``min_balance``: the product's
# min_balance_for_interest.
EARNS_INTEREST = "eod > 0 AND eod >= min_balance AND factor > 0"
DAYS_INTEREST = "round(eod * factor, 10)"

# The balance at the end of day :d is today's less what was posted after it (tellers work on
# while the run closes earlier days): a deposit's posting is a credit (negative), so adding
# the later postings takes their movements back out.
_ACCRUE = f"""
WITH later AS (
    SELECT p.account_id, sum(p.amount) AS amount FROM posting p
    WHERE p.cooperative_id = :c AND p.gl_account_id = ANY(:gls) AND p.business_date > :d
    GROUP BY p.account_id
), rates AS (
    SELECT * FROM unnest(CAST(:pids AS uuid[]), CAST(:factors AS numeric[]),
                         CAST(:mins AS numeric[])) AS r(product_id, factor, min_balance)
), chunk AS (
    SELECT a.id, a.product_id, a.balance + coalesce(l.amount, 0) AS eod
    FROM savings_account a LEFT JOIN later l ON l.account_id = a.id
    WHERE a.cooperative_id = :c AND a.product_id = ANY(:pids)
      AND a.id > :after AND a.id <= :upto AND a.opened_on <= :d
      AND (a.status <> 'closed' OR a.closed_on > :d)
    ORDER BY a.id LIMIT :limit
), accrued AS (
    INSERT INTO savings_accrual (cooperative_id, account_id, accrual_date, product_id,
                                 balance, amount)
    SELECT :c, ch.id, :d, ch.product_id, ch.eod, {DAYS_INTEREST}
    FROM chunk ch JOIN rates r ON r.product_id = ch.product_id
    WHERE {EARNS_INTEREST}
    ON CONFLICT DO NOTHING
    RETURNING 1
)
SELECT (SELECT id FROM chunk ORDER BY id DESC LIMIT 1), (SELECT count(*) FROM chunk),
       (SELECT count(*) FROM accrued)
"""


def _accrual_total(session: Session, ctx: CoopContext, day: date) -> int:
    return int(
        session.execute(
            text(
                "SELECT count(*) FROM savings_account a JOIN savings_product p "
                "ON p.cooperative_id = a.cooperative_id AND p.id = a.product_id "
                "WHERE a.cooperative_id = :c AND p.kind = 'sight' AND a.opened_on <= :d "
                "AND (a.status <> 'closed' OR a.closed_on > :d)"
            ),
            {"c": ctx.cooperative_id, "d": day},
        ).scalar_one()
    )


def accrue(session: Session, ctx: CoopContext, day: date, span: Span, limit: int) -> Chunk:
    products = _sight_products(session, ctx.cooperative_id)
    if not products:
        return Chunk(0, None)
    last, count, _ = session.execute(
        text(_ACCRUE),
        {
            "c": ctx.cooperative_id,
            "d": day,
            "after": span.after,
            "upto": span.upto,
            "limit": limit,
            "gls": sorted({p.gl_account_id for p in products}),
            "pids": [p.id for p in products],
            "factors": [daily_factor(p.tea) for p in products],
            "mins": [p.min_balance_for_interest for p in products],
        },
    ).one()
    return Chunk(int(count), _next(last, int(count), limit))


# --- booking ---------------------------------------------------------------------------


def book(session: Session, ctx: CoopContext, day: date, span: Span, limit: int) -> Chunk:
    """One entry per product for the day: interest expense on deposits against interest
    payable on deposits, by the change of the product's rounded running total."""
    coop_id = ctx.cooperative_id
    sums = session.execute(
        text(
            "SELECT product_id, sum(amount) FROM savings_accrual "
            "WHERE cooperative_id = :c AND accrual_date = :d GROUP BY product_id "
            "ORDER BY product_id"
        ),
        {"c": coop_id, "d": day},
    ).all()
    for product_id, day_total in sums:
        if session.get(SavingsAccrualBooking, (coop_id, product_id, day)) is not None:
            continue
        before = session.execute(
            text(
                "SELECT accrued_total FROM savings_accrual_booking WHERE cooperative_id = :c "
                "AND product_id = :p AND accrual_date < :d ORDER BY accrual_date DESC LIMIT 1"
            ),
            {"c": coop_id, "p": product_id, "d": day},
        ).scalar_one_or_none() or Decimal(0)
        after = before + day_total
        amount = booked_change(before, after)
        entry_id = None
        if amount != 0:
            product = session.get(SavingsProduct, (coop_id, product_id))
            assert product is not None
            expense = ledger.gl_account_for(session, coop_id, INTEREST_EXPENSE_GL, product.currency)
            payable = ledger.gl_account_for(session, coop_id, INTEREST_PAYABLE_GL, product.currency)
            entry, _ = ledger.post_entry(
                session,
                ctx,
                EntryKind.interest_accrual,
                [ledger.Leg(expense, amount), ledger.Leg(payable, -amount)],
                description=f"Intereses devengados {product.code} {day.isoformat()}",
                business_date=day,
            )
            entry_id = entry.id
        session.add(
            SavingsAccrualBooking(
                cooperative_id=coop_id,
                product_id=product_id,
                accrual_date=day,
                accrued_total=after,
                amount=amount,
                journal_entry_id=entry_id,
            )
        )
    session.flush()
    return Chunk(len(sums), None)


def _booking_total(session: Session, ctx: CoopContext, day: date) -> int:
    return int(
        session.execute(
            text(
                "SELECT count(DISTINCT product_id) FROM savings_accrual "
                "WHERE cooperative_id = :c AND accrual_date = :d"
            ),
            {"c": ctx.cooperative_id, "d": day},
        ).scalar_one()
    )


# --- capitalisation --------------------------------------------------------------------

# What each account of the chunk has accrued since the last month's end, with what that
# month's rounding carried; the céntimos paid in (half-up) and what is carried on.
_CAPITALISE = """
WITH chunk AS (
    SELECT a.id, a.product_id FROM savings_account a
    WHERE a.cooperative_id = :c AND a.product_id = ANY(:pids)
      AND a.id > :after AND a.id <= :upto AND a.status <> 'closed'
    ORDER BY a.id LIMIT :limit
), due AS MATERIALIZED (
    SELECT ch.id AS account_id, ch.product_id,
           coalesce((SELECT sum(s.amount) FROM savings_accrual s
                     WHERE s.cooperative_id = :c AND s.account_id = ch.id
                       AND s.accrual_date > :prev AND s.accrual_date <= :d), 0)
         + coalesce((SELECT k.carried FROM savings_capitalisation k
                     WHERE k.cooperative_id = :c AND k.account_id = ch.id
                       AND k.period_end = :prev), 0) AS accrued
    FROM chunk ch
), entries AS (
    SELECT * FROM unnest(CAST(:pids AS uuid[]), CAST(:eids AS uuid[])) AS e(product_id, entry_id)
), paid AS (
    INSERT INTO savings_capitalisation (cooperative_id, account_id, period_end, product_id,
                                        accrued, amount, carried, journal_entry_id)
    SELECT :c, d.account_id, :d, d.product_id, d.accrued, round(d.accrued, 2),
           d.accrued - round(d.accrued, 2),
           CASE WHEN round(d.accrued, 2) > 0 THEN e.entry_id END
    FROM due d JOIN entries e ON e.product_id = d.product_id
    WHERE d.accrued <> 0
    ON CONFLICT DO NOTHING
    RETURNING product_id, amount
)
SELECT (SELECT id FROM chunk ORDER BY id DESC LIMIT 1), (SELECT count(*) FROM chunk),
       coalesce((SELECT json_object_agg(product_id, total) FROM
                 (SELECT product_id, sum(amount) AS total FROM paid GROUP BY product_id) t),
                '{}')
"""

# The lines of a product's interest in this chunk: credits to the accounts, with the
# balance each will have. The accounts are locked as they are read, so that no teller's
# movement slips between the balance read here and the trigger's update.
_INTEREST_LINES = """
SELECT a.gl_account_id, a.currency, -k.amount AS amount, 'savings' AS account_kind,
       a.id AS account_id, a.balance + k.amount AS balance_after
FROM savings_capitalisation k
JOIN savings_account a ON a.cooperative_id = k.cooperative_id AND a.id = k.account_id
WHERE k.cooperative_id = :c AND k.period_end = :d AND k.journal_entry_id = :e
  AND k.account_id > :after AND k.account_id <= :last
ORDER BY a.id
FOR UPDATE OF a
"""


def capitalise(session: Session, ctx: CoopContext, day: date, span: Span, limit: int) -> Chunk:
    coop_id = ctx.cooperative_id
    products = {p.id: p for p in _sight_products(session, coop_id)}
    if not products:
        return Chunk(0, None)
    entry_ids = {pid: uuid.uuid4() for pid in products}
    last, count, totals = session.execute(
        text(_CAPITALISE),
        {
            "c": coop_id,
            "d": day,
            "prev": day.replace(day=1) - timedelta(days=1),
            "after": span.after,
            "upto": span.upto,
            "limit": limit,
            "pids": list(entry_ids),
            "eids": list(entry_ids.values()),
        },
    ).one()
    for key, total in sorted(totals.items()):
        product = products[uuid.UUID(key)]
        if Decimal(str(total)) <= 0:
            continue
        ledger.post_bulk_entry(
            session,
            ctx,
            EntryKind.interest,
            business_date=day,
            description=f"Intereses del mes {product.code}",
            counterpart=ledger.gl_account_for(
                session, coop_id, INTEREST_PAYABLE_GL, product.currency
            ),
            member_lines=_INTEREST_LINES,
            params={
                "c": coop_id,
                "d": day,
                "e": entry_ids[product.id],
                "after": span.after,
                "last": last,
            },
            entry_id=entry_ids[product.id],
        )
    return Chunk(int(count), _next(last, int(count), limit))


def _capitalisation_total(session: Session, ctx: CoopContext, day: date) -> int:
    return int(
        session.execute(
            text(
                "SELECT count(*) FROM savings_account a JOIN savings_product p "
                "ON p.cooperative_id = a.cooperative_id AND p.id = a.product_id "
                "WHERE a.cooperative_id = :c AND p.kind = 'sight' AND a.status <> 'closed'"
            ),
            {"c": ctx.cooperative_id},
        ).scalar_one()
    )


# --- dormancy --------------------------------------------------------------------------


def fall_dormant(session: Session, ctx: CoopContext, day: date, span: Span, limit: int) -> Chunk:
    """A sight account its holder has not moved for the product's ``dormant_after_days``
    becomes dormant (a deposit wakes it). One statement: it touches only those."""
    moved = (
        session.connection()
        .execute(
            text(
                "UPDATE savings_account a SET status = 'dormant', updated_at = now() "
                "FROM savings_product p WHERE a.cooperative_id = :c "
                "AND p.cooperative_id = a.cooperative_id AND p.id = a.product_id "
                "AND p.kind = 'sight' AND p.dormant_after_days IS NOT NULL "
                "AND a.status = 'active' "
                "AND coalesce(a.last_movement_on, a.opened_on) + p.dormant_after_days <= :d"
            ),
            {"c": ctx.cooperative_id, "d": day},
        )
        .rowcount
    )
    return Chunk(int(moved or 0), None)


ACCRUAL = Step("savings_accrual", 10, _accrual_total, accrue, parallel=True)
BOOKING = Step("savings_accrual_booking", 20, _booking_total, book)
CAPITALISATION = Step(
    "savings_capitalisation",
    30,
    _capitalisation_total,
    capitalise,
    applies=is_month_end,
    parallel=True,
)
DORMANCY = Step("savings_dormancy", 40, lambda session, ctx, day: 0, fall_dormant)
