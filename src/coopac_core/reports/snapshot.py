"""The month-end snapshot, taken by close of business on the last day of each month.

Two steps at the end of that day, after interest is paid in and provisions are booked:

- ``period_deposits``: each member's deposits at the month end in each currency, with the
  interest accrued and not yet paid (term deposits), and their sex and branch; a statement
  per span of members, on both cores.
- ``period_snapshot``: in two halves at once, the books (the balance of every GL account:
  the previous month's plus the month's postings, so the cost is the month's, not the
  ledger's; the portfolio by credit type, currency and category from the loans' monthly
  record; the figures the federation's indicators are made of) and the people (members,
  savers and borrowers by sex and branch; deposits by product).

Tellers are already booking the next day while the run closes this one, so every balance is
the one at the month end: what was booked after it is taken back out, never read as of now.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Mapping, Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import text
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlmodel import Session, col, delete, select

from coopac_core.day_steps import Chunk, Span, Step, is_month_end
from coopac_core.exchange import revaluation
from coopac_core.federation.models import Branch, Cooperative
from coopac_core.models_base import utcnow
from coopac_core.money import round_cents
from coopac_core.reports.channels import DIGITAL_CHANNELS, operations_by_channel
from coopac_core.reports.gl_balances import apply_ledger_figures, take_gl_balances
from coopac_core.reports.models import (
    PeriodGlBalance,
    PeriodPortfolio,
    PeriodSnapshot,
    PeriodStatus,
)
from coopac_core.reports.months import period_of
from coopac_core.security.principal import CoopContext

ZERO = Decimal("0.00")


# --- the members' deposits --------------------------------------------------------------

# A savings account's balance at the month end is its balance now with what was booked
# after the month end taken back out (a credit to a deposit is a negative amount, so adding
# the later amounts undoes them). A term deposit owes the interest of its days so far until
# maturity pays it: ``savings.interest.cumulative`` (its contract's, from the day it was
# placed, whatever system booked the first days); a sight account's was paid in by the
# month-end capitalisation (what remains is the carried fraction of a céntimo).
_MEMBER_DEPOSITS = """
WITH later AS (
    SELECT p.account_id, sum(p.amount) AS amount FROM posting p
    WHERE p.cooperative_id = :c AND p.gl_account_id = ANY(:gls) AND p.business_date > :d
    GROUP BY p.account_id
), accounts AS (
    SELECT a.member_id, a.currency, a.balance + coalesce(later.amount, 0) AS balance,
        CASE WHEN a.placed_on <= :d AND a.maturity_date > :d THEN round(
            coalesce(a.placed_amount, a.balance) * (power(1 + coalesce(a.rate, pr.tea),
                (:d - a.placed_on + 1)::numeric / 360) - 1), 2)
        ELSE 0 END AS accrued
    FROM savings_account a
    JOIN savings_product pr ON pr.cooperative_id = a.cooperative_id AND pr.id = a.product_id
    LEFT JOIN later ON later.account_id = a.id
    WHERE a.cooperative_id = :c AND a.member_id > :after AND a.member_id <= :upto
      AND a.opened_on <= :d
)
INSERT INTO period_member_deposit (cooperative_id, period, member_id, sex, branch_id,
    accounts, balance_pen, accrued_pen, balance_usd, accrued_usd)
SELECT :c, :p, x.member_id, m.sex, m.branch_id, count(*),
    coalesce(sum(x.balance) FILTER (WHERE x.currency = 'PEN'), 0),
    coalesce(sum(x.accrued) FILTER (WHERE x.currency = 'PEN'), 0),
    coalesce(sum(x.balance) FILTER (WHERE x.currency = 'USD'), 0),
    coalesce(sum(x.accrued) FILTER (WHERE x.currency = 'USD'), 0)
