"""The reports a cooperative files, each read from a month's snapshot (``reports.models``)
and the loans' monthly record: what was true at that month end, at a cost that does not
grow with the ledger. The cash register reads the month's cash postings (a month's, by
the index on account and date)."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from sqlalchemy import text
from sqlmodel import Session, select

from coopac_core.federation.models import Cooperative
from coopac_core.ledger.chart import code_for
from coopac_core.loans.classification import CATEGORY_ORDER, Category, CreditType
from coopac_core.money import Currency, round_cents
from coopac_core.reports import statements
from coopac_core.reports.cash_operations import CashThresholds
from coopac_core.reports.models import PeriodGlBalance, PeriodPortfolio, PeriodSnapshot
from coopac_core.reports.periods import previous
from coopac_core.reports.render import Style, Table
from coopac_core.reports.schemas import (
    CashOperationOut,
    CashOperationsOut,
    CashThresholdsOut,
    ClassificationCellOut,
    ClassificationOut,
    ClassificationRowOut,
    DebtorLineOut,
    DebtorsOut,
    InsuredDepositsOut,
    InsuredLineOut,
    InsuredTotalsOut,
    StatementGroupOut,
    StatementLineOut,
    StatementOut,
    StatementSectionOut,
    TotalOut,
)
from coopac_core.reports.snapshot import period_end, period_start

ZERO = Decimal("0.00")
# Fondo de Seguro de Depósitos Cooperativo: the cover per member, interest included, by the
# cooperative's SBS level (DOMAIN.md).
DEPOSIT_COVER = {
    "1": Decimal("5000.00"),
    "2A": Decimal("5000.00"),
    "2B": Decimal("10000.00"),
    "3": Decimal("10000.00"),
}
# The principal's account by where it stood (the loan's accounting status).
PRINCIPAL_ACCOUNT = {"current": "14{c}1", "overdue": "14{c}5", "judicial": "14{c}6"}


def _header(coop: Cooperative, snap: PeriodSnapshot, title: str) -> list[str]:
    status = "cerrado" if snap.status == "closed" else "provisional"
    return [
        f"{coop.name} (RUC {coop.ruc}), nivel {coop.sbs_level}",
        f"{title}: periodo {snap.period} al {snap.period_end.isoformat()} ({status})",
        f"Importes en soles; dólares al tipo de cambio {snap.exchange_rate}",
    ]


def _in_soles(amount: Decimal, currency: str, rate: Decimal) -> Decimal:
    return amount * rate if currency == Currency.USD else amount


# --- financial statements ---------------------------------------------------------------


def _gl_rows(session: Session, snap: PeriodSnapshot) -> list[statements.GlRow]:
    return [
        statements.GlRow(r.code, r.name, r.currency, r.balance, r.year_to_date)
        for r in session.exec(
            select(PeriodGlBalance).where(
                PeriodGlBalance.cooperative_id == snap.cooperative_id,
                PeriodGlBalance.period == snap.period,
            )
        )
    ]


def statement(session: Session, coop: Cooperative, snap: PeriodSnapshot, kind: str) -> StatementOut:
    """``kind``: ``balance_sheet`` or ``income_statement``."""
    before = previous(session, snap)
    rows = _gl_rows(session, snap)
    prev_rows = _gl_rows(session, before) if before else None
    build = statements.balance_sheet if kind == "balance_sheet" else statements.income_statement
    sections = build(rows, snap.exchange_rate, prev_rows, before.exchange_rate if before else None)
    keyed = statements.by_key(sections)

    def total(*keys: str, sign: int = 1, minus: tuple[str, ...] = ()) -> TotalOut:
        now = sum((keyed[k].current for k in keys), ZERO) - sum(
            (keyed[k].current for k in minus), ZERO
        )
        prev = None
        if before is not None:
            prev = sum((keyed[k].previous or ZERO for k in keys), ZERO) - sum(
                (keyed[k].previous or ZERO for k in minus), ZERO
            )
        return TotalOut(current=now * sign, previous=prev * sign if prev is not None else None)

    if kind == "balance_sheet":
        totals = {
            "assets": total("assets"),
            "liabilities": total("liabilities"),
            "equity": total("equity"),
            "liabilities_and_equity": total("liabilities", "equity"),
        }
    else:
        totals = {
            "income": total("income"),
            "expenses": total("expenses"),
            "net_income": total("income", minus=("expenses",)),
        }
    return StatementOut(
        cooperative_id=coop.id,
        cooperative_name=coop.name,
        period=snap.period,
        period_status=snap.status,
        previous_period=before.period if before else None,
        exchange_rate=snap.exchange_rate,
        sections=[
            StatementSectionOut(
                key=s.key,
                name=s.name,
                current=s.current,
                previous=s.previous,
                groups=[
                    StatementGroupOut(
                        group=g.group,
                        name=g.name,
                        current=g.current,
                        previous=g.previous,
                        accounts=[
                            StatementLineOut(
                                code=a.code,
                                name=a.name,
                                currency=a.currency,
                                current=a.current,
                                previous=a.previous,
                            )
                            for a in g.accounts
                        ],
                    )
                    for g in s.groups
                ],
            )
            for s in sections
        ],
        totals=totals,
    )


TOTAL_NAMES = {
    "assets": "Total activo",
    "liabilities": "Total pasivo",
    "equity": "Total patrimonio",
    "liabilities_and_equity": "Total pasivo y patrimonio",
    "income": "Total ingresos",
    "expenses": "Total gastos",
    "net_income": "Resultado del ejercicio",
}


def statement_table(coop: Cooperative, snap: PeriodSnapshot, out: StatementOut) -> Table:
    title = "Balance general" if "assets" in out.totals else "Estado de resultados"
    previous_label = out.previous_period or "anterior"
    table = Table(
        title=title,
        subtitle=_header(coop, snap, title),
        columns=["Sección", "Grupo", "Cuenta", "Nombre", out.period, previous_label],
        widths=(22, 12, 18, 80, 28, 28),
    )
    for section in out.sections:
        for group in section.groups:
            for line in group.accounts:
                table.add(
                    [section.name, group.group, line.code, line.name, line.current, line.previous]
                )
            table.add(
                [section.name, group.group, None, group.name, group.current, group.previous],
                Style.subtotal,
            )
        table.add(
            [section.name, None, None, f"Total {section.name.lower()}", section.current,
             section.previous],
            Style.subtotal,
        )  # fmt: skip
    for key, pair in out.totals.items():
        table.add([None, None, None, TOTAL_NAMES[key], pair.current, pair.previous], Style.total)
    return table


# --- the classification annex -----------------------------------------------------------


def _cell() -> dict[str, Decimal | int]:
    return {
        "debtors": 0,
        "loans": 0,
        "balance": ZERO,
        "provision_required": ZERO,
        "provision_booked": ZERO,
    }


def classification(session: Session, coop: Cooperative, snap: PeriodSnapshot) -> ClassificationOut:
    rate = snap.exchange_rate
    cells: dict[str, dict[str, dict[str, Decimal | int]]] = defaultdict(lambda: defaultdict(_cell))
    for r in session.exec(
        select(PeriodPortfolio).where(
            PeriodPortfolio.cooperative_id == snap.cooperative_id,
            PeriodPortfolio.period == snap.period,
        )
    ):
        cell = cells[r.credit_type][r.category]
        cell["debtors"] += r.debtors
        cell["loans"] += r.loans
        cell["balance"] += _in_soles(r.balance, r.currency, rate)
        cell["provision_required"] += _in_soles(r.provision_required, r.currency, rate)
        cell["provision_booked"] += _in_soles(r.provision_booked, r.currency, rate)
    # a debtor with loans in both currencies is counted in each: the annex counts by row
    # and column, as the portfolio's rows are kept

    def out_cell(values: dict[str, Decimal | int]) -> ClassificationCellOut:
        return ClassificationCellOut(
            debtors=int(values["debtors"]),
            loans=int(values["loans"]),
            balance=round_cents(Decimal(values["balance"])),
            provision_required=round_cents(Decimal(values["provision_required"])),
            provision_booked=round_cents(Decimal(values["provision_booked"])),
        )

    def add(into: dict[str, Decimal | int], values: dict[str, Decimal | int]) -> None:
        for key, value in values.items():
            into[key] += value

    rows = []
    grand = {c.value: _cell() for c in CATEGORY_ORDER}
    grand_total = _cell()
    for credit_type in CreditType:
        if credit_type.value not in cells:
            continue
        by_category = cells[credit_type.value]
        total = _cell()
        for category in CATEGORY_ORDER:
            add(total, by_category[category.value])
            add(grand[category.value], by_category[category.value])
        add(grand_total, total)
        rows.append(
            ClassificationRowOut(
                credit_type=credit_type,
                categories={c: out_cell(by_category[c.value]) for c in CATEGORY_ORDER},
                total=out_cell(total),
            )
        )
    return ClassificationOut(
        cooperative_id=coop.id,
        period=snap.period,
        period_status=snap.status,
        exchange_rate=rate,
        rows=rows,
        totals=ClassificationRowOut(
            credit_type=None,
            categories={c: out_cell(grand[c.value]) for c in CATEGORY_ORDER},
            total=out_cell(grand_total),
        ),
        allowance_in_ledger=snap.provisions,
    )


CATEGORY_NAMES = {
    Category.normal: "Normal",
    Category.cpp: "CPP",
    Category.deficiente: "Deficiente",
    Category.dudoso: "Dudoso",
    Category.perdida: "Pérdida",
}


def classification_table(coop: Cooperative, snap: PeriodSnapshot, out: ClassificationOut) -> Table:
    names = [CATEGORY_NAMES[c] for c in CATEGORY_ORDER]
    table = Table(
        title="Clasificación de deudores y provisiones",
        subtitle=_header(coop, snap, "Anexo de clasificación"),
        columns=["Tipo de crédito", "Concepto", *names, "Total"],
    )
    concepts = (
        ("debtors", "Deudores"),
        ("balance", "Créditos directos"),
        ("provision_required", "Provisiones requeridas"),
        ("provision_booked", "Provisiones constituidas"),
    )
    for row in [*out.rows, out.totals]:
        label = row.credit_type.value if row.credit_type else "Total"
        for key, concept in concepts:
            table.add(
                [label, concept, *(getattr(row.categories[c], key) for c in CATEGORY_ORDER),
                 getattr(row.total, key)],
                Style.row if row.credit_type else Style.total,
            )  # fmt: skip
    return table


# --- the debtor report ------------------------------------------------------------------

# One line per debtor, credit type and currency: the principal at the month end, split by
# the account each part was in (the current part in 14x1, the overdue in 14x5, the judicial
# in 14x6); the line's account is that of its worst part.
_DEBTORS = """
SELECT m.document_type, m.document_number, m.member_number,
    coalesce(m.legal_name, concat_ws(', ', m.last_names, m.first_names)) AS name,
    k.credit_type, k.currency, k.debtor_category, count(*) AS loans,
    sum(k.balance) AS balance,
    sum(k.balance - k.overdue_balance - k.judicial_balance) AS current_balance,
    sum(k.overdue_balance) AS overdue_balance, sum(k.judicial_balance) AS judicial_balance,
    max(k.days_past_due) AS days_past_due
