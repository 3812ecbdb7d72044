"""Loans and their installments, inserted from their staged rows, their balances posted."""

from __future__ import annotations

import json
import uuid
from datetime import timedelta
from decimal import Decimal
from typing import Any

import psycopg
from sqlalchemy import text
from sqlmodel import Session

from coopac_core.imports.layouts import day, num
from coopac_core.imports.loader.accounts import gl_id, post
from coopac_core.imports.loader.staging import (
    ERRORS_KEPT,
    Actor,
    Outcome,
    Refused,
    RowError,
    copy_temp,
)
from coopac_core.ledger.chart import code_for
from coopac_core.loans.accounting import ACCRUED_INTEREST_GL, principal_gl_ids
from coopac_core.loans.schedule import (
    Frequency,
    Method,
    ScheduleRequest,
    build_schedule,
    due_dates,
)
from coopac_core.money import Currency

_LOAN_ROWS = f"""
SELECT s.line, s.loan_number, m.id AS member_id, p.id AS product_id, p.currency, p.method,
    p.frequency, p.gl_account_id, p.insurance_monthly_rate, p.moratory_tea,
    {num("s.amount")} AS amount, {day("s.disbursed_on")} AS disbursed_on,
    {num("s.tea")} AS tea, {num("s.outstanding_principal")} AS outstanding,
    s.remaining_installments::int AS remaining, {day("s.next_due_date")} AS next_due,
    coalesce(nullif(s.purpose, ''), 'other') AS purpose
FROM import_stage s
JOIN member m ON m.cooperative_id = :c AND m.member_number = s.member_number
JOIN loan_product p ON p.cooperative_id = :c AND p.code = s.product_code
ORDER BY s.line
"""


