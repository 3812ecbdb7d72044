"""A loan's records against its balance, for ``coopac verify-ledger``: what a mirror entry
or a bug could leave wrong (an active loan whose installments owe another principal, a
closed one with a balance, an undisbursed one with a schedule)."""

from __future__ import annotations

import uuid

from sqlalchemy import text
from sqlmodel import Session

from coopac_core.ledger.service.verification import PRODUCT_CHECKS


def check_loan_records(session: Session, cooperative_id: uuid.UUID) -> list[str]:
    rows = session.execute(
        text(
            "SELECT l.number, l.status, l.balance, count(i.number) AS installments, "
            "coalesce(sum(i.principal - i.principal_paid), 0) AS principal_owed "
            "FROM loan l LEFT JOIN loan_installment i "
            "ON i.cooperative_id = l.cooperative_id AND i.loan_id = l.id "
            "WHERE l.cooperative_id = :c GROUP BY l.cooperative_id, l.id"
        ),
        {"c": cooperative_id},
    ).all()
    problems = []
    for number, status, balance, installments, owed in rows:
        if status == "active" and (installments == 0 or owed != balance):
            problems.append(
                f"loan {number}: active with balance {balance} but installments owe {owed}"
            )
        elif status != "active" and balance != 0:
            problems.append(f"loan {number}: {status} with balance {balance}")
        elif status in ("draft", "submitted", "approved", "rejected") and installments:
            problems.append(f"loan {number}: {status} yet has a schedule of {installments}")
    return problems


PRODUCT_CHECKS.append(check_loan_records)
