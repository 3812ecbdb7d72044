"""The month-end step of loans in close of business: the provision each loan requires
(``classification.required_provision``), booked by its change, and each loan as it stood
(``loan_classification``) for the month's reports. Runs after ``loans.close_of_business``'s
daily steps, on their chunks of loans."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from decimal import Decimal

from sqlalchemy import text
from sqlmodel import Session

from coopac_core.day_steps import Chunk, Span, Step, is_month_end
from coopac_core.ledger import service as ledger
from coopac_core.ledger.models import AccountPart, EntryKind
from coopac_core.loans import accounting as gl
from coopac_core.loans.classification import Category, Cover, CreditType, required_provision
from coopac_core.loans.close_of_business import (
    ZERO,
    chunk_done,
    chunk_params,
    gl_ids,
    lock_chunk,
    part_lines,
)
from coopac_core.security.principal import CoopContext

# Each loan at the end of D as the provision needs it and as the month's reports keep it:
# its exposure (the balance less what was posted after D), its debtor's category, what
# guarantees it. The columns up to ``covered`` are ``_KEEP_LOANS``'s, in its order.
_PROVISION_STATE = """
WITH state AS (
    SELECT l.id, l.member_id, p.credit_type, l.currency, l.status, l.accounting_status,
           l.days_past_due, l.category, l.debtor_category,
           l.balance - coalesce((SELECT sum(x.amount) FROM posting x
                                 WHERE x.cooperative_id = l.cooperative_id
                                   AND x.account_kind = 'loan' AND x.account_id = l.id
                                   AND x.business_date > :d), 0) AS exposure,
           l.overdue_balance, l.judicial_balance,
           coalesce((SELECT sum(i.interest_accrued - i.interest_paid + i.moratory_due
                                + i.moratory_accrued - i.moratory_paid)
                     FROM loan_installment i
                     WHERE i.cooperative_id = l.cooperative_id AND i.loan_id = l.id), 0)
               - l.suspended_interest - l.suspended_moratory AS accrued,
           l.suspended_interest + l.suspended_moratory AS suspended,
           coalesce((SELECT sum(h.amount) FROM savings_hold h
                     WHERE h.cooperative_id = l.cooperative_id AND h.loan_id = l.id
                       AND h.status = 'active'), 0) AS pledged,
           coalesce((SELECT sum(k.realizable_value) FROM loan_collateral k
                     WHERE k.cooperative_id = l.cooperative_id AND k.loan_id = l.id
                       AND k.guarantee = 'preferred_quick'), 0) AS quick,
           coalesce((SELECT sum(k.realizable_value) FROM loan_collateral k
                     WHERE k.cooperative_id = l.cooperative_id AND k.loan_id = l.id
                       AND k.guarantee = 'preferred'), 0) AS preferred,
           l.provision_generic, l.provision_specific
    FROM loan l
    JOIN loan_product p ON p.cooperative_id = l.cooperative_id AND p.id = l.product_id
    WHERE l.cooperative_id = :c AND l.id = ANY(CAST(:ids AS uuid[]))
      AND l.id BETWEEN :first AND :last
)
SELECT id, member_id, credit_type, currency, status, accounting_status, days_past_due,
       category, debtor_category, exposure, overdue_balance, judicial_balance, accrued,
       suspended, least(exposure, pledged + quick + preferred) AS covered,
       pledged, quick, preferred, provision_generic, provision_specific
FROM state ORDER BY id
"""
_KEPT = 15  # columns of a state row that ``_KEEP_LOANS`` keeps, before the provisions
_KEEP_LOANS = """
INSERT INTO loan_classification (cooperative_id, loan_id, member_id, credit_type, currency,
    status, accounting_status, days_past_due, category, debtor_category, balance,
    overdue_balance, judicial_balance, accrued_interest, suspended_interest, covered,
    provision_generic, provision_specific, as_of)
