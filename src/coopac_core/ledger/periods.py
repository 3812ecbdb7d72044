"""A closed month takes no entry: the one check every way of booking passes through.

The database refuses it too (``coopac_refuse_entry_in_closed_period``, a trigger on
``journal_entry``), so no path that forgets this check can book into a closed month; this
one answers with the reason."""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import text
from sqlmodel import Session

from coopac_core.ledger.errors import PeriodClosed


def check_open(session: Session, cooperative_id: uuid.UUID, day: date) -> None:
    period = f"{day.year:04d}-{day.month:02d}"
    closed = session.execute(
        text(
            "SELECT 1 FROM period_snapshot WHERE cooperative_id = :c AND period = :p "
            "AND status = 'closed'"
        ),
        {"c": cooperative_id, "p": period},
    ).first()
    if closed is not None:
        raise PeriodClosed(period=period, day=day.isoformat())
