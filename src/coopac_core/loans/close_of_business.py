"""The loans side of close of business. Each closed day D, in order:

1. ``loan_classification``: days past due at D and the loan's SBS category;
2. ``loan_alignment``: each debtor takes the worst category of their loans (kept per month
   end in ``debtor_classification``);
3. ``loan_overdue``: principal moves between vigentes (14x1) and vencidos (14x5) as the
   credit policy says, and a suspended loan's interest receivable (14x8) is reversed out of
   income into suspense (memorandum accounts);
4. ``loan_accrual``: each installment's interest accrues its share of the day, and moratory
   interest its due on overdue principal: to income against 14x8, or into suspense;
5. ``loan_provisions`` (month end, ``loans.provisions``): the provision each loan
   requires, booked by its change, and the loan as it stood for the month's reports.

Set-based SQL over chunks of loans, each chunk locked first (tellers work on while the run
closes earlier days, and the statements after the lock read what they committed). What a
chunk writes is computed against what is already there (a target, not an increment), so a
chunk done twice writes once."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import text
from sqlmodel import Session

from coopac_core.day_steps import Chunk, Span, Step, is_month_end, read_once
from coopac_core.federation.service import get_cooperative
from coopac_core.ledger import service as ledger
from coopac_core.ledger.models import AccountPart, EntryKind
from coopac_core.loans import accounting as gl
from coopac_core.loans.classification import (
    CATEGORY_ORDER,
    CreditType,
)
from coopac_core.loans.policy import CreditPolicy, policy_of
from coopac_core.security.principal import CoopContext

ZERO = Decimal("0.00")

# ``accounting.is_suspended`` for a row of ``loan l``.
SUSPENDED_SQL = (
    "(l.accounting_status <> 'current' OR l.refinanced_from_id IS NOT NULL "
    "OR l.debtor_category IN ("
    + ", ".join(f"'{c.value}'" for c in sorted(gl.SUSPENDING_CATEGORIES))
    + "))"
)


def _policy(session: Session, ctx: CoopContext) -> CreditPolicy:
    return read_once(
        session,
        ("credit_policy", ctx.cooperative_id),
        lambda: policy_of(get_cooperative(session, ctx.cooperative_id).credit_policy),
    )


def lock_chunk(
    session: Session, ctx: CoopContext, span: Span, limit: int, where: str = "status = 'active'"
) -> list[uuid.UUID]:
    """The chunk's loans, locked in id order: a teller's payment on one of them waits for
    the chunk, or the chunk for it."""
    return list(
        session.execute(
            text(
                f"SELECT id FROM loan WHERE cooperative_id = :c AND {where} "
                "AND id > :after AND id <= :upto ORDER BY id LIMIT :limit FOR UPDATE"
            ),
            {"c": ctx.cooperative_id, "after": span.after, "upto": span.upto, "limit": limit},
        ).scalars()
    )


def chunk_params(ctx: CoopContext, day: date, ids: Sequence[uuid.UUID]) -> dict[str, Any]:
    """A chunk's parameters: its loans, and their bounds, which let the statements read
    the loans and their installments as one range of each primary key."""
    return {"c": ctx.cooperative_id, "d": day, "ids": list(ids), "first": ids[0], "last": ids[-1]}


def chunk_done(ids: Sequence[uuid.UUID], limit: int) -> Chunk:
    return Chunk(len(ids), str(ids[-1]) if ids and len(ids) >= limit else None)


def _active_total(session: Session, ctx: CoopContext, day: date) -> int:
    return int(
        session.execute(
            text("SELECT count(*) FROM loan WHERE cooperative_id = :c AND status = 'active'"),
            {"c": ctx.cooperative_id},
        ).scalar_one()
    )


def gl_ids(session: Session, ctx: CoopContext, template: str) -> dict[str, uuid.UUID]:
    return {
        cur: ledger.gl_account_for(session, ctx.cooperative_id, template, cur).id
        for cur in ("PEN", "USD")
    }


# --- 1. classification ------------------------------------------------------------------

_ORDER = "ARRAY[" + ", ".join(f"'{c.value}'" for c in CATEGORY_ORDER) + "]"

# The SBS category of days past due ``dpd`` within a credit type's bands (the most days of
# each category but the last): ``loans.classification.classify`` in SQL, held to it by
# tests/loans/test_classification_sql.py over generated cases.
CATEGORY_BY_DAYS = (
    "CASE WHEN dpd <= normal THEN 'normal' WHEN dpd <= cpp THEN 'cpp' "
    "WHEN dpd <= deficiente THEN 'deficiente' WHEN dpd <= dudoso THEN 'dudoso' "
    "ELSE 'perdida' END"
)

# Days past due at the end of D: the oldest installment due before D not fully paid by D
# (``paid_on`` is the business day it was settled, so a payment the next day still counts
# as unpaid at D). Only the loans in arrears, or that were, can change: the installments
# are read through the indexes of the unpaid and of the recently paid (0017).
_CLASSIFY = f"""
WITH late AS (
    SELECT loan_id, min(due_date) AS oldest FROM (
        SELECT loan_id, due_date FROM loan_installment
        WHERE cooperative_id = :c AND paid_on IS NULL AND due_date < :d
        UNION ALL
        SELECT loan_id, due_date FROM loan_installment
        WHERE cooperative_id = :c AND paid_on > :d AND due_date < :d
    ) u GROUP BY loan_id
), bands AS (
    SELECT * FROM unnest(CAST(:types AS text[]), CAST(:normal AS int[]), CAST(:cpp AS int[]),
                         CAST(:deficiente AS int[]), CAST(:dudoso AS int[]))
        AS b(credit_type, normal, cpp, deficiente, dudoso)
), state AS (
    SELECT l.id, coalesce(:d - late.oldest, 0) AS dpd, b.normal, b.cpp, b.deficiente, b.dudoso,
           l.days_past_due AS old_dpd, l.category AS old_category,
           -- a refinanced loan is no better than its debtor was until it has been paid on
           -- time for the credit policy's number of installments
           CASE WHEN l.category_floor IS NOT NULL AND (
               SELECT count(*) FROM loan_installment i
               WHERE i.cooperative_id = l.cooperative_id AND i.loan_id = l.id
                 AND i.paid_on <= i.due_date AND i.paid_on <= :d) < :regular
           THEN l.category_floor END AS floor
    FROM loan l
    JOIN loan_product p ON p.cooperative_id = l.cooperative_id AND p.id = l.product_id
    JOIN bands b ON b.credit_type = p.credit_type
    LEFT JOIN late ON late.loan_id = l.id
    WHERE l.cooperative_id = :c AND l.status = 'active'
      AND (late.loan_id IS NOT NULL OR l.days_past_due <> 0 OR l.category <> 'normal')
), classified AS (
    SELECT id, dpd, old_dpd, old_category,
           ({_ORDER})[greatest(array_position({_ORDER}, {CATEGORY_BY_DAYS}),
                               array_position({_ORDER}, floor::text))] AS category
    FROM state
), moved AS (
    UPDATE loan l SET days_past_due = c.dpd, category = c.category
    FROM classified c
    WHERE l.cooperative_id = :c AND l.id = c.id
      AND (l.days_past_due <> c.dpd OR l.category <> c.category)
    RETURNING l.id, l.number, l.member_id, l.currency, l.balance, c.dpd, c.old_dpd,
              c.category, c.old_category
), told AS (
    -- the loan's events, in the transaction that changes it: it fell behind (its first
    -- day past due), and its category moved; all of them in one call
    SELECT coopac_emit_events(:c, :d, jsonb_agg(jsonb_build_object(
        'type', e.type, 'subject_kind', 'loan', 'subject_id', m.id::text,
        'data', jsonb_build_object('loan_id', m.id, 'number', m.number,
            'member_id', m.member_id, 'currency', m.currency,
            'balance', round(m.balance, 2)::text, 'days_past_due', m.dpd,
            'previous_days_past_due', m.old_dpd, 'category', m.category,
            'previous_category', m.old_category)))) AS written
    FROM moved m
    CROSS JOIN LATERAL (VALUES
        (CASE WHEN m.old_dpd = 0 AND m.dpd > 0 THEN 'loan.overdue' END),
        (CASE WHEN m.category <> m.old_category THEN 'loan.classification_changed' END)
    ) e(type)
    WHERE e.type IS NOT NULL
)
SELECT (SELECT count(*) FROM moved), (SELECT written FROM told)
"""


def classify(session: Session, ctx: CoopContext, day: date, span: Span, limit: int) -> Chunk:
    """One statement over the cooperative: it touches only the loans whose days past due
    or category changed (a loan in arrears, every day). A teller's payment on one of them
    made after D waits for it, or it for the payment, and either way D's state is what is
    written: the payment's day is later."""
    policy = _policy(session, ctx)
    types = list(CreditType)
    bands = [policy.bands(t) for t in types]
    moved, _events = (
        session.connection()
        .execute(
            text(_CLASSIFY),
            {
                "c": ctx.cooperative_id,
                "d": day,
                "types": [t.value for t in types],
                "normal": [b[0] for b in bands],
                "cpp": [b[1] for b in bands],
                "deficiente": [b[2] for b in bands],
                "dudoso": [b[3] for b in bands],
                "regular": policy.refinance_regular_installments,
            },
        )
        .one()
    )
    return Chunk(int(moved), None)


