"""The debtor file (RCD, Anexo 6) of a month: one record per debtor, credit type and currency
from the loans' month-end record (``loan_classification``), in the layout of
``reports.supervisor.rcd``; its totals beside the trial balance's loan accounts."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from sqlalchemy import text
from sqlmodel import Session

from coopac_core.federation.models import Cooperative
from coopac_core.ledger.chart import code_for
from coopac_core.loans.classification import Category, CreditType
from coopac_core.money import Currency
from coopac_core.reports.models import PeriodSnapshot
from coopac_core.reports.supervisor import rcd
from coopac_core.reports.supervisor.schemas import DebtorRecordOut, DebtorsFileOut, FileTotalOut

ZERO = Decimal("0.00")

# Each debtor, credit type and currency at the month end: the principal by the account each
# part is on (a refinanced loan's current part in 14x4, the others' in 14x1), accrued
# interest, provisions and guarantees. A loan paid off or written off in the month is no
# longer there (its balances are all zero).
_RECORDS = """
SELECT m.document_type, m.document_number, m.member_number, m.legal_name, m.last_names,
    m.first_names, m.sex, k.credit_type, k.currency, k.debtor_category,
    max(k.days_past_due) AS days_past_due, count(*) AS loans,
    coalesce(sum(k.balance - k.overdue_balance - k.judicial_balance)
             FILTER (WHERE l.refinanced_from_id IS NULL), 0) AS current,
    coalesce(sum(k.balance - k.overdue_balance - k.judicial_balance)
             FILTER (WHERE l.refinanced_from_id IS NOT NULL), 0) AS refinanced,
    sum(k.overdue_balance) AS overdue, sum(k.judicial_balance) AS judicial,
    sum(k.accrued_interest) AS accrued_interest, sum(k.provision_specific) AS specific,
    sum(k.provision_generic) AS generic, sum(k.covered) AS covered
FROM loan_classification k
JOIN member m ON m.cooperative_id = k.cooperative_id AND m.id = k.member_id
JOIN loan l ON l.cooperative_id = k.cooperative_id AND l.id = k.loan_id
WHERE k.cooperative_id = :c AND k.as_of = :d
  AND (k.balance <> 0 OR k.accrued_interest <> 0 OR k.provision_specific <> 0
       OR k.provision_generic <> 0)
GROUP BY m.id, m.document_type, m.document_number, m.member_number, m.legal_name,
    m.last_names, m.first_names, m.sex, k.credit_type, k.currency, k.debtor_category
ORDER BY m.document_type, m.document_number, k.credit_type, k.currency
"""

# The record's amounts by the layout's names, and the json's.
_AMOUNTS = {
    "saldo_vigente": "current",
    "saldo_refinanciado": "refinanced",
    "saldo_vencido": "overdue",
    "saldo_judicial": "judicial",
    "rendimientos_devengados": "accrued_interest",
    "creditos_contingentes": "contingent",
    "provision_especifica": "provision_specific",
    "provision_generica": "provision_generic",
    "garantias": "guarantees",
}


def _name(legal: str | None, last: str | None, first: str | None) -> str:
    return legal or " ".join(part for part in (last, first) if part)


def debtors_file(session: Session, coop: Cooperative, snap: PeriodSnapshot) -> DebtorsFileOut:
    rows = session.execute(text(_RECORDS), {"c": snap.cooperative_id, "d": snap.period_end})
    records = [
        DebtorRecordOut(
            record=n,
            document_type=r.document_type,
            document_number=r.document_number,
            person_type="legal" if r.document_type == "RUC" else "natural",
            name=_name(r.legal_name, r.last_names, r.first_names),
            sex=r.sex,
            member_number=r.member_number,
            credit_type=CreditType(r.credit_type),
            currency=Currency(r.currency),
            category=Category(r.debtor_category),
            days_past_due=r.days_past_due,
            loans=r.loans,
            current=r.current,
            refinanced=r.refinanced,
            overdue=r.overdue,
            judicial=r.judicial,
            accrued_interest=r.accrued_interest,
            contingent=ZERO,
            provision_specific=r.specific,
            provision_generic=r.generic,
            guarantees=r.covered,
        )
        for n, r in enumerate(rows, start=1)
    ]
    return DebtorsFileOut(
        cooperative_id=coop.id,
        period=snap.period,
        period_status=snap.status,
        records=records,
        debtors=len({(r.document_type, r.document_number) for r in records}),
        totals=_totals(session, snap, records),
    )


def _totals(
    session: Session, snap: PeriodSnapshot, records: list[DebtorRecordOut]
) -> list[FileTotalOut]:
    """Each balance column's total per currency, on its ledger account, beside that
    account's balance in the month's trial balance (every currency the books use)."""
    sums: dict[tuple[str, Currency], Decimal] = defaultdict(lambda: ZERO)
    for r in records:
        for field, template in rcd.BALANCE_ACCOUNTS.items():
            sums[(code_for(template, r.currency), r.currency)] += getattr(r, _AMOUNTS[field])
    ledger = {
        (code, currency): Decimal(balance)
        for code, currency, balance in session.execute(
            text(
                "SELECT code, currency, balance FROM period_gl_balance "
                "WHERE cooperative_id = :c AND period = :p"
            ),
            {"c": snap.cooperative_id, "p": snap.period},
        )
    }
    out = []
    for currency in Currency:
        if not any(c == currency for _, c in ledger) and not any(c == currency for _, c in sums):
            continue
        for field, template in rcd.BALANCE_ACCOUNTS.items():
            code = code_for(template, currency)
            # the account and any sub-account opened under it
            balance = sum(
                (
                    amount
                    for (c, cur), amount in ledger.items()
                    if cur == currency.value and (c == code or c.startswith(f"{code}."))
                ),
                ZERO,
            )
            out.append(
                FileTotalOut(
                    gl_account=code,
                    currency=currency,
                    file_total=sums.get((code, currency), ZERO),
                    ledger_balance=-balance if field in rcd.CREDIT_BALANCES else balance,
                )
            )
    return out


def debtors_file_text(coop: Cooperative, out: DebtorsFileOut) -> bytes:
    """The file itself: the control record, then the debtor records."""
    lines = [
        rcd.record(
            rcd.CONTROL,
            {
                "tipo_registro": "0",
                "anexo": "06",
                "ruc_empresa": coop.ruc,
                "periodo": out.period.replace("-", ""),
                "registros": len(out.records),
                "deudores": out.debtors,
            },
        )
    ]
    for r in out.records:
        values: dict[str, object] = {
            "tipo_registro": "1",
            "correlativo": r.record,
            "tipo_documento": rcd.DOCUMENT_CODES[r.document_type],
            "numero_documento": r.document_number,
            "tipo_persona": rcd.PERSON_CODES[r.person_type],
            "nombre": r.name,
            "genero": r.sex,
            "codigo_deudor": r.member_number,
            "tipo_credito": rcd.CREDIT_TYPE_CODES[r.credit_type],
            "moneda": rcd.CURRENCY_CODES[r.currency],
            "clasificacion": rcd.CATEGORY_CODES[r.category],
            "dias_atraso": r.days_past_due,
            "creditos": r.loans,
        }
        values.update({field: getattr(r, key) for field, key in _AMOUNTS.items()})
        lines.append(rcd.record(rcd.DEBTOR, values))
    return "".join(line + rcd.LINE_END for line in lines).encode(rcd.ENCODING)
