"""verify-ledger's proof of the counter: each till's cash equals its postings, and each receipt
series is gapless."""

from __future__ import annotations

import uuid

from sqlalchemy import text
from sqlmodel import Session


def check_till_cash(session: Session, cooperative_id: uuid.UUID) -> list[str]:
    """Each till's cash (the balance the counter keeps and refuses below zero or above its
    ceiling) equals its GL sub-account's postings; each transfer in transit is in the
    transit account; no receipt number of a series is missing. ``coopac verify-ledger``."""
    problems: list[str] = []
    rows = session.execute(
        text(
            "SELECT t.code, c.currency, c.balance, coalesce((SELECT sum(p.amount) FROM posting p "
            "WHERE p.cooperative_id = c.cooperative_id AND p.gl_account_id = c.gl_account_id), 0) "
            "FROM till_cash c JOIN till t ON t.cooperative_id = c.cooperative_id "
            "AND t.id = c.till_id WHERE c.cooperative_id = :c"
        ),
        {"c": cooperative_id},
    ).all()
    for code, currency, balance, posted in rows:
        if balance != posted:
            problems.append(f"till {code} {currency}: cash {balance} but postings sum {posted}")
    transit = session.execute(
        text(
            "SELECT a.currency, coalesce((SELECT sum(p.amount) FROM posting p "
            "WHERE p.cooperative_id = a.cooperative_id AND p.gl_account_id = a.gl_account_id), 0), "
            "coalesce((SELECT sum(x.amount) FROM till_transfer x WHERE x.cooperative_id = "
            "a.cooperative_id AND x.currency = a.currency AND x.status = 'in_transit'), 0) "
            "FROM counter_account a WHERE a.cooperative_id = :c AND a.purpose = 'cash_in_transit'"
        ),
        {"c": cooperative_id},
    ).all()
    for currency, posted, pending in transit:
        if posted != pending:
            problems.append(f"cash in transit {currency}: books {posted} but transfers {pending}")
    gaps = session.execute(
        text(
            "SELECT r.series, s.last_number, count(*), max(r.sequence) FROM receipt r "
            "JOIN receipt_series s ON s.cooperative_id = r.cooperative_id "
            "AND s.branch_id = r.branch_id AND s.series = r.series "
            "WHERE r.cooperative_id = :c GROUP BY r.branch_id, r.series, s.last_number"
        ),
        {"c": cooperative_id},
    ).all()
    for series, last, issued, highest in gaps:
        if not issued == highest == last:
            problems.append(f"receipt series {series}: {issued} issued, last number {last}")
    return problems