# --- 2. alignment -----------------------------------------------------------------------

# A debtor's category: the worst of their loans' ``category`` (alineamiento), as
# ``loans.classification.worst`` says it, held to it by tests/loans/test_classification_sql.py.
WORST_CATEGORY = f"({_ORDER})[max(array_position({_ORDER}, category::text))]"
_ALIGN = f"""
WITH worst AS (
    SELECT member_id, {WORST_CATEGORY} AS category
    FROM loan WHERE cooperative_id = :c AND status = 'active' GROUP BY member_id
)
UPDATE loan l SET debtor_category = w.category FROM worst w
WHERE l.cooperative_id = :c AND l.status = 'active' AND l.member_id = w.member_id
  AND l.debtor_category <> w.category
"""
_KEEP_DEBTORS = f"""
INSERT INTO debtor_classification (cooperative_id, member_id, as_of, category, days_past_due,
                                   loans, balance)
SELECT :c, member_id, :d, {WORST_CATEGORY},
       max(days_past_due), count(*), sum(balance)
FROM loan WHERE cooperative_id = :c AND status = 'active'
GROUP BY member_id
ON CONFLICT DO NOTHING
"""


def align(session: Session, ctx: CoopContext, day: date, span: Span, limit: int) -> Chunk:
    """The debtor's category is the worst of their loans in the cooperative (alineamiento),
    whatever the currency. One statement over the cooperative's loans: it touches only the
    loans whose debtor's category changed."""
    params = {"c": ctx.cooperative_id, "d": day}
    moved = session.connection().execute(text(_ALIGN), params).rowcount
    if is_month_end(day):
        session.execute(text(_KEEP_DEBTORS), params)
    return Chunk(int(moved or 0), None)


