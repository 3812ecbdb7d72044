"""A savings account's records against its balance, for ``coopac verify-ledger``: what a
mirror entry or a bug could leave wrong (holds that no longer match the amount held, a
closed account with money in it). More held than there is can be right (an embargo for
more than the balance keeps what comes in); that money never leaves under a hold is the
movements' and the reversal guard's rule, checked when the money moves."""

from __future__ import annotations

import uuid

from sqlalchemy import text
from sqlmodel import Session

from coopac_core.ledger.service.verification import PRODUCT_CHECKS


def check_savings_records(session: Session, cooperative_id: uuid.UUID) -> list[str]:
    rows = session.execute(
        text(
            "SELECT a.number, a.status, a.balance, a.held_amount, "
            "coalesce(h.active, 0) AS holds "
            "FROM savings_account a LEFT JOIN ("
            "  SELECT account_id, sum(amount) AS active FROM savings_hold "
            "  WHERE cooperative_id = :c AND status = 'active' GROUP BY account_id"
            ") h ON h.account_id = a.id "
            "WHERE a.cooperative_id = :c "
            "AND (a.held_amount <> coalesce(h.active, 0) "
            "     OR (a.status = 'closed' AND (a.balance <> 0 OR a.held_amount <> 0)))"
        ),
        {"c": cooperative_id},
    ).all()
    problems = []
    for number, status, balance, held, holds in rows:
        if held != holds:
            problems.append(f"savings {number}: held {held} but active holds add to {holds}")
        if status == "closed" and (balance != 0 or held != 0):
            problems.append(f"savings {number}: closed with balance {balance}, held {held}")
    return problems


PRODUCT_CHECKS.append(check_savings_records)