FROM loan_classification k JOIN member m ON m.cooperative_id = k.cooperative_id
    AND m.id = k.member_id
WHERE k.cooperative_id = :c AND k.as_of = :d AND k.balance <> 0
GROUP BY m.id, m.document_type, m.document_number, m.member_number, m.legal_name,
    m.last_names, m.first_names, k.credit_type, k.currency, k.debtor_category
ORDER BY m.document_type, m.document_number, k.credit_type, k.currency
"""


def _worst_account(judicial: Decimal, overdue: Decimal) -> str:
    if judicial:
        return PRINCIPAL_ACCOUNT["judicial"]
    return PRINCIPAL_ACCOUNT["overdue" if overdue else "current"]


def debtors(session: Session, coop: Cooperative, snap: PeriodSnapshot) -> DebtorsOut:
    lines = [
        DebtorLineOut(
            document_type=r.document_type,
            document_number=r.document_number,
            name=r.name,
            member_number=r.member_number,
            credit_type=r.credit_type,
            currency=r.currency,
            category=r.debtor_category,
            gl_account=code_for(
                _worst_account(r.judicial_balance, r.overdue_balance), Currency(r.currency)
            ),
            loans=r.loans,
            balance=r.balance,
            current_balance=r.current_balance,
            overdue_balance=r.overdue_balance,
            judicial_balance=r.judicial_balance,
            days_past_due=r.days_past_due,
        )
        for r in session.execute(text(_DEBTORS), {"c": snap.cooperative_id, "d": snap.period_end})
    ]
    return DebtorsOut(
        cooperative_id=coop.id,
        period=snap.period,
        period_status=snap.status,
        lines=lines,
        debtors=len({(line.document_type, line.document_number) for line in lines}),
        balance=round_cents(
            sum(
                (_in_soles(line.balance, line.currency, snap.exchange_rate) for line in lines),
                ZERO,
            )
        ),
    )


def debtors_table(coop: Cooperative, snap: PeriodSnapshot, out: DebtorsOut) -> Table:
    table = Table(
        title="Reporte de deudores",
        subtitle=_header(coop, snap, "Reporte de deudores"),
        columns=[
            "tipo_documento",
            "numero_documento",
            "nombre",
            "codigo_socio",
            "tipo_credito",
            "moneda",
            "categoria",
            "cuenta_contable",
            "creditos",
            "saldo",
            "saldo_vigente",
            "saldo_vencido",
            "saldo_judicial",
            "dias_atraso",
        ],
    )
    for line in out.lines:
        table.add(
            [line.document_type, line.document_number, line.name, line.member_number,
             line.credit_type.value, line.currency.value, line.category.value, line.gl_account,
             line.loans, line.balance, line.current_balance, line.overdue_balance,
             line.judicial_balance, line.days_past_due]
        )  # fmt: skip
    return table


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
            *_header(coop, snap, "Fondo de Seguro de Depósitos Cooperativo"),
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

# The month's postings on the branches' cash accounts (11x1.<branch>), with the person
# whose account the same entry moved; an operation reversed, and its reversal, are left out.
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
    SELECT cash.entry_id, cash.business_date, e.kind, e.seq, holder.member_id, cash.currency,
        cash.amount, abs(cash.amount) * CASE WHEN cash.currency = 'USD' THEN :rate ELSE 1 END
            AS amount_pen
    FROM cash JOIN journal_entry e ON e.cooperative_id = :c AND e.id = cash.entry_id
    LEFT JOIN holder ON holder.entry_id = cash.entry_id
    WHERE e.reversal_of IS NULL AND NOT EXISTS (
        SELECT 1 FROM journal_entry r WHERE r.cooperative_id = :c AND r.reversal_of = e.id)
), flagged AS (
    SELECT ops.*, sum(amount_pen) OVER (PARTITION BY member_id) AS month_pen FROM ops
)
SELECT f.*, m.member_number, m.document_type, m.document_number,
    coalesce(m.legal_name, concat_ws(', ', m.last_names, m.first_names)) AS name
FROM flagged f LEFT JOIN member m ON m.cooperative_id = :c AND m.id = f.member_id
WHERE f.amount_pen >= :single OR (f.member_id IS NOT NULL AND f.month_pen >= :monthly)
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
            *_header(coop, snap, "Registro de operaciones"),
            f"Umbrales: USD {t.single_usd} por operación (S/ {t.single_pen}), "
            f"USD {t.monthly_usd} al mes por persona (S/ {t.monthly_pen})",
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


def cooperative(session: Session, snap: PeriodSnapshot) -> Cooperative:
    coop = session.get(Cooperative, snap.cooperative_id)
    assert coop is not None
    return coop