# --- 3. overdue and suspension ----------------------------------------------------------

_OVERDUE = """
WITH pol AS (
    SELECT * FROM unnest(CAST(:types AS text[]), CAST(:whole AS int[]), CAST(:each AS bool[]))
        AS p(credit_type, whole_after, by_installment)
), target AS (
    SELECT l.id, l.currency, l.balance, l.overdue_balance, l.gl_account_id,
           l.overdue_gl_account_id,
           CASE WHEN l.days_past_due > pol.whole_after THEN l.balance
                WHEN pol.by_installment THEN coalesce(
                    (SELECT sum(i.principal - i.principal_paid) FROM loan_installment i
                     WHERE i.cooperative_id = l.cooperative_id AND i.loan_id = l.id
                       AND :d - i.due_date > :each_after), 0)
                ELSE 0 END AS overdue
    FROM loan l
    JOIN loan_product p ON p.cooperative_id = l.cooperative_id AND p.id = l.product_id
    JOIN pol ON pol.credit_type = p.credit_type
    WHERE l.cooperative_id = :c AND l.id = ANY(CAST(:ids AS uuid[]))
      AND l.id BETWEEN :first AND :last
      AND l.accounting_status <> 'judicial'
      -- a loan up to date with nothing in vencidos has nothing to move
      AND (l.days_past_due > 0 OR l.overdue_balance > 0)
)
SELECT id, currency, balance, gl_account_id, overdue_gl_account_id,
       overdue - overdue_balance AS delta, overdue
FROM target WHERE overdue <> overdue_balance ORDER BY id
"""
_SET_OVERDUE = """
UPDATE loan l SET
    accounting_status = CASE WHEN t.overdue > 0 THEN 'overdue' ELSE 'current' END,
    updated_at = now()
FROM unnest(CAST(:ids AS uuid[]), CAST(:overdue AS numeric[])) AS t(id, overdue)
WHERE l.cooperative_id = :c AND l.id = t.id
"""
# A suspended loan carries all its uncollected interest in suspense: what is still in 14x8
# moves there (by type, for the income it reverses), on lines that name the loan.
_SUSPEND = f"""
SELECT l.id, l.currency,
       sum(i.interest_accrued - i.interest_paid) - l.suspended_interest AS d_int,
       sum(i.moratory_due + i.moratory_accrued - i.moratory_paid) - l.suspended_moratory
           AS d_mor
FROM loan l
JOIN loan_installment i ON i.cooperative_id = l.cooperative_id AND i.loan_id = l.id
    AND i.loan_id BETWEEN :first AND :last
WHERE l.cooperative_id = :c AND l.id = ANY(CAST(:ids AS uuid[]))
  AND l.id BETWEEN :first AND :last AND {SUSPENDED_SQL}
GROUP BY l.id, l.currency, l.suspended_interest, l.suspended_moratory
HAVING sum(i.interest_accrued - i.interest_paid) > l.suspended_interest
    OR sum(i.moratory_due + i.moratory_accrued - i.moratory_paid) > l.suspended_moratory
ORDER BY l.id
"""


