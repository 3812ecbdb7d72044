"""The classification annex and the debtor report, from the loans' month-end record."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from sqlalchemy import text
from sqlmodel import Session, select

from coopac_core.federation.models import Cooperative
from coopac_core.ledger.chart import code_for
from coopac_core.loans.classification import CATEGORY_ORDER, Category, CreditType
from coopac_core.money import Currency, round_cents, round_rate
from coopac_core.reports.models import PeriodPortfolio, PeriodSnapshot
from coopac_core.reports.render import Style, Table
from coopac_core.reports.schemas import (
    ClassificationCellOut,
    ClassificationOut,
    ClassificationRowOut,
    DebtorLineOut,
    DebtorsOut,
)
from coopac_core.reports.service.common import ZERO, header, in_soles

ZERO_RATE = Decimal("0")

# The principal's account by where it stood (the loan's accounting status).
PRINCIPAL_ACCOUNT = {"current": "14{c}1", "overdue": "14{c}5", "judicial": "14{c}6"}

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
        cell["balance"] += in_soles(r.balance, r.currency, rate)
        cell["provision_required"] += in_soles(r.provision_required, r.currency, rate)
        cell["provision_booked"] += in_soles(r.provision_booked, r.currency, rate)
    # a debtor is counted once in each cell and total, whatever their loans' currencies and
    # credit types: the month's record of loans says who they are
    debtors: dict[tuple[str | None, str | None], int] = {
        (credit_type, category): n
        for credit_type, category, n in session.execute(
            text(
                "SELECT credit_type, debtor_category, count(DISTINCT member_id) "
                "FROM loan_classification WHERE cooperative_id = :c AND as_of = :d "
                "GROUP BY GROUPING SETS ((credit_type, debtor_category), (credit_type), "
                "(debtor_category), ())"
            ),
            {"c": snap.cooperative_id, "d": snap.period_end},
        )
    }

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
            by_category[category.value]["debtors"] = debtors.get(
                (credit_type.value, category.value), 0
            )
            add(total, by_category[category.value])
            add(grand[category.value], by_category[category.value])
        total["debtors"] = debtors.get((credit_type.value, None), 0)
        add(grand_total, total)
        rows.append(
            ClassificationRowOut(
                credit_type=credit_type,
                categories={c: out_cell(by_category[c.value]) for c in CATEGORY_ORDER},
                total=out_cell(total),
            )
        )
    for category in CATEGORY_ORDER:
        grand[category.value]["debtors"] = debtors.get((None, category.value), 0)
    grand_total["debtors"] = debtors.get((None, None), 0)
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
        high_risk_loans=snap.high_risk_loans,
        high_risk_ratio=(
            round_rate(snap.high_risk_loans / snap.gross_loans) if snap.gross_loans else ZERO_RATE
        ),
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
        subtitle=header(coop, snap, "Anexo de clasificación"),
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
                (in_soles(line.balance, line.currency, snap.exchange_rate) for line in lines),
                ZERO,
            )
        ),
    )


def debtors_table(coop: Cooperative, snap: PeriodSnapshot, out: DebtorsOut) -> Table:
    table = Table(
        title="Reporte de deudores",
        subtitle=header(coop, snap, "Reporte de deudores"),
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
