"""The layout of the debtor file (Reporte Crediticio de Deudores, SBS Anexo 6) that a COOPAC
sends each month to the supervisor's credit bureau: a control record, then one record per
debtor, credit type and currency, in fixed-width text.

Every field says where its value comes from and whether its place and coding were
confirmed against the SBS's RCD manual (``confirmed``); docs/rcd.md lists them. A field
is corrected here alone: the report (``reports.supervisor.debtors_file``) fills the fields by
name and knows nothing of widths, padding or codes."""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from coopac_core.loans.classification import Category, CreditType

# the manual is not at hand: DOS line ends and plain ASCII (accents and Ñ written as their
# letters) are the prudent reading of a file other systems load; to confirm
LINE_END = "\r\n"
ENCODING = "ascii"


@dataclass(frozen=True)
class FileField:
    """A field of a record: ``numeric`` fields are right-aligned and zero-padded (amounts
    with ``decimals`` implied decimals, no point, a minus sign first when negative); the
    others are upper case, left-aligned and blank-padded, cut at their width."""

    name: str
    width: int
    source: str
    numeric: bool = False
    decimals: int = 0
    confirmed: bool = False


# --- codes ------------------------------------------------------------------------------

# The debtor's category as the Reglamento numbers them (0 Normal ... 4 Pérdida).
CATEGORY_CODES = {
    Category.normal: "0",
    Category.cpp: "1",
    Category.deficiente: "2",
    Category.dudoso: "3",
    Category.perdida: "4",
}
# The credit types of the Reglamento (Res. SBS 11356-2008) by their numbers in it; a
# product made before the two kinds of consumer credit were told apart reports as
# non-revolving (the kind of an instalment loan). To confirm against the RCD's table.
CREDIT_TYPE_CODES = {
    CreditType.mediana_empresa: "08",
    CreditType.pequena_empresa: "09",
    CreditType.microempresa: "10",
    CreditType.consumo_revolvente: "11",
    CreditType.consumo_no_revolvente: "12",
    CreditType.consumo: "12",
    CreditType.hipotecario: "13",
}
# SUNAT's table of identity documents (catálogo 06), which the RCD is taken to share.
DOCUMENT_CODES = {"DNI": "1", "CE": "4", "RUC": "6"}
CURRENCY_CODES = {"PEN": "1", "USD": "2"}
PERSON_CODES = {"natural": "1", "legal": "2"}

# --- records ----------------------------------------------------------------------------

CONTROL: Sequence[FileField] = (
    FileField("tipo_registro", 1, "always 0: the control record, first line"),
    FileField("anexo", 2, "always 06: Anexo 6, Reporte Crediticio de Deudores"),
    FileField("ruc_empresa", 11, "cooperative.ruc", numeric=True, confirmed=True),
    FileField("periodo", 6, "the month reported, YYYYMM", numeric=True),
    FileField("registros", 8, "the number of debtor records after this one", numeric=True),
    FileField("deudores", 8, "the number of distinct debtors", numeric=True),
)