def overdue(session: Session, ctx: CoopContext, day: date, span: Span, limit: int) -> Chunk:
    ids = lock_chunk(session, ctx, span, limit)
    if not ids:
        return chunk_done(ids, limit)
    policy = _policy(session, ctx)
    types = list(CreditType)
    params = chunk_params(ctx, day, ids)
    moves = session.execute(
        text(_OVERDUE),
        {
            **params,
            "types": [t.value for t in types],
            "whole": [policy.overdue_whole_after_days[t] for t in types],
            "each": [policy.by_installment(t) for t in types],
            "each_after": policy.overdue_installment_after_days,
        },
    ).all()
    if moves:
        _transfer(session, ctx, day, moves)
    suspended = session.execute(text(_SUSPEND), params).all()
    lines = part_lines(session, ctx, AccountPart.loan_interest, [r[:3] for r in suspended])
    lines += part_lines(session, ctx, AccountPart.loan_moratory, [r[:2] + r[3:] for r in suspended])
    for _, currency, d_int, d_mor in suspended:
        accrued = gl_ids(session, ctx, gl.ACCRUED_INTEREST_GL)[currency]
        lines += [
            ledger.Line(gl_ids(session, ctx, gl.INTEREST_INCOME_GL)[currency], currency, d_int),
            ledger.Line(gl_ids(session, ctx, gl.MORATORY_INCOME_GL)[currency], currency, d_mor),
            ledger.Line(accrued, currency, -(d_int + d_mor)),
            ledger.Line(
                gl_ids(session, ctx, gl.SUSPENDED_CONTRA_GL)[currency], currency, -(d_int + d_mor)
            ),
        ]
    ledger.post_lines(
        session,
        ctx,
        EntryKind.loan_accrual,
        merge_lines(lines),
        business_date=day,
        description=f"Rendimientos de créditos a suspenso {day.isoformat()}",
    )
    return chunk_done(ids, limit)


