"""Human numbers (member numbers, account numbers) from per-cooperative counters."""

from __future__ import annotations

import uuid

from sqlalchemy import text
from sqlmodel import Field, Session, SQLModel


class Counter(SQLModel, table=True):
    __tablename__ = "counter"

    cooperative_id: uuid.UUID = Field(foreign_key="cooperative.id", primary_key=True)
    name: str = Field(max_length=32, primary_key=True)
    value: int = Field(default=0)


def next_value(session: Session, cooperative_id: uuid.UUID, name: str) -> int:
    value = session.execute(
        text(
            "INSERT INTO counter (cooperative_id, name, value) VALUES (:c, :n, 1) "
            "ON CONFLICT (cooperative_id, name) DO UPDATE SET value = counter.value + 1 "
            "RETURNING value"
        ),
        {"c": cooperative_id, "n": name},
    ).scalar_one()
    return int(value)


def luhn_digit(digits: str) -> int:
    """The Luhn check digit for ``digits``: catches any single wrong digit and most swaps."""
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2 == 0:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return (10 - total % 10) % 10


def with_check_digit(digits: str) -> str:
    return digits + str(luhn_digit(digits))


def is_valid_check_digit(number: str) -> bool:
    plain = number.replace("-", "")
    return plain.isdigit() and len(plain) > 1 and luhn_digit(plain[:-1]) == int(plain[-1])