FROM accounts x JOIN member m ON m.cooperative_id = :c AND m.id = x.member_id
GROUP BY x.member_id, m.sex, m.branch_id
ORDER BY x.member_id
"""


def _savings_gls(session: Session, cooperative_id: uuid.UUID) -> list[uuid.UUID]:
    return list(
        session.execute(
            text(
                "SELECT id FROM gl_account WHERE cooperative_id = :c AND control_kind = 'savings'"
            ),
            {"c": cooperative_id},
        ).scalars()
    )


def member_deposits(session: Session, ctx: CoopContext, day: date, span: Span, limit: int) -> Chunk:
    """A span of members in one statement: it reads accounts and locks none (a teller
    never waits for it); a crash does the span again. In member order, the rows go to the
    end of their index instead of all over it (a quarter of the time of a keyed insert that
    skips conflicts)."""
    session.execute(
        text(
            "DELETE FROM period_member_deposit WHERE cooperative_id = :c AND period = :p "
            "AND member_id > :after AND member_id <= :upto"
        ),
        {"c": ctx.cooperative_id, "p": period_of(day), "after": span.after, "upto": span.upto},
    )
    done = session.execute(
        text(_MEMBER_DEPOSITS),
        {
            "c": ctx.cooperative_id,
            "p": period_of(day),
            "d": day,
            "after": span.after,
            "upto": span.upto,
            "gls": _savings_gls(session, ctx.cooperative_id),
        },
    )
    return Chunk(int(getattr(done, "rowcount", 0) or 0), None)


def _members_total(session: Session, ctx: CoopContext, day: date) -> int:
    return int(
        session.execute(
            text("SELECT count(*) FROM member WHERE cooperative_id = :c"),
            {"c": ctx.cooperative_id},
        ).scalar_one()
    )


# --- the snapshot -----------------------------------------------------------------------

# Required: the rule's, at the month end; booked: what the provisions step booked for each
# loan that day, which is the rule's (it books the difference). The independent figure
# beside them is the ledger's allowance (14x9), in the snapshot's ``provisions``.
_PORTFOLIO = """
INSERT INTO period_portfolio (cooperative_id, period, credit_type, currency, category, debtors,
    loans, balance, overdue_balance, judicial_balance, provision_required, provision_booked)
SELECT :c, :p, k.credit_type, k.currency, k.debtor_category, count(DISTINCT k.member_id),
    count(*), sum(k.balance), sum(k.overdue_balance), sum(k.judicial_balance),
    sum(k.provision_generic + k.provision_specific),
    sum(k.provision_generic + k.provision_specific)
FROM loan_classification k
WHERE k.cooperative_id = :c AND k.as_of = :d
GROUP BY k.credit_type, k.currency, k.debtor_category
"""

_LOAN_FIGURES = """
SELECT k.currency, coalesce(sum(k.balance) FILTER (WHERE k.days_past_due > 30), 0) AS par30,
    coalesce(sum(k.provision_generic + k.provision_specific), 0) AS required,
    coalesce(sum(k.balance) FILTER (WHERE k.days_past_due BETWEEN 1 AND 30), 0) AS d1_30,
    coalesce(sum(k.balance) FILTER (WHERE k.days_past_due BETWEEN 31 AND 90), 0) AS d31_90,
    coalesce(sum(k.balance) FILTER (WHERE k.days_past_due BETWEEN 91 AND 180), 0) AS d91_180,
    coalesce(sum(k.balance) FILTER (WHERE k.days_past_due BETWEEN 181 AND 365), 0) AS d181_365,
    coalesce(sum(k.balance) FILTER (WHERE k.days_past_due > 365), 0) AS d_over_365
FROM loan_classification k WHERE k.cooperative_id = :c AND k.as_of = :d
GROUP BY k.currency
"""
# the loans' figures a snapshot keeps in soles, by their names in _LOAN_FIGURES
AGES = {
    "overdue_1_30": "d1_30",
    "overdue_31_90": "d31_90",
    "overdue_91_180": "d91_180",
    "overdue_181_365": "d181_365",
    "overdue_over_365": "d_over_365",
}

# Members, savers and borrowers by sex and branch, each from its own rows (no join of a
# million members with a million deposits). A member at the month end had been admitted
# and had neither withdrawn nor died by then; a saver had deposits, a borrower a loan in the
# month's record (members or not: a UNICA lends to non-members).
_COUNT_MEMBERS = """
SELECT coalesce(sex, '') AS sex, branch_id, count(*) AS n FROM member
WHERE cooperative_id = :c AND is_member AND admitted_on <= :d
  AND (withdrawn_on IS NULL OR withdrawn_on > :d) AND (deceased_on IS NULL OR deceased_on > :d)
