"""Deposit insurance (the members' month-end deposits) and the register of large cash
operations (the month's cash postings, read by account and date: a month's, not the
ledger's)."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import text
from sqlmodel import Session

from coopac_core.federation.models import Cooperative
from coopac_core.money import round_cents
from coopac_core.reports.cash_operations import CashThresholds
from coopac_core.reports.models import PeriodSnapshot
from coopac_core.reports.months import period_end, period_start
from coopac_core.reports.render import Style, Table
from coopac_core.reports.schemas import (
    CashOperationOut,
    CashOperationsOut,
    CashThresholdsOut,
    InsuredDepositsOut,
    InsuredLineOut,
    InsuredTotalsOut,
)
from coopac_core.reports.service.common import ZERO, header

# Fondo de Seguro de Depósitos Cooperativo: the cover per member, interest included, by the
# cooperative's SBS level (DOMAIN.md).
DEPOSIT_COVER = {
    "1": Decimal("5000.00"),
    "2A": Decimal("5000.00"),
    "2B": Decimal("10000.00"),
    "3": Decimal("10000.00"),
}

# --- deposit insurance ------------------------------------------------------------------

_INSURED = """
SELECT m.id AS member_id, m.member_number, m.document_type, m.document_number,
    coalesce(m.legal_name, concat_ws(', ', m.last_names, m.first_names)) AS name,
    d.balance_pen + d.balance_usd * :rate AS deposits,
    d.accrued_pen + d.accrued_usd * :rate AS accrued
FROM period_member_deposit d JOIN member m ON m.cooperative_id = d.cooperative_id
    AND m.id = d.member_id
WHERE d.cooperative_id = :c AND d.period = :p
  AND (d.balance_pen <> 0 OR d.balance_usd <> 0 OR d.accrued_pen <> 0 OR d.accrued_usd <> 0)
ORDER BY m.member_number
"""


def insured_deposits(
    session: Session, coop: Cooperative, snap: PeriodSnapshot
) -> InsuredDepositsOut:
    cover = DEPOSIT_COVER[coop.sbs_level]
    rate = snap.exchange_rate
    lines = []
    for r in session.execute(
        text(_INSURED), {"c": snap.cooperative_id, "p": snap.period, "rate": rate}
    ):
        held, interest = round_cents(r.deposits), round_cents(r.accrued)
        total = held + interest
        insured = min(max(total, ZERO), cover)
        lines.append(
            InsuredLineOut(
                member_id=r.member_id,
                member_number=r.member_number,
                document_type=r.document_type,
                document_number=r.document_number,
                name=r.name,
                deposits=held,
                accrued_interest=interest,
                total=total,
                insured=insured,
                uninsured=total - insured,
            )
        )
    return InsuredDepositsOut(
        cooperative_id=coop.id,
        period=snap.period,
        period_status=snap.status,
        sbs_level=coop.sbs_level,
        cover=cover,
        exchange_rate=rate,
        members=lines,
        totals=InsuredTotalsOut(
            members=len(lines),
            deposits=sum((x.deposits for x in lines), ZERO),
            accrued_interest=sum((x.accrued_interest for x in lines), ZERO),
            total=sum((x.total for x in lines), ZERO),
            insured=sum((x.insured for x in lines), ZERO),
            uninsured=sum((x.uninsured for x in lines), ZERO),
        ),
    )


def insured_table(coop: Cooperative, snap: PeriodSnapshot, out: InsuredDepositsOut) -> Table:
    table = Table(
        title="Depósitos asegurados",
        subtitle=[
            *header(coop, snap, "Fondo de Seguro de Depósitos Cooperativo"),
            f"Cobertura por socio: S/ {out.cover}",
        ],
        columns=[
            "codigo_socio",
            "tipo_documento",
            "numero_documento",
            "nombre",
            "depositos",
            "intereses_devengados",
            "total",
            "asegurado",
            "no_asegurado",
        ],
    )
    for x in out.members:
        table.add(
            [x.member_number, x.document_type, x.document_number, x.name, x.deposits,
             x.accrued_interest, x.total, x.insured, x.uninsured]
        )  # fmt: skip
    t = out.totals
    table.add(
        ["Total", None, None, f"{t.members} socios", t.deposits, t.accrued_interest, t.total,
         t.insured, t.uninsured],
        Style.total,
    )  # fmt: skip
    return table


# --- large cash operations --------------------------------------------------------------

# The month's postings on the branches' cash accounts (11x1.<branch> and its tills), with
# the person whose account the same entry moved; an operation reversed, and its reversal,
# are left out, and so is cash the cooperative moves within itself (vault, tills, banks,
# a count's difference): no customer stands behind it.
_CASH = """
WITH cash AS (
    SELECT p.entry_id, p.currency, p.amount, p.business_date
    FROM posting p JOIN gl_account g ON g.cooperative_id = p.cooperative_id
        AND g.id = p.gl_account_id
    WHERE p.cooperative_id = :c AND g.code ~ '^11[12]1\\.' AND p.business_date >= :start
      AND p.business_date <= :end
), holder AS (
    SELECT DISTINCT ON (p.entry_id) p.entry_id,
        coalesce(s.member_id, sh.member_id, l.member_id) AS member_id
    FROM posting p
    LEFT JOIN savings_account s ON p.account_kind = 'savings'
        AND s.cooperative_id = p.cooperative_id AND s.id = p.account_id
    LEFT JOIN share_account sh ON p.account_kind = 'share'
        AND sh.cooperative_id = p.cooperative_id AND sh.id = p.account_id
    LEFT JOIN loan l ON p.account_kind = 'loan' AND l.cooperative_id = p.cooperative_id
        AND l.id = p.account_id
    WHERE p.cooperative_id = :c AND p.account_id IS NOT NULL
      AND p.entry_id IN (SELECT entry_id FROM cash)
    ORDER BY p.entry_id, p.id
), ops AS (
    -- an exchange is its person's (its own record says whose: it moves no member account),
    -- and counted once, by its dollars
    SELECT cash.entry_id, cash.business_date, e.kind, e.seq,
        coalesce(holder.member_id, x.member_id) AS member_id, cash.currency,
        cash.amount, abs(cash.amount) * CASE WHEN cash.currency = 'USD' THEN :rate ELSE 1 END
            AS amount_pen
    FROM cash JOIN journal_entry e ON e.cooperative_id = :c AND e.id = cash.entry_id
    LEFT JOIN holder ON holder.entry_id = cash.entry_id
    LEFT JOIN exchange_operation x ON x.cooperative_id = :c AND x.journal_entry_id = e.id
    WHERE e.reversal_of IS NULL AND (x.journal_entry_id IS NULL OR cash.currency = 'USD')
      AND e.kind NOT IN ('cash_transfer', 'bank_deposit', 'bank_withdrawal', 'cash_over_short')
      AND NOT EXISTS (
        SELECT 1 FROM journal_entry r WHERE r.cooperative_id = :c AND r.reversal_of = e.id)
), flagged AS (
    SELECT ops.*, sum(amount_pen) OVER (PARTITION BY member_id) AS month_pen,
        sum(amount_pen) OVER (PARTITION BY member_id, business_date) AS day_pen,
        count(*) OVER (PARTITION BY member_id, business_date) AS day_count
    FROM ops
)
SELECT f.*, m.member_number, m.document_type, m.document_number,
    coalesce(m.legal_name, concat_ws(', ', m.last_names, m.first_names)) AS name
