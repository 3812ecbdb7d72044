"""The balance sheet and the income statement from a month's GL balances: plain functions.

Amounts are in soles (dollar accounts as ``exchange.revaluation`` expresses them), shown on
their natural side: assets and expenses as debits, liabilities, equity and income as
credits. The balance sheet
closes because the results not yet distributed are shown in equity: the year's (what the
income statement says) and the earlier years' still in classes 4 and 5 (a closed year's are
in 39x1, an equity account, from its closing entry: fiscal_years)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from coopac_core.money import round_cents

# The SBS manual's groups of accounts. A group a cooperative's chart adds and this list
# lacks is shown by its number.
GROUP_NAMES = {
    "11": "Disponible",
    "12": "Fondos interbancarios",
    "13": "Inversiones",
    "14": "Créditos",
    "15": "Cuentas por cobrar",
    "16": "Bienes realizables, recibidos en pago y adjudicados",
    "17": "Inversiones permanentes",
    "18": "Inmuebles, mobiliario y equipo",
    "19": "Otros activos",
    "21": "Obligaciones con los asociados",
    "23": "Depósitos de empresas del sistema financiero",
    "24": "Adeudos y obligaciones financieras",
    "25": "Cuentas por pagar",
    "26": "Provisiones",
    "29": "Otros pasivos",
    "31": "Capital social",
    "32": "Capital adicional",
    "33": "Reservas",
    "34": "Ajustes al patrimonio",
    "38": "Resultados acumulados",
    "39": "Resultado neto del ejercicio",
    "41": "Gastos financieros",
    "43": "Provisiones para créditos",
    "44": "Gastos por servicios financieros",
    "45": "Gastos de administración",
    "46": "Depreciaciones y amortizaciones",
    "49": "Otros gastos",
    "51": "Ingresos financieros",
    "52": "Ingresos por servicios financieros",
    "56": "Otros ingresos",
    "81": "Cuentas de orden deudoras",
    "83": "Contracuentas de cuentas de orden deudoras",
}

# (key, name, classes, sign): sign turns a debit-positive balance to the section's side.
BALANCE_SHEET_SECTIONS = (
    ("assets", "Activo", "1", 1),
    ("liabilities", "Pasivo", "2", -1),
    ("equity", "Patrimonio", "3", -1),
)
MEMORANDUM_SECTION = ("memorandum", "Cuentas de orden", "8", 1)
INCOME_SECTIONS = (
    ("income", "Ingresos", "5", -1),
    ("expenses", "Gastos", "4", 1),
)
ACCUMULATED_RESULTS = "Resultados acumulados de ejercicios anteriores"
YEAR_RESULT = "Resultado del ejercicio"


@dataclass(frozen=True)
class GlRow:
    """One account in a month's snapshot."""

    code: str
    name: str
    currency: str
    balance: Decimal  # debits positive, in its currency
    year_to_date: Decimal
    # in soles (``exchange.revaluation``): what the statements show
    balance_pen: Decimal
    year_to_date_pen: Decimal


@dataclass
class Line:
    code: str | None
    name: str
    currency: str | None
    current: Decimal
    previous: Decimal | None


@dataclass
class Group:
    group: str
    name: str
    current: Decimal = Decimal("0.00")
    previous: Decimal | None = None
    accounts: list[Line] = field(default_factory=list)


@dataclass
class Section:
    key: str
    name: str
    current: Decimal = Decimal("0.00")
    previous: Decimal | None = None
    groups: list[Group] = field(default_factory=list)


def _in_soles(rows: Iterable[GlRow], ytd: bool) -> dict[str, tuple[GlRow, Decimal]]:
    out = {}
    for row in rows:
        out[row.code] = (row, row.year_to_date_pen if ytd else row.balance_pen)
    return out


def _add(total: Decimal | None, amount: Decimal | None) -> Decimal | None:
    if amount is None:
        return total
    return (total or Decimal(0)) + amount


def _sections(
    specs: Sequence[tuple[str, str, str, int]],
    current: dict[str, tuple[GlRow, Decimal]],
    previous: dict[str, tuple[GlRow, Decimal]] | None,
) -> list[Section]:
    sections = []
    for key, name, classes, sign in specs:
        section = Section(key, name, previous=Decimal(0) if previous is not None else None)
        groups: dict[str, Group] = {}
        codes = sorted(
            c for c in {*current, *(previous or {})} if c[0] in classes
        )  # an account of last month only still shows, at zero now
        for code in codes:
            row, amount = current.get(code, (None, Decimal(0)))
            before = None
            if previous is not None:
                prev_row, prev_amount = previous.get(code, (None, Decimal(0)))
                before = round_cents(sign * prev_amount)
                row = row or prev_row
            assert row is not None
            now = round_cents(sign * amount)
            if now == 0 and not before:
                continue
            group = groups.get(code[:2])
            if group is None:
                group = groups[code[:2]] = Group(
                    code[:2],
                    GROUP_NAMES.get(code[:2], f"Grupo {code[:2]}"),
                    previous=Decimal(0) if previous is not None else None,
                )
            group.accounts.append(Line(code, row.name, row.currency, now, before))
            group.current += now
            group.previous = _add(group.previous, before)
        for group in groups.values():
            section.groups.append(group)
            section.current += group.current
            section.previous = _add(section.previous, group.previous)
        sections.append(section)
    return sections


def _results(rows: dict[str, tuple[GlRow, Decimal]]) -> Decimal:
    """Income less expenses: classes 4 and 5, credit positive."""
    return -sum((amount for code, (_, amount) in rows.items() if code[0] in "45"), Decimal(0))


def balance_sheet(current: Sequence[GlRow], previous: Sequence[GlRow] | None) -> list[Section]:
    now = _in_soles(current, ytd=False)
    before = _in_soles(previous, False) if previous else None
    sections = _sections(BALANCE_SHEET_SECTIONS, now, before)
    equity = sections[2]
    year_now = round_cents(_results(_in_soles(current, ytd=True)))
    year_before = round_cents(_results(_in_soles(previous, True))) if previous else None
    # the year's result of the month before belongs to another year in January
    accumulated_now = round_cents(_results(now)) - year_now
    accumulated_before = (
        round_cents(_results(before)) - (year_before or Decimal(0)) if before else None
    )
    results = Group(
        "3R",
        "Resultados",
        previous=Decimal(0) if before is not None else None,
        accounts=[
            Line(None, ACCUMULATED_RESULTS, None, accumulated_now, accumulated_before),
            Line(None, YEAR_RESULT, None, year_now, year_before),
        ],
    )
    results.current = accumulated_now + year_now
    if before is not None:
        results.previous = (accumulated_before or Decimal(0)) + (year_before or Decimal(0))
    equity.groups.append(results)
    equity.current += results.current
    equity.previous = _add(equity.previous, results.previous)
    sections += _sections((MEMORANDUM_SECTION,), now, before)
    return sections


def income_statement(current: Sequence[GlRow], previous: Sequence[GlRow] | None) -> list[Section]:
    """What moved in classes 4 and 5 since the first of January of each month's year."""
    now = _in_soles(current, ytd=True)
    before = _in_soles(previous, True) if previous else None
    return _sections(INCOME_SECTIONS, now, before)


def by_key(sections: Iterable[Section]) -> dict[str, Section]:
    return {s.key: s for s in sections}


def group_totals(sections: Iterable[Section]) -> dict[str, Decimal]:
    out: dict[str, Decimal] = defaultdict(Decimal)
    for section in sections:
        for group in section.groups:
            out[group.group] += group.current
    return dict(out)
