"""The default SBS-style chart of accounts seeded for every new cooperative.

Codes follow the SBS layout: first digit the class (1 Activo, 2 Pasivo, 3 Patrimonio,
4 Gastos, 5 Ingresos), second the group, third the currency (1 soles, 2 foreign currency).
A cooperative may add its own accounts; these are the ones the service posts to.
"""

from __future__ import annotations

from dataclasses import dataclass

from coopac_core.ledger.models import AccountKind, NormalSide
from coopac_core.money import CURRENCY_DIGIT, Currency


@dataclass(frozen=True)
class ChartLine:
    template: str  # "{c}" stands for the currency digit
    name: str
    control: AccountKind | None = None
    contra: bool = False  # a contra account (provisions) has the opposite normal side
    posting: bool = True


# Checked against the SBS accounting manual (DOMAIN.md): banks other than the central bank
# are 11x3 (11x2 is the BCRP, where a COOPAC holds no account); loan interest and
# commissions are income 51x4; provision expense is group 43; memorandum accounts are class
# 8 (81 debit, 83 its contra). Sub-accounts (".01") split what the manual keeps in one
# account where the books must show the parts (generic and specific provisions).
DEFAULT_CHART: tuple[ChartLine, ...] = (
    ChartLine("11{c}1", "Caja", posting=False),  # each branch posts to its own sub-account
    # DOMAIN.md is silent on the counter's accounts: cash between the vault and a till stays
    # cash (it never leaves the branch); a till's shortage is owed by whoever held it
    # (a receivable until cleared), its overage owed to whoever it belongs to (a payable).
    ChartLine("11{c}1.TR", "Efectivo en tránsito entre bóveda y cajas"),
    ChartLine("11{c}3", "Bancos y otras empresas del sistema financiero del país"),
    ChartLine("14{c}1", "Créditos vigentes", control=AccountKind.loan),
    ChartLine("14{c}4", "Créditos refinanciados", control=AccountKind.loan),
    ChartLine("14{c}5", "Créditos vencidos", control=AccountKind.loan),
    ChartLine("14{c}6", "Créditos en cobranza judicial", control=AccountKind.loan),
    ChartLine("14{c}8", "Rendimientos devengados de créditos"),
    ChartLine("14{c}9", "Provisiones para créditos", contra=True, posting=False),
    ChartLine("14{c}9.01", "Provisiones específicas para créditos", contra=True),
    ChartLine("14{c}9.02", "Provisiones genéricas para créditos", contra=True),
    ChartLine("15{c}1", "Cuentas por cobrar diversas"),
    ChartLine("15{c}1.01", "Faltantes de caja"),
    # DOMAIN.md is silent on exchange: a bridge account per currency (the position the
    # counter takes, revalued by the accountant) and the spread as other income
    ChartLine("19{c}9", "Posición de cambio (puente de operaciones de cambio)"),
    # DOMAIN.md is silent on a migration's counterpart: an "operaciones en trámite" account
    # that every opening balance posts against and that nets to zero once the old system's
    # trial balance is in (imports)
    ChartLine("19{c}8", "Cuenta transitoria de migración de saldos"),
    ChartLine("21{c}1", "Obligaciones a la vista", control=AccountKind.savings),
    ChartLine("21{c}2", "Obligaciones por cuentas de ahorro", control=AccountKind.savings),
    ChartLine("21{c}3", "Obligaciones por cuentas a plazo", control=AccountKind.savings),
    ChartLine("21{c}8", "Gastos por pagar de obligaciones con los asociados"),
    ChartLine("25{c}1", "Cuentas por pagar diversas"),
    ChartLine("25{c}1.01", "Sobrantes de caja"),
    # DOMAIN.md is silent on where the funds the assembly sets go: owed to their purpose
    # until spent, so payables beside the others (to confirm against the manual)
    ChartLine("25{c}1.02", "Fondo de educación"),
    ChartLine("25{c}1.03", "Fondo de previsión social"),
    # SBS 2901, ingresos diferidos: the interest and charges a refinanced loan capitalised,
    # income only as the loan's principal is collected (DOMAIN.md: recognised when collected)
    ChartLine("29{c}1", "Ingresos diferidos", posting=False),
    ChartLine("29{c}1.02", "Intereses y comisiones capitalizados por refinanciación"),
    ChartLine("31{c}1", "Capital social: aportaciones", control=AccountKind.share),
    ChartLine("33{c}1", "Reserva cooperativa"),
    # where a closed year's income and expenses go (fiscal_years), until the assembly
    # distributes it
    ChartLine("39{c}1", "Resultado neto del ejercicio"),
    ChartLine("41{c}1", "Intereses por obligaciones con los asociados"),
    # DOMAIN.md: the dollars' revaluation at each month end goes to exchange gain or loss
    # in the results; the SBS manual's "diferencia de cambio" among financial income and
    # expense (to confirm against the manual). Posted in soles.
    ChartLine("41{c}8", "Pérdida por diferencia de cambio"),
    ChartLine("43{c}2", "Provisiones para créditos directos"),
    # interest on loans in 51x4 itself, its moratory interest and commissions beside it
    ChartLine("51{c}4", "Intereses por créditos"),
    ChartLine("51{c}8", "Ganancia por diferencia de cambio"),
    ChartLine("51{c}4.02", "Intereses moratorios por créditos"),
    ChartLine("51{c}4.03", "Comisiones por créditos"),
    # DOMAIN.md is silent on where a recovery of written-off loans goes: other income (to
    # confirm against the manual).
    ChartLine("56{c}2", "Ganancia en operaciones de cambio"),
    ChartLine("56{c}4", "Recuperación de créditos castigados"),
    ChartLine("81{c}3", "Créditos castigados"),
    ChartLine("81{c}4", "Rendimientos de créditos en suspenso"),
    ChartLine("83{c}3", "Contracuenta de créditos castigados"),
    ChartLine("83{c}4", "Contracuenta de rendimientos en suspenso"),
)

CASH_PARENT = "11{c}1"
SAVINGS_GL = {"sight": "21{c}2", "term": "21{c}3"}  # by savings product kind
SHARE_CAPITAL_GL = "31{c}1"
YEAR_RESULT_GL = "39{c}1"
RESERVE_GL = "33{c}1"
EDUCATION_FUND_GL = "25{c}1.02"
SOCIAL_FUND_GL = "25{c}1.03"
# Interest on deposits: the cost as it accrues, and what is owed until it is paid in.
INTEREST_EXPENSE_GL = "41{c}1"
INTEREST_PAYABLE_GL = "21{c}8"


def code_for(template: str, currency: Currency) -> str:
    return template.format(c=CURRENCY_DIGIT[currency])


def normal_side_of(code: str, *, contra: bool = False) -> NormalSide:
    # class 8: 81 (deudoras) and 84 are debit-normal, 82 and 83 (their contra) credit
    debit = code[0] in "146" or code[:2] in ("81", "84")
    side = NormalSide.debit if debit else NormalSide.credit
    if contra:
        side = NormalSide.credit if side is NormalSide.debit else NormalSide.debit
    return side


def branch_cash_code(currency: Currency, branch_code: str) -> str:
    return f"{code_for(CASH_PARENT, currency)}.{branch_code}"