def _copy_rows(
    session: Session, table: str, columns: list[str], rows: list[tuple[Any, ...]]
) -> None:
    """COPY ``rows`` into ``table``: through a temporary table of its shape, since COPY
    does not write into a table under row-level security; the INSERT that follows does,
    and the policies see it."""
    raw = session.connection().connection.driver_connection
    assert isinstance(raw, psycopg.Connection)
    listed = ", ".join(columns)
    staged = f"import_{table}"
    session.execute(
        text(f"CREATE TEMP TABLE {staged} (LIKE {table} INCLUDING DEFAULTS) ON COMMIT DROP")
    )
    with raw.cursor() as cur, cur.copy(f"COPY {staged} ({listed}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)
    session.execute(text(f"INSERT INTO {table} ({listed}) SELECT {listed} FROM {staged}"))


_LOAN_COLUMNS = [
    "cooperative_id", "id", "number", "member_id", "product_id", "currency", "amount", "tea",
    "term", "method", "frequency", "disbursement_date", "first_due_date", "terms", "purpose",
    "guarantee", "commission", "insurance_monthly_rate", "moratory_tea", "status", "balance",
    "gl_account_id", "accounting_status", "overdue_gl_account_id", "judicial_gl_account_id",
    "overdue_balance", "judicial_balance", "suspended_interest", "suspended_moratory",
    "days_past_due", "category", "debtor_category", "provision_generic", "provision_specific",
    "written_off_balance", "created_by", "created_by_id", "disbursed_on", "created_at",
]  # fmt: skip
_INSTALLMENT_COLUMNS = [
    "cooperative_id", "loan_id", "number", "due_date", "days", "principal", "interest",
    "fees", "insurance", "interest_accrued", "principal_paid", "interest_paid", "fees_paid",
    "insurance_paid", "moratory_due", "moratory_paid", "moratory_accrued",
]  # fmt: skip


def load_loans(session: Session, params: dict[str, Any], actor: Actor) -> int:
    """Each loan's remaining schedule is built here, from its outstanding principal, TEA,
    remaining installments and oldest unpaid due date, by the same function as a new loan's.
    The installments already due carry their interest as accrued (receivable, 14x8) against
    the suspense account too: the old system earned it. A loan goes in with its outstanding
    principal, which the posting trigger then checks against the opening entry."""
    c, today = params["c"], params["today"]
    rows = session.execute(text(_LOAN_ROWS), params).mappings().all()
    errors: list[RowError] = []
    loans: list[tuple[Any, ...]] = []
    installments: list[tuple[Any, ...]] = []
    principal: list[tuple[uuid.UUID, uuid.UUID, str, Decimal]] = []
    accrued: dict[str, Decimal] = {}
    gl_ids: dict[str, list[uuid.UUID]] = {}
    for r in rows:
        frequency = Frequency(r["frequency"])
        if frequency is Frequency.dates:
            frequency = Frequency.monthly
        dates = due_dates(r["next_due"], r["remaining"], frequency)
        step = (dates[1] - dates[0]) if len(dates) > 1 else timedelta(days=30)
        try:
            schedule = build_schedule(
                ScheduleRequest(
                    amount=r["outstanding"],
                    tea=r["tea"],
                    disbursement_date=r["next_due"] - step,
                    dates=dates,
                    method=Method(r["method"]),
                    insurance_monthly_rate=r["insurance_monthly_rate"],
                )
            )
        except (ArithmeticError, ValueError) as exc:
            errors.append(RowError(int(r["line"]), f"cronograma imposible: {exc}"))
            continue
        loan_id = uuid.uuid4()
        currency = r["currency"]
        if currency not in gl_ids:
            gl_ids[currency] = principal_gl_ids(session, c, currency)
        overdue_gl, judicial_gl = gl_ids[currency]
        dpd = max(0, (today - r["next_due"]).days)
        terms = json.dumps({"imported": True, "outstanding_at_import": f"{r['outstanding']:.2f}"})
        loans.append(
            (c, loan_id, r["loan_number"], r["member_id"], r["product_id"], currency,
             r["amount"], r["tea"], len(dates), r["method"], frequency.value,
             r["disbursed_on"], r["next_due"], terms, r["purpose"], "none", 0,
             r["insurance_monthly_rate"], r["moratory_tea"], "active", r["outstanding"],
             r["gl_account_id"], "current", overdue_gl, judicial_gl, 0, 0, 0, 0, dpd,
             "normal", "normal", 0, 0, 0,
             actor.name, actor.user_id, r["disbursed_on"], "now")
        )  # fmt: skip
        for i in schedule.installments:
            due = i.due_date < today
            installments.append(
                (c, loan_id, i.number, i.due_date, i.days, i.principal, i.interest, i.fees,
                 i.insurance, i.interest if due else 0, 0, 0, 0, 0, 0, 0, 0)
            )  # fmt: skip
            if due and i.interest > 0:
                accrued[currency] = accrued.get(currency, Decimal(0)) + i.interest
        principal.append((loan_id, r["gl_account_id"], currency, r["outstanding"]))
    if errors:
        raise Refused(Outcome(rows=len(rows), errors=errors[:ERRORS_KEPT], error_count=len(errors)))
    _copy_rows(session, "loan", _LOAN_COLUMNS, loans)
    _copy_rows(session, "loan_installment", _INSTALLMENT_COLUMNS, installments)
    lines = [(gl, cur, amount, "loan", loan, amount) for loan, gl, cur, amount in principal]
    for currency, amount in accrued.items():
        gl = gl_id(session, c, code_for(ACCRUED_INTEREST_GL, Currency(currency)))
        lines.append((gl, currency, amount, None, None, None))  # type: ignore[arg-type]
    if lines:
        session.execute(
            text(
                "CREATE TEMP TABLE import_lines (gl uuid, currency text, amount numeric, "
                "kind text, account uuid, after numeric) ON COMMIT DROP"
            )
        )
        copy_temp(session, "import_lines", ["gl", "currency", "amount", "kind", "account",
                                             "after"], lines)  # fmt: skip
        post(
            session,
            params,
            actor,
            "SELECT gl, currency, amount, kind, account, after FROM import_lines",
            "créditos",
        )
    return len(loans)