FROM flagged f LEFT JOIN member m ON m.cooperative_id = :c AND m.id = f.member_id
WHERE f.amount_pen >= :single OR (f.member_id IS NOT NULL AND (f.month_pen >= :monthly
    OR (f.day_count > 1 AND f.day_pen >= :single)))
ORDER BY f.business_date, f.seq
"""


def cash_operations(
    session: Session, coop: Cooperative, snap: PeriodSnapshot, thresholds: CashThresholds
) -> CashOperationsOut:
    rate = snap.exchange_rate
    single = round_cents(thresholds.single_usd * rate)
    monthly = round_cents(thresholds.monthly_usd * rate)
    rows = session.execute(
        text(_CASH),
        {
            "c": snap.cooperative_id,
            "start": period_start(snap.period),
            "end": period_end(snap.period),
            "rate": rate,
            "single": single,
            "monthly": monthly,
        },
    ).all()
    operations = []
    for r in rows:
        reasons = []
        if r.amount_pen >= single:
            reasons.append("single")
        # several operations of a person in one day that add up to one over the threshold
        if r.member_id is not None and r.day_count > 1 and r.day_pen >= single:
            reasons.append("daily")
        if r.member_id is not None and r.month_pen >= monthly:
            reasons.append("monthly")
        operations.append(
            CashOperationOut(
                journal_entry_id=r.entry_id,
                business_date=r.business_date,
                kind=r.kind,
                member_id=r.member_id,
                member_number=r.member_number,
                document_type=r.document_type,
                document_number=r.document_number,
                name=r.name,
                direction="in" if r.amount > 0 else "out",
                currency=r.currency,
                amount=abs(r.amount),
                amount_pen=round_cents(r.amount_pen),
                reasons=reasons,
            )
        )
    return CashOperationsOut(
        cooperative_id=coop.id,
        period=snap.period,
        period_status=snap.status,
        thresholds=CashThresholdsOut(
            single_usd=thresholds.single_usd,
            monthly_usd=thresholds.monthly_usd,
            exchange_rate=rate,
            single_pen=single,
            monthly_pen=monthly,
        ),
        operations=operations,
    )


def cash_table(coop: Cooperative, snap: PeriodSnapshot, out: CashOperationsOut) -> Table:
    t = out.thresholds
    table = Table(
        title="Registro de operaciones en efectivo",
        subtitle=[
            *header(coop, snap, "Registro de operaciones"),
            f"Umbrales: USD {t.single_usd} por operación (S/ {t.single_pen}), "
            f"USD {t.monthly_usd} al mes por persona (S/ {t.monthly_pen}); varias de una "
            "persona en un día que suman el umbral por operación",
        ],
        columns=[
            "fecha",
            "asiento",
            "operacion",
            "codigo_socio",
            "tipo_documento",
            "numero_documento",
            "nombre",
            "sentido",
            "moneda",
            "importe",
            "importe_soles",
            "motivo",
        ],
    )
    for op in out.operations:
        table.add(
            [op.business_date, str(op.journal_entry_id), op.kind, op.member_number,
             op.document_type, op.document_number, op.name, op.direction, op.currency.value,
             op.amount, op.amount_pen, "+".join(op.reasons)]
        )  # fmt: skip
    return table