GROUP BY 1, 2
"""
_COUNT_SAVERS = """
SELECT coalesce(sex, '') AS sex, branch_id, count(*) AS n FROM period_member_deposit
WHERE cooperative_id = :c AND period = :p AND (balance_pen > 0 OR balance_usd > 0)
GROUP BY 1, 2
"""
_COUNT_BORROWERS = """
SELECT coalesce(m.sex, '') AS sex, m.branch_id, count(*) AS n
FROM (SELECT DISTINCT member_id FROM loan_classification
      WHERE cooperative_id = :c AND as_of = :d) k
JOIN member m ON m.cooperative_id = :c AND m.id = k.member_id
GROUP BY 1, 2
"""

_DEPOSITS_BY_PRODUCT = """
WITH later AS (
    SELECT p.account_id, sum(p.amount) AS amount FROM posting p
    WHERE p.cooperative_id = :c AND p.gl_account_id = ANY(:gls) AND p.business_date > :d
    GROUP BY p.account_id
)
SELECT pr.code, pr.name, pr.kind, a.currency,
    count(*) FILTER (WHERE a.balance + coalesce(later.amount, 0) <> 0) AS accounts,
    sum(a.balance + coalesce(later.amount, 0)) AS balance
FROM savings_account a
JOIN savings_product pr ON pr.cooperative_id = a.cooperative_id AND pr.id = a.product_id
LEFT JOIN later ON later.account_id = a.id
WHERE a.cooperative_id = :c AND a.opened_on <= :d
GROUP BY pr.code, pr.name, pr.kind, a.currency
ORDER BY pr.code, a.currency
"""


def _tally(
    counts: Mapping[str, Sequence[Any]], branches: Mapping[uuid.UUID, str], by: str
) -> dict[str, dict[str, int]]:
    out: dict[str, dict[str, int]] = defaultdict(
        lambda: {"members": 0, "savers": 0, "borrowers": 0}
    )
    for kind, rows in counts.items():
        for row in rows:
            key = (
                row.sex if by == "sex" else branches.get(row.branch_id, "") if row.branch_id else ""
            )
            out[key or "sin_dato"][kind] += row.n
    return dict(sorted(out.items()))


def _is_closed(session: Session, cooperative_id: uuid.UUID, period: str) -> bool:
    snap = session.get(PeriodSnapshot, (cooperative_id, period))
    return snap is not None and snap.status == PeriodStatus.closed


def _row(session: Session, cooperative_id: uuid.UUID, day: date) -> PeriodSnapshot:
    """The month's row, made if it is not there, and locked: taken last, after the work, so
    that the two halves of the snapshot wait for each other only to write it."""
    coop = session.get(Cooperative, cooperative_id)
    assert coop is not None
    blank = PeriodSnapshot(
        cooperative_id=cooperative_id,
        period=period_of(day),
        period_end=day,
        exchange_rate=revaluation.rate_on(session, cooperative_id, day),
    )
    session.execute(pg_insert(PeriodSnapshot).values(blank.model_dump()).on_conflict_do_nothing())
    snap = session.get(
        PeriodSnapshot,
        (cooperative_id, period_of(day)),
        with_for_update=True,
        populate_existing=True,
    )
    assert snap is not None
    snap.exchange_rate = revaluation.rate_on(session, cooperative_id, day)
    return snap


def take_ledger(session: Session, cooperative_id: uuid.UUID, day: date) -> None:
    """The month's books: GL balances, the portfolio, and the figures made of them."""
    period = period_of(day)
    for model in (PeriodGlBalance, PeriodPortfolio):  # a resumed run takes them again
        session.execute(
            delete(model).where(
                col(model.cooperative_id) == cooperative_id,
                col(model.period) == period,
            )
        )
    params = {"c": cooperative_id, "p": period, "d": day}
    take_gl_balances(session, cooperative_id, period)
    session.execute(text(_PORTFOLIO), params)
    loans = session.execute(text(_LOAN_FIGURES), params).all()
    snap = _row(session, cooperative_id, day)
    apply_ledger_figures(session, snap)
    rate = snap.exchange_rate
    snap.par30_loans = round_cents(
        sum((r.par30 * (rate if r.currency == "USD" else 1) for r in loans), Decimal(0))
    )
    snap.provisions_required = round_cents(
        sum((r.required * (rate if r.currency == "USD" else 1) for r in loans), Decimal(0))
    )
    for field, name in AGES.items():
        amounts = (getattr(r, name) * (rate if r.currency == "USD" else 1) for r in loans)
        setattr(snap, field, round_cents(sum(amounts, Decimal(0))))
    first = session.execute(
        text(
            "SELECT min(period) FROM period_snapshot WHERE cooperative_id = :c "
            "AND period >= :jan AND period <= :p"
        ),
        {"c": cooperative_id, "jan": f"{day.year:04d}-01", "p": period},
    ).scalar_one()
    snap.months_operated = day.month - int(first[5:]) + 1
    snap.taken_at = utcnow()
    session.add(snap)
    session.flush()


