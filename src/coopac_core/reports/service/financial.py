"""The balance sheet and the income statement of a month, from its GL balances (the
arithmetic is ``reports.statements``)."""

from __future__ import annotations

from sqlmodel import Session, select

from coopac_core.federation.models import Cooperative
from coopac_core.reports import statements
from coopac_core.reports.models import PeriodGlBalance, PeriodSnapshot
from coopac_core.reports.periods import previous
from coopac_core.reports.render import Style, Table
from coopac_core.reports.schemas import (
    StatementGroupOut,
    StatementLineOut,
    StatementOut,
    StatementSectionOut,
    TotalOut,
)
from coopac_core.reports.service.common import ZERO, header

# --- financial statements ---------------------------------------------------------------


def _gl_rows(session: Session, snap: PeriodSnapshot) -> list[statements.GlRow]:
    return [
        statements.GlRow(
            r.code, r.name, r.currency, r.balance, r.year_to_date, r.balance_pen, r.year_to_date_pen
        )
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
    sections = build(rows, prev_rows)
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
        subtitle=header(coop, snap, title),
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
