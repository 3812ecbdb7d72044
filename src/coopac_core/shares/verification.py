"""A share account's records against its balance, for ``coopac verify-ledger``: a closed
account (capital returned) holds nothing."""

from __future__ import annotations

import uuid

from sqlalchemy import text
from sqlmodel import Session


def check_share_records(session: Session, cooperative_id: uuid.UUID) -> list[str]:
    rows = session.execute(
        text(
            "SELECT s.balance, m.member_number FROM share_account s "
            "JOIN member m ON m.cooperative_id = s.cooperative_id AND m.id = s.member_id "
            "WHERE s.cooperative_id = :c AND s.status = 'closed' AND s.balance <> 0"
        ),
        {"c": cooperative_id},
    ).all()
    return [f"shares of member {number}: closed with balance {balance}" for balance, number in rows]
