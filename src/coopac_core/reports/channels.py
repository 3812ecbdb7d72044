"""A month's member operations by channel: what the federation measures digital channels
by (journal_entry.channel)."""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import text
from sqlmodel import Session

# The month's member operations by channel: what the federation measures digital channels
# by. DOMAIN.md is silent on what counts as digital: an agent (a corresponsal) and the
# mobile app are; the counter, a script's batch and the system are not.
OPERATIONS_BY_CHANNEL = """
SELECT e.channel, count(*) AS n
FROM journal_entry e
WHERE e.cooperative_id = :c AND e.business_date >= :start AND e.business_date <= :d
  AND e.kind IN ('deposit', 'withdrawal', 'transfer', 'share_payment', 'share_refund',
                 'loan_disbursement', 'loan_repayment', 'exchange')
  AND e.reversal_of IS NULL
  AND NOT EXISTS (SELECT 1 FROM journal_entry r
                  WHERE r.cooperative_id = e.cooperative_id AND r.reversal_of = e.id)
GROUP BY e.channel ORDER BY e.channel
"""
DIGITAL_CHANNELS = frozenset({"agent", "mobile"})


def operations_by_channel(
    session: Session, cooperative_id: uuid.UUID, period: str, day: date
) -> dict[str, int]:
    rows = session.execute(
        text(OPERATIONS_BY_CHANNEL),
        {"c": cooperative_id, "start": date(int(period[:4]), int(period[5:7]), 1), "d": day},
    ).all()
    return {r.channel: int(r.n) for r in rows}