SELECT :c, t.*, :d FROM unnest(CAST(:ids AS uuid[]), CAST(:members AS uuid[]),
            CAST(:types AS text[]), CAST(:currencies AS text[]), CAST(:statuses AS text[]),
            CAST(:acc AS text[]), CAST(:dpds AS int[]), CAST(:cats AS text[]),
            CAST(:debtor AS text[]), CAST(:balances AS numeric[]),
            CAST(:overdue AS numeric[]), CAST(:judicial AS numeric[]),
            CAST(:accrued AS numeric[]), CAST(:suspended AS numeric[]),
            CAST(:covered AS numeric[]), CAST(:generic AS numeric[]),
            CAST(:specific AS numeric[]))
    AS t(loan_id, member_id, credit_type, currency, status, accounting_status,
         days_past_due, category, debtor_category, balance, overdue_balance,
         judicial_balance, accrued_interest, suspended_interest, covered, provision_generic,
         provision_specific)
ON CONFLICT DO NOTHING
"""
_KEEP_NAMES = (
    "ids",
    "members",
    "types",
    "currencies",
    "statuses",
    "acc",
    "dpds",
    "cats",
    "debtor",
    "balances",
    "overdue",
    "judicial",
    "accrued",
    "suspended",
    "covered",
)


def provision(session: Session, ctx: CoopContext, day: date, span: Span, limit: int) -> Chunk:
    """The month's provisions: each loan's requirement (``classification.required_provision``,
    the one rule, in Python) against what is booked; the change is expense (group 43)
    against the allowance (14x9), generic and specific apart; a decrease is reversed. A
    loan no longer active releases what it had. The active loans are kept as they stood."""
    ids = lock_chunk(
        session,
        ctx,
        span,
        limit,
        where="(status = 'active' OR provision_generic + provision_specific > 0)",
    )
    if not ids:
        return chunk_done(ids, limit)
    rows = session.execute(text(_PROVISION_STATE), chunk_params(ctx, day, ids)).all()
    needs = [
        required_provision(
            CreditType(r.credit_type),
            Category(r.debtor_category),
            r.exposure,
            Cover(pledged=r.pledged, preferred_quick=r.quick, preferred=r.preferred),
        )
        if r.status == "active"
        else None
        for r in rows
    ]
    # each loan's change on lines that name it (the posting trigger keeps its provisions);
    # the expense, summed
    generic_changes, specific_changes = [], []
    expense: dict[str, Decimal] = defaultdict(Decimal)
    for r, need in zip(rows, needs, strict=True):
        generic, specific = (need.generic, need.specific) if need else (ZERO, ZERO)
        generic_changes.append((r.id, r.currency, generic - r.provision_generic))
        specific_changes.append((r.id, r.currency, specific - r.provision_specific))
        expense[r.currency] += generic - r.provision_generic + specific - r.provision_specific
    kept = [(r, need) for r, need in zip(rows, needs, strict=True) if need is not None]
    if kept:
        columns = list(zip(*(tuple(r)[:_KEPT] for r, _ in kept), strict=True))
        session.execute(
            text(_KEEP_LOANS),
            {
                "c": ctx.cooperative_id,
                "d": day,
                **{name: list(values) for name, values in zip(_KEEP_NAMES, columns, strict=True)},
                "generic": [need.generic for _, need in kept],
                "specific": [need.specific for _, need in kept],
            },
        )
    lines = part_lines(session, ctx, AccountPart.loan_specific, specific_changes)
    lines += part_lines(session, ctx, AccountPart.loan_generic, generic_changes)
    lines += [
        ledger.Line(gl_ids(session, ctx, gl.PROVISION_EXPENSE_GL)[currency], currency, amount)
        for currency, amount in sorted(expense.items())
    ]
    ledger.post_lines(
        session,
        ctx,
        EntryKind.loan_provision,
        lines,
        business_date=day,
        description=f"Provisiones de créditos {day.isoformat()}",
    )
    return chunk_done(ids, limit)


def _provision_total(session: Session, ctx: CoopContext, day: date) -> int:
    return int(
        session.execute(
            text(
                "SELECT count(*) FROM loan WHERE cooperative_id = :c AND (status = 'active' "
                "OR provision_generic + provision_specific > 0)"
            ),
            {"c": ctx.cooperative_id},
        ).scalar_one()
    )


PROVISIONS = Step(
    "loan_provisions",
    54,
    _provision_total,
    provision,
    applies=is_month_end,
    parallel=True,
)