def _transfer(session: Session, ctx: CoopContext, day: date, moves: Sequence[Any]) -> None:
    """Principal from vigentes to vencidos (or back): two lines per loan, on its own
    accounts; the balance does not change."""
    lines = []
    for loan_id, currency, balance, current_gl, overdue_gl, delta, _ in moves:
        lines += [
            ledger.Line(overdue_gl, currency, delta, "loan", loan_id, balance),
            ledger.Line(current_gl, currency, -delta, "loan", loan_id, balance),
        ]
    ledger.post_lines(
        session,
        ctx,
        EntryKind.loan_transfer,
        lines,
        business_date=day,
        description=f"Créditos vencidos {day.isoformat()}",
    )
    session.execute(
        text(_SET_OVERDUE),
        {
            "c": ctx.cooperative_id,
            "ids": [m[0] for m in moves],
            "overdue": [m[6] for m in moves],
        },
    )


# --- 4. accrual -------------------------------------------------------------------------

# Each installment's interest is recognised by its share of the days of its period elapsed
# at the end of D (actual days, as the schedule computed it), rounded once: the recognised
# total reaches the installment's interest exactly on its due date. Past it, the overdue
# principal keeps earning compensatory interest at the loan's TEA, added to what the
# installment asks for, and moratory interest on top (DOMAIN.md); both are recomputed whole
# since the arrears were last settled (as ``servicing.moratory_since``), never added day by
# day, so that rounding never adds up.
#
# ``servicing.moratory_since`` states the rule (a payment settles with it); ``since_sql`` is
# the same rule over an installment ``i`` of a loan ``l`` at the end of ``:d``, at a rate,
# held to the Python by tests/loans/test_moratory_sql.py.


def since_sql(rate: str) -> str:
    return f"""
CASE WHEN i.principal > i.principal_paid AND {rate} > 0
          AND :d > coalesce(i.moratory_through, i.due_date)
     THEN round((i.principal - i.principal_paid) * (power(1 + {rate},
                (:d - coalesce(i.moratory_through, i.due_date)) / 360.0) - 1), 2)
     ELSE 0 END"""


MORATORY_SINCE = since_sql("l.moratory_tea")
OVERDUE_INTEREST_SINCE = since_sql("l.tea")

_ACCRUE = f"""
WITH calc AS (
    SELECT i.loan_id, i.number, i.interest_accrued AS old_int, i.moratory_accrued AS old_mor,
        o.added, i.interest + o.added AS interest,
        CASE WHEN i.interest + o.added > i.interest_accrued AND i.due_date - i.days < :d
             THEN greatest(i.interest_accrued, least(i.interest + o.added, round(
                 (i.interest + o.added) * least(:d - (i.due_date - i.days), i.days)
                 / greatest(i.days, 1), 2)))
             ELSE i.interest_accrued END AS new_int,
        CASE WHEN i.due_date < :d THEN greatest(i.moratory_accrued, {MORATORY_SINCE})
             ELSE i.moratory_accrued END AS new_mor
    FROM loan l
    JOIN loan_installment i ON i.cooperative_id = l.cooperative_id AND i.loan_id = l.id
        AND i.loan_id BETWEEN :first AND :last
    -- the compensatory interest the overdue principal earned since close of business last
    -- added it
    CROSS JOIN LATERAL (
        SELECT CASE WHEN i.due_date < :d
                    THEN greatest({OVERDUE_INTEREST_SINCE} - i.overdue_interest_accrued, 0)
                    ELSE 0 END AS added
    ) o
    WHERE l.cooperative_id = :c AND l.id = ANY(CAST(:ids AS uuid[]))
      AND l.id BETWEEN :first AND :last
      AND ((i.interest > i.interest_accrued AND i.due_date - i.days < :d)
           OR (i.due_date < :d AND i.principal > i.principal_paid))
), changed AS (
    UPDATE loan_installment i SET interest_accrued = c.new_int, moratory_accrued = c.new_mor,
        interest = c.interest, overdue_interest_accrued = i.overdue_interest_accrued + c.added
    FROM calc c
    WHERE i.cooperative_id = :c AND i.loan_id = c.loan_id AND i.number = c.number
      AND (c.new_int <> c.old_int OR c.new_mor <> c.old_mor OR c.added <> 0)
    RETURNING i.loan_id, c.new_int - c.old_int AS a_int, c.new_mor - c.old_mor AS a_mor
), loans AS (
    SELECT ch.loan_id, l.currency, {SUSPENDED_SQL} AS suspended,
           sum(ch.a_int) AS a_int, sum(ch.a_mor) AS a_mor
    FROM changed ch JOIN loan l ON l.cooperative_id = :c AND l.id = ch.loan_id
    GROUP BY ch.loan_id, l.currency, suspended
)
-- a suspended loan's accrual goes into its suspense, on lines of its own; the rest, summed
SELECT currency, suspended, CASE WHEN suspended THEN loan_id END, sum(a_int), sum(a_mor)
FROM loans GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
"""


