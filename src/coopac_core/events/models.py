"""The outbox and its deliveries.

An event row is written in the transaction of the change that causes it: a money movement's
by the posting trigger (``coopac_entry_events``, sql/functions/), whoever posts; the
others by the service that makes the change (``events.service.emit``). A trigger on the
event table turns each event into one delivery per active webhook endpoint that wants it,
in the same transaction."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import BigInteger, CheckConstraint, Column, Identity, Index, text
from sqlalchemy.dialects.postgresql import ARRAY, JSONB
from sqlalchemy.types import String
from sqlmodel import Field, SQLModel

from coopac_core.models_base import created_at_field, timestamp_field


class EventType(StrEnum):
    """Every event the service writes. A money movement is ``money.<kind of entry>``, except
    a loan's disbursement, repayment and write-off, which are the loan's."""

    member_created = "member.created"
    member_updated = "member.updated"
    loan_submitted = "loan.submitted"
    loan_approved = "loan.approved"
    loan_rejected = "loan.rejected"
    loan_disbursed = "loan.disbursed"
    loan_repaid = "loan.repaid"
    loan_overdue = "loan.overdue"
    loan_written_off = "loan.written_off"
    loan_classification_changed = "loan.classification_changed"
    close_of_business_finished = "close_of_business.finished"
    period_closed = "period.closed"
    money_deposit = "money.deposit"
    money_withdrawal = "money.withdrawal"
    money_transfer = "money.transfer"
    money_share_payment = "money.share_payment"
    money_share_refund = "money.share_refund"
    money_reversal = "money.reversal"
    money_interest_accrual = "money.interest_accrual"
    money_interest = "money.interest"
    money_loan_accrual = "money.loan_accrual"
    money_loan_transfer = "money.loan_transfer"
    money_loan_provision = "money.loan_provision"
    money_loan_judicial = "money.loan_judicial"
    money_loan_recovery = "money.loan_recovery"
    money_loan_refinance = "money.loan_refinance"
    money_adjustment = "money.adjustment"
    money_cash_transfer = "money.cash_transfer"
    money_bank_deposit = "money.bank_deposit"
    money_bank_withdrawal = "money.bank_withdrawal"
    money_cash_over_short = "money.cash_over_short"
    money_exchange = "money.exchange"
    money_exchange_revaluation = "money.exchange_revaluation"
    money_opening_balance = "money.opening_balance"
    # every kind of entry has its event (the posting trigger writes money.<kind>): these
    # three were written and could not be asked for by name
    money_loan_parts = "money.loan_parts"
    money_year_close = "money.year_close"
    money_surplus_distribution = "money.surplus_distribution"
    import_finished = "import.finished"
    approval_requested = "approval.requested"
    approval_approved = "approval.approved"
    approval_rejected = "approval.rejected"


class Event(SQLModel, table=True):
    """One business event. ``tx_id`` is the writing transaction's id: the feed orders by
    it and shows only transactions older than every one still running, so a consumer that
    resumes from its cursor never skips an event committed late (see ``service.feed``)."""

    __tablename__ = "event"
    __table_args__ = (
        Index("ix_event_feed", "cooperative_id", "tx_id", "seq"),
        # a journal entry writes one event, however many statements post its lines
        Index(
            "uq_event_entry",
            "cooperative_id",
            "entry_id",
            unique=True,
            postgresql_where=text("entry_id IS NOT NULL"),
        ),
    )

    cooperative_id: uuid.UUID = Field(foreign_key="cooperative.id", primary_key=True)
    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    seq: int | None = Field(
        default=None, sa_column=Column(BigInteger, Identity(always=True), nullable=False)
    )
    tx_id: int | None = Field(
        default=None,
        sa_column=Column(
            BigInteger,
            server_default=text("(pg_current_xact_id()::text)::bigint"),
            nullable=False,
        ),
    )
    type: str = Field(max_length=64)
    subject_kind: str = Field(max_length=32)
    subject_id: str = Field(max_length=64)  # an id, or a period ("2026-10")
    entry_id: uuid.UUID | None = None
    business_date: date
    occurred_at: datetime = created_at_field()
    data: dict[str, Any] = Field(sa_column=Column(JSONB, nullable=False))


class EndpointStatus(StrEnum):
    active = "active"
    disabled = "disabled"


class WebhookEndpoint(SQLModel, table=True):
    __tablename__ = "webhook_endpoint"
    __table_args__ = (
        CheckConstraint("status IN ('active', 'disabled')", name="endpoint_status_valid"),
    )

    cooperative_id: uuid.UUID = Field(foreign_key="cooperative.id", primary_key=True)
    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    url: str = Field(max_length=2000)
    # exact types, ``group.*`` or ``*``
    event_types: list[str] = Field(sa_column=Column(ARRAY(String(64)), nullable=False))
    description: str | None = Field(default=None, max_length=500)
    # the signing key (``whsec_``...), sealed (events.sealing): the worker unseals it to
    # sign; shown once on creation
    secret: str = Field(max_length=500)
    status: str = Field(default=EndpointStatus.active, max_length=16)
    disabled_reason: str | None = Field(default=None, max_length=500)
    disabled_at: datetime | None = timestamp_field()
    # since when every delivery has failed (cleared by a success)
    failing_since: datetime | None = timestamp_field()
    last_success_at: datetime | None = timestamp_field()
    created_by: str = Field(max_length=100)
    created_at: datetime = created_at_field()


class DeliveryStatus(StrEnum):
    pending = "pending"
    sending = "sending"
    succeeded = "succeeded"
    failed = "failed"


class WebhookDelivery(SQLModel, table=True):
    """One event to one endpoint. ``next_attempt_at`` is when a worker may take it; a worker
    that takes it pushes it a lease ahead, so another takes it only if the first died."""

    __tablename__ = "webhook_delivery"
    __table_args__ = (
        CheckConstraint(
            "status IN ('pending', 'sending', 'succeeded', 'failed')",
            name="delivery_status_valid",
        ),
        Index(
            "uq_webhook_delivery_event", "cooperative_id", "endpoint_id", "event_id", unique=True
        ),
        Index(
            "ix_webhook_delivery_due",
            "next_attempt_at",
            postgresql_where=text("status IN ('pending', 'sending')"),
        ),
        Index("ix_webhook_delivery_endpoint", "cooperative_id", "endpoint_id", "created_at"),
    )

    cooperative_id: uuid.UUID = Field(foreign_key="cooperative.id", primary_key=True)
    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    endpoint_id: uuid.UUID
    event_id: uuid.UUID
    status: str = Field(default=DeliveryStatus.pending, max_length=16)
    attempts: int = 0
    next_attempt_at: datetime = created_at_field()
    last_status_code: int | None = None
    last_error: str | None = Field(default=None, max_length=500)
    delivered_at: datetime | None = timestamp_field()
    created_at: datetime = created_at_field()


class WebhookAttempt(SQLModel, table=True):
    __tablename__ = "webhook_attempt"

    cooperative_id: uuid.UUID = Field(foreign_key="cooperative.id", primary_key=True)
    delivery_id: uuid.UUID = Field(primary_key=True)
    number: int = Field(primary_key=True)
    started_at: datetime = created_at_field()
    duration_ms: int
    status_code: int | None = None
    error: str | None = Field(default=None, max_length=500)
    worker: str = Field(max_length=100)