DEBTOR: Sequence[FileField] = (
    FileField("tipo_registro", 1, "always 1: a debtor, credit type and currency"),
    FileField("correlativo", 8, "the record's number, from 1, in the file's order", numeric=True),
    FileField(
        "tipo_documento", 1, "member.document_type, coded by DOCUMENT_CODES", numeric=True
    ),
    FileField("numero_documento", 12, "member.document_number", confirmed=True),
    FileField(
        "tipo_persona",
        1,
        "1 natural person (DNI, CE), 2 legal person (RUC), coded by PERSON_CODES",
        numeric=True,
    ),
    FileField(
        "nombre",
        120,
        "member.legal_name, or member.last_names and member.first_names, "
        "without accents",
        confirmed=True,
    ),
    FileField("genero", 1, "member.sex (F, M; blank for a legal person)"),
    FileField("codigo_deudor", 20, "member.member_number: the debtor's code in the cooperative"),
    FileField(
        "tipo_credito", 2, "loan_classification.credit_type, coded by CREDIT_TYPE_CODES",
        numeric=True,
    ),
    FileField("moneda", 1, "loan_classification.currency, coded by CURRENCY_CODES", numeric=True),
    FileField(
        "clasificacion",
        1,
        "loan_classification.debtor_category (after alignment), coded by CATEGORY_CODES",
        numeric=True,
        confirmed=True,
    ),
    FileField(
        "dias_atraso", 4, "the most of loan_classification.days_past_due", numeric=True,
        confirmed=True,
    ),
    FileField(
        "creditos", 3, "the number of the debtor's loans of the credit type and currency",
        numeric=True,
    ),
    FileField(
        "saldo_vigente",
        15,
        "14x1: loan_classification.balance less its overdue and judicial parts, of loans "
        "not refinanced",
        numeric=True,
        decimals=2,
        confirmed=True,
    ),
    FileField(
        "saldo_refinanciado",
        15,
        "14x4: the same part of refinanced loans (loan.refinanced_from_id set)",
        numeric=True,
        decimals=2,
        confirmed=True,
    ),
    FileField(
        "saldo_vencido", 15, "14x5: loan_classification.overdue_balance", numeric=True,
        decimals=2, confirmed=True,
    ),
    FileField(
        "saldo_judicial", 15, "14x6: loan_classification.judicial_balance", numeric=True,
        decimals=2, confirmed=True,
    ),
    FileField(
        "rendimientos_devengados",
        15,
        "14x8: loan_classification.accrued_interest",
        numeric=True,
        decimals=2,
        confirmed=True,
    ),
    FileField(
        "creditos_contingentes",
        15,
        "71: always 0, a cooperative of coopac-core grants no contingent credit",
        numeric=True,
        decimals=2,
    ),
    FileField(
        "provision_especifica",
        15,
        "14x9.01 (as a positive amount): loan_classification.provision_specific",
        numeric=True,
        decimals=2,
        confirmed=True,
    ),
    FileField(
        "provision_generica",
        15,
        "14x9.02 (as a positive amount): loan_classification.provision_generic",
        numeric=True,
        decimals=2,
        confirmed=True,
    ),
    FileField(
        "garantias",
        15,
        "loan_classification.covered: pledged deposits and collateral at realisable value",
        numeric=True,
        decimals=2,
    ),
)  # fmt: skip

# The balances of a debtor record and the ledger account each is on ({c}: the currency's
# digit of the SBS chart): the file's totals are the trial balance's for these accounts.
BALANCE_ACCOUNTS: Mapping[str, str] = {
    "saldo_vigente": "14{c}1",
    "saldo_refinanciado": "14{c}4",
    "saldo_vencido": "14{c}5",
    "saldo_judicial": "14{c}6",
    "rendimientos_devengados": "14{c}8",
    "provision_especifica": "14{c}9.01",
    "provision_generica": "14{c}9.02",
}
# Provisions are credit balances in the ledger and positive amounts in the file.
CREDIT_BALANCES = frozenset({"provision_especifica", "provision_generica"})


def plain(text: str) -> str:
    """Upper case without accents (Ñ as N), in ASCII."""
    decomposed = unicodedata.normalize("NFKD", text.upper())
    return decomposed.encode("ascii", "ignore").decode("ascii")


def _cell(spec: FileField, value: object) -> str:
    if spec.numeric:
        if isinstance(value, Decimal):
            units = int((value * 10**spec.decimals).to_integral_value())
        else:
            units = int(str(value or 0))
        digits = str(abs(units)).rjust(spec.width - (units < 0), "0")
        text = ("-" if units < 0 else "") + digits
    else:
        text = plain(str(value or "")).ljust(spec.width)
    if len(text) > spec.width:
        if spec.numeric:  # a number never loses digits silently
            raise ValueError(f"{spec.name}: {value} does not fit in {spec.width} digits")
        text = text[: spec.width]
    return text


def record(fields: Sequence[FileField], values: Mapping[str, object]) -> str:
    """One line of the file: each field of ``fields`` from ``values`` by its name."""
    return "".join(_cell(spec, values.get(spec.name)) for spec in fields)


def width(fields: Sequence[FileField]) -> int:
    return sum(spec.width for spec in fields)
