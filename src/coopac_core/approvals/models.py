"""An approval request: what one person asked, of which kind, what approving it would do,
and who decided it when. Every kind of four-eyes operation keeps its requests here."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import CheckConstraint, Column, Index, text
from sqlalchemy.dialects.postgresql import JSONB
from sqlmodel import Field, SQLModel

from coopac_core.models_base import created_at_field, timestamp_field


class ApprovalStatus(StrEnum):
    pending = "pending"
    approved = "approved"
    rejected = "rejected"
    # past its expiry undecided; a request is shown so as soon as it is past it
    expired = "expired"


class ApprovalRequest(SQLModel, table=True):
    __tablename__ = "approval_request"
    __table_args__ = (
        CheckConstraint(
            "status IN ('pending', 'approved', 'rejected', 'expired')", name="status_valid"
        ),
        # the database holds the rule too: whatever the code, one person never decides
        # their own request
        CheckConstraint(
            "decided_by_id IS NULL OR decided_by_id <> requested_by_id",
            name="decided_by_another_person",
        ),
        Index("ix_approval_request_queue", "cooperative_id", "kind", "status", "requested_at"),
        # a kind that allows one request at a time per subject (a reversal per entry, a
        # write-off per loan) sets ``pending_key``: two asking at once, one gets through
        Index(
            "uq_approval_request_pending",
            "cooperative_id",
            "kind",
            "pending_key",
            unique=True,
            postgresql_where=text("status = 'pending' AND pending_key IS NOT NULL"),
        ),
    )

    cooperative_id: uuid.UUID = Field(foreign_key="cooperative.id", primary_key=True)
    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    kind: str = Field(max_length=32)
    status: str = Field(default=ApprovalStatus.pending, max_length=16)
    # what the request is about: a journal entry, a savings account, a loan
    subject_kind: str | None = Field(default=None, max_length=32)
    subject_id: uuid.UUID | None = None
    pending_key: str | None = Field(default=None, max_length=64)
    # what approving it would do, as its kind reads it back (lines, an amount, a reason)
    payload: dict[str, Any] = Field(
        default_factory=dict,
        sa_column=Column(JSONB, nullable=False, server_default=text("'{}'::jsonb")),
    )
    requested_by: str = Field(max_length=100)
    requested_by_id: uuid.UUID | None = None
    requested_at: datetime = created_at_field()
    expires_at: datetime | None = timestamp_field()
    decided_by: str | None = Field(default=None, max_length=100)
    decided_by_id: uuid.UUID | None = None
    decided_at: datetime | None = timestamp_field()
    decision_note: str | None = Field(default=None, max_length=300)
    # the entry approving it posted
    journal_entry_id: uuid.UUID | None = None
