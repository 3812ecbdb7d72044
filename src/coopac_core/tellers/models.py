"""The counter's tables: tills and the vault, their cash, sessions, transfers, receipts."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    CheckConstraint,
    Column,
    ForeignKeyConstraint,
    Index,
    Numeric,
    UniqueConstraint,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlmodel import Field, SQLModel

from coopac_core.models_base import created_at_field, timestamp_field


class TillKind(StrEnum):
    till = "till"
    vault = "vault"


class SessionStatus(StrEnum):
    open = "open"
    closed = "closed"


class TransferStatus(StrEnum):
    in_transit = "in_transit"
    received = "received"


class CounterPurpose(StrEnum):
    """The accounts the cooperative sets for what the counter books besides cash."""

    cash_over = "cash_over"  # sobrante de caja
    cash_short = "cash_short"  # faltante de caja
    cash_in_transit = "cash_in_transit"  # between the vault and a till, until received
    exchange_position = "exchange_position"  # the bridge of a currency bought or sold
    exchange_income = "exchange_income"  # the spread earned on it


class Till(SQLModel, table=True):
    """A teller's till (caja) or the branch's vault (bóveda): one cash sub-account per
    currency under the branch's cash account."""

    __tablename__ = "till"
    __table_args__ = (
        UniqueConstraint("cooperative_id", "branch_id", "code", name="uq_till_code"),
        CheckConstraint("kind IN ('till', 'vault')", name="kind_valid"),
        Index(
            "uq_till_vault",
            "cooperative_id",
            "branch_id",
            unique=True,
            postgresql_where=text("kind = 'vault'"),
        ),
        ForeignKeyConstraint(
            ["cooperative_id", "branch_id"], ["branch.cooperative_id", "branch.id"]
        ),
    )

    cooperative_id: uuid.UUID = Field(foreign_key="cooperative.id", primary_key=True)
    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    branch_id: uuid.UUID
    # short: it names the till's GL sub-account (11x1.<branch>.<till>) and receipt series
    code: str = Field(max_length=10)
    name: str = Field(max_length=100)
    kind: str = Field(default=TillKind.till, max_length=8)
    created_at: datetime = created_at_field()


class TillCash(SQLModel, table=True):
    """What a till holds in one currency: its GL sub-account, the balance its postings
    make it (moved by the posting trigger, never written by the service) and its ceiling."""

    __tablename__ = "till_cash"
    __table_args__ = (
        CheckConstraint("balance >= 0", name="till_cash_not_negative"),
        CheckConstraint("ceiling IS NULL OR ceiling >= 0", name="ceiling_not_negative"),
        UniqueConstraint("cooperative_id", "gl_account_id", name="uq_till_cash_gl"),
        ForeignKeyConstraint(["cooperative_id", "till_id"], ["till.cooperative_id", "till.id"]),
        ForeignKeyConstraint(
            ["cooperative_id", "gl_account_id"], ["gl_account.cooperative_id", "gl_account.id"]
        ),
    )

    cooperative_id: uuid.UUID = Field(primary_key=True)
    till_id: uuid.UUID = Field(primary_key=True)
    currency: str = Field(max_length=3, primary_key=True)
    gl_account_id: uuid.UUID
    balance: Decimal = Field(
        default=Decimal("0.00"),
        sa_column=Column(Numeric(18, 2), nullable=False, server_default="0"),
    )
    ceiling: Decimal | None = Field(default=None, sa_column=Column(Numeric(18, 2)))


class TillSession(SQLModel, table=True):
    """A teller's day at a till: opened with a count, closed with another; the difference
    from what the books expect is booked as over or short."""

    __tablename__ = "till_session"
    __table_args__ = (
        CheckConstraint("status IN ('open', 'closed')", name="status_valid"),
        Index(
            "uq_till_session_open_till",
            "cooperative_id",
            "till_id",
            unique=True,
            postgresql_where=text("status = 'open'"),
        ),
        Index(
            "uq_till_session_open_teller",
            "cooperative_id",
            "teller_id",
            unique=True,
            postgresql_where=text("status = 'open'"),
        ),
        Index("ix_till_session_day", "cooperative_id", "business_date", "status"),
        ForeignKeyConstraint(["cooperative_id", "till_id"], ["till.cooperative_id", "till.id"]),
    )

    cooperative_id: uuid.UUID = Field(foreign_key="cooperative.id", primary_key=True)
    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    till_id: uuid.UUID
    branch_id: uuid.UUID
    teller_id: uuid.UUID
    teller_name: str = Field(max_length=100)
    status: str = Field(default=SessionStatus.open, max_length=8)
    business_date: date
    opened_at: datetime = created_at_field()
    # [{"currency": "PEN", "amount": "1000.00", "denominations": [...]}]
    opening_count: list[dict[str, Any]] = Field(sa_column=Column(JSONB, nullable=False))
    opening_differences: list[dict[str, Any]] = Field(sa_column=Column(JSONB, nullable=False))
    closed_at: datetime | None = timestamp_field()
    closed_by_id: uuid.UUID | None = None
    closed_by_name: str | None = Field(default=None, max_length=100)
    closing_count: list[dict[str, Any]] | None = Field(default=None, sa_column=Column(JSONB))
    expected: list[dict[str, Any]] | None = Field(default=None, sa_column=Column(JSONB))
    differences: list[dict[str, Any]] | None = Field(default=None, sa_column=Column(JSONB))


