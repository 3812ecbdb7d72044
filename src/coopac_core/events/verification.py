"""The outbox's proof for ``coopac verify-ledger``: every journal entry since the outbox
began (the cooperative's first entry with an event: the ones before migration 0028 have
none) has exactly its one event, of its kind."""

from __future__ import annotations

import uuid

from sqlalchemy import text
from sqlmodel import Session

_MISSING = """
WITH first AS (
    SELECT min(j.seq) AS seq FROM journal_entry j
    JOIN event e ON e.cooperative_id = j.cooperative_id AND e.entry_id = j.id
    WHERE j.cooperative_id = :c
)
SELECT j.id, j.kind, e.type FROM journal_entry j
CROSS JOIN first
LEFT JOIN event e ON e.cooperative_id = j.cooperative_id AND e.entry_id = j.id
WHERE j.cooperative_id = :c AND j.seq >= first.seq
  AND (e.id IS NULL OR e.type <> CASE j.kind
        WHEN 'loan_disbursement' THEN 'loan.disbursed'
        WHEN 'loan_repayment' THEN 'loan.repaid'
        WHEN 'loan_write_off' THEN 'loan.written_off'
        ELSE 'money.' || j.kind END)
ORDER BY j.seq
LIMIT 20
"""


def check_events(session: Session, cooperative_id: uuid.UUID) -> list[str]:
    rows = session.execute(text(_MISSING), {"c": cooperative_id}).all()
    return [
        f"journal entry {entry_id} ({kind}): "
        + (f"its event is {found}" if found else "no event in the outbox")
        for entry_id, kind, found in rows
    ]