def take_counts(session: Session, cooperative_id: uuid.UUID, day: date) -> None:
    """The month's people and products: members, savers and borrowers by sex and branch,
    deposits by product; its member operations by channel."""
    params = {"c": cooperative_id, "p": period_of(day), "d": day}
    channels = operations_by_channel(session, cooperative_id, period_of(day), day)
    counts = {
        kind: session.execute(text(sql), params).all()
        for kind, sql in (
            ("members", _COUNT_MEMBERS),
            ("savers", _COUNT_SAVERS),
            ("borrowers", _COUNT_BORROWERS),
        )
    }
    branches = {
        b.id: b.code
        for b in session.exec(select(Branch).where(Branch.cooperative_id == cooperative_id))
    }
    products = session.execute(
        text(_DEPOSITS_BY_PRODUCT), {**params, "gls": _savings_gls(session, cooperative_id)}
    ).all()
    snap = _row(session, cooperative_id, day)
    snap.members, snap.savers, snap.borrowers = (
        sum(r.n for r in counts[kind]) for kind in ("members", "savers", "borrowers")
    )
    snap.operations = sum(channels.values())
    snap.digital_operations = sum(n for c, n in channels.items() if c in DIGITAL_CHANNELS)
    snap.breakdown = {
        "operations_by_channel": channels,
        "by_sex": _tally(counts, branches, "sex"),
        "by_branch": _tally(counts, branches, "branch"),
        "deposits_by_product": [
            {
                "product_code": r.code,
                "product_name": r.name,
                "kind": r.kind,
                "currency": r.currency,
                "accounts": r.accounts,
                "balance": f"{r.balance:.2f}",
            }
            for r in products
        ],
    }
    session.add(snap)
    session.flush()


_LAST_KEY = (1 << 128) - 1


def snapshot_step(session: Session, ctx: CoopContext, day: date, span: Span, limit: int) -> Chunk:
    """The month of ``day`` (its last) as it stands, provisional; taken again if the step
    runs again (a resumed run), never once the month is closed. Its two halves are
    independent: on two connections (the step's first span and its last) they run at
    once; with one, one after the other."""
    if _is_closed(session, ctx.cooperative_id, period_of(day)):
        return Chunk(0, None)
    done = 0
    if span.after.int == 0:
        take_ledger(session, ctx.cooperative_id, day)
        done += 1
    if span.upto.int == _LAST_KEY:
        take_counts(session, ctx.cooperative_id, day)
        done += 1
    return Chunk(done, None)


# The members' deposits need the month's interest paid in (capitalisation, 30) and nothing
# the loans do: they are taken beside the loan steps, on the cores those leave idle.
PERIOD_DEPOSITS = Step(
    "period_deposits",
    35,
    _members_total,
    member_deposits,
    applies=is_month_end,
    parallel=True,
    background=True,
)
PERIOD_SNAPSHOT = Step(
    "period_snapshot",
    95,
    lambda s, c, d: 2,
    snapshot_step,
    applies=is_month_end,
    parallel=True,
    waits_for=("period_deposits",),
)