class TillTransfer(SQLModel, table=True):
    """Cash between the vault and a till: in transit from the sender's record until the
    receiver confirms the amount."""

    __tablename__ = "till_transfer"
    __table_args__ = (
        CheckConstraint("status IN ('in_transit', 'received')", name="status_valid"),
        CheckConstraint("amount > 0", name="amount_positive"),
        CheckConstraint("from_till_id <> to_till_id", name="two_tills"),
        Index("ix_till_transfer_status", "cooperative_id", "branch_id", "status"),
        ForeignKeyConstraint(
            ["cooperative_id", "from_till_id"], ["till.cooperative_id", "till.id"]
        ),
        ForeignKeyConstraint(["cooperative_id", "to_till_id"], ["till.cooperative_id", "till.id"]),
    )

    cooperative_id: uuid.UUID = Field(foreign_key="cooperative.id", primary_key=True)
    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    branch_id: uuid.UUID
    from_till_id: uuid.UUID
    to_till_id: uuid.UUID
    currency: str = Field(max_length=3)
    amount: Decimal = Field(sa_column=Column(Numeric(18, 2), nullable=False))
    status: str = Field(default=TransferStatus.in_transit, max_length=12)
    sent_by_id: uuid.UUID | None = None
    sent_by_name: str = Field(max_length=100)
    sent_at: datetime = created_at_field()
    send_entry_id: uuid.UUID
    received_by_id: uuid.UUID | None = None
    received_by_name: str | None = Field(default=None, max_length=100)
    received_at: datetime | None = timestamp_field()
    receive_entry_id: uuid.UUID | None = None


class CounterAccount(SQLModel, table=True):
    """The GL account the cooperative set for a purpose of the counter, per currency."""

    __tablename__ = "counter_account"
    __table_args__ = (
        CheckConstraint(
            "purpose IN ('cash_over', 'cash_short', 'cash_in_transit', 'exchange_position', "
            "'exchange_income')",
            name="purpose_valid",
        ),
        ForeignKeyConstraint(
            ["cooperative_id", "gl_account_id", "currency"],
            ["gl_account.cooperative_id", "gl_account.id", "gl_account.currency"],
        ),
    )

    cooperative_id: uuid.UUID = Field(foreign_key="cooperative.id", primary_key=True)
    purpose: str = Field(max_length=20, primary_key=True)
    currency: str = Field(max_length=3, primary_key=True)
    gl_account_id: uuid.UUID


class ReceiptSeries(SQLModel, table=True):
    """The last receipt number of a branch's series (a till's code): gapless, because it
    is taken in the transaction that books the operation."""

    __tablename__ = "receipt_series"
    __table_args__ = (
        ForeignKeyConstraint(
            ["cooperative_id", "branch_id"], ["branch.cooperative_id", "branch.id"]
        ),
    )

    cooperative_id: uuid.UUID = Field(foreign_key="cooperative.id", primary_key=True)
    branch_id: uuid.UUID = Field(primary_key=True)
    series: str = Field(max_length=10, primary_key=True)
    last_number: int = Field(default=0)


class Receipt(SQLModel, table=True):
    """The receipt of a counter operation: its number and the entry it proves."""

    __tablename__ = "receipt"
    __table_args__ = (
        UniqueConstraint(
            "cooperative_id", "branch_id", "series", "sequence", name="uq_receipt_sequence"
        ),
        UniqueConstraint("cooperative_id", "journal_entry_id", name="uq_receipt_entry"),
        ForeignKeyConstraint(
            ["cooperative_id", "journal_entry_id"],
            ["journal_entry.cooperative_id", "journal_entry.id"],
        ),
    )

    cooperative_id: uuid.UUID = Field(foreign_key="cooperative.id", primary_key=True)
    number: str = Field(max_length=60, primary_key=True)
    branch_id: uuid.UUID
    series: str = Field(max_length=10)
    sequence: int
    journal_entry_id: uuid.UUID
    till_session_id: uuid.UUID | None = None
    issued_at: datetime = created_at_field()


class CounterSetting(SQLModel, table=True):
    """A cooperative's threshold per currency above which a cash withdrawal waits for a
    supervisor's approval (none set: none waits)."""

    __tablename__ = "counter_setting"
    __table_args__ = (CheckConstraint("withdrawal_approval_above > 0", name="threshold_positive"),)

    cooperative_id: uuid.UUID = Field(foreign_key="cooperative.id", primary_key=True)
    currency: str = Field(max_length=3, primary_key=True)
    withdrawal_approval_above: Decimal = Field(sa_column=Column(Numeric(18, 2), nullable=False))
    set_by: str = Field(max_length=100)
    updated_at: datetime = created_at_field()


class WithdrawalStatus(StrEnum):
    """A withdrawal request's status as the counter names it (the approvals engine's
    ``pending`` is ``pending_approval`` here)."""

    pending_approval = "pending_approval"
    approved = "approved"
    rejected = "rejected"
    expired = "expired"