def accrue(session: Session, ctx: CoopContext, day: date, span: Span, limit: int) -> Chunk:
    ids = lock_chunk(session, ctx, span, limit)
    if not ids:
        return chunk_done(ids, limit)
    rows = session.execute(text(_ACCRUE), chunk_params(ctx, day, ids)).all()
    kept = [r for r in rows if r[1]]
    lines = part_lines(session, ctx, AccountPart.loan_interest, [(r[2], r[0], r[3]) for r in kept])
    lines += part_lines(session, ctx, AccountPart.loan_moratory, [(r[2], r[0], r[4]) for r in kept])
    for currency, suspended, _, a_int, a_mor in rows:
        total = a_int + a_mor
        if suspended:
            lines.append(
                ledger.Line(
                    gl_ids(session, ctx, gl.SUSPENDED_CONTRA_GL)[currency], currency, -total
                )
            )
        else:
            lines += [
                ledger.Line(
                    gl_ids(session, ctx, gl.ACCRUED_INTEREST_GL)[currency], currency, total
                ),
                ledger.Line(
                    gl_ids(session, ctx, gl.INTEREST_INCOME_GL)[currency], currency, -a_int
                ),
                ledger.Line(
                    gl_ids(session, ctx, gl.MORATORY_INCOME_GL)[currency], currency, -a_mor
                ),
            ]
    ledger.post_lines(
        session,
        ctx,
        EntryKind.loan_accrual,
        merge_lines(lines),
        business_date=day,
        description=f"Intereses de créditos devengados {day.isoformat()}",
    )
    return chunk_done(ids, limit)


def merge_lines(lines: list[ledger.Line]) -> list[ledger.Line]:
    """GL-only lines summed per account: one line each; lines naming an account stay."""
    sums: dict[tuple[uuid.UUID, str], Decimal] = defaultdict(Decimal)
    for line in lines:
        if line.account_id is None:
            sums[(line.gl_account_id, line.currency)] += line.amount
    named = [line for line in lines if line.account_id is not None]
    return named + [
        ledger.Line(g, cur, amount) for (g, cur), amount in sorted(sums.items()) if amount
    ]


def part_lines(
    session: Session,
    ctx: CoopContext,
    part: AccountPart,
    changes: Sequence[tuple[uuid.UUID, str, Decimal]],
) -> list[ledger.Line]:
    """The lines that change each loan's ``part`` by its amount (loan id, currency, change):
    on the part's account, naming the loan (the posting trigger moves the part)."""
    ids = gl_ids(session, ctx, gl.PART_ACCOUNTS[part][0])
    return [
        ledger.Line(ids[currency], currency, gl.part_line(part, by), part.value, loan_id)
        for loan_id, currency, by in changes
        if by
    ]


CLASSIFICATION = Step("loan_classification", 50, lambda session, ctx, day: 0, classify)
ALIGNMENT = Step("loan_alignment", 51, lambda session, ctx, day: 0, align)
OVERDUE = Step("loan_overdue", 52, _active_total, overdue, parallel=True)
ACCRUAL = Step("loan_accrual", 53, _active_total, accrue, parallel=True)
