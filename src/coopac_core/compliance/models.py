from __future__ import annotations

import uuid
from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import Column, ForeignKeyConstraint, Index, Text
from sqlmodel import Field, SQLModel

from coopac_core.models_base import created_at_field, timestamp_field


class ReportStatus(StrEnum):
    open = "open"
    submitted = "submitted"  # sent to the UIF
    dismissed = "dismissed"


class SuspiciousOperation(SQLModel, table=True):
    """A staff member's report of an unusual operation (reporte de operación sospechosa):
    confidential, read and decided by the compliance officer only; nobody else, the member's
    branch included, can tell that it exists."""

    __tablename__ = "suspicious_operation"
    __table_args__ = (
        ForeignKeyConstraint(
            ["cooperative_id", "member_id"], ["member.cooperative_id", "member.id"]
        ),
        ForeignKeyConstraint(
            ["cooperative_id", "journal_entry_id"],
            ["journal_entry.cooperative_id", "journal_entry.id"],
        ),
        Index("ix_suspicious_operation_status", "cooperative_id", "status", "reported_at"),
    )

    cooperative_id: uuid.UUID = Field(foreign_key="cooperative.id", primary_key=True)
    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    member_id: uuid.UUID | None = None
    journal_entry_id: uuid.UUID | None = None
    description: str = Field(sa_column=Column(Text, nullable=False))
    reported_by: str = Field(max_length=100)
    reported_by_id: uuid.UUID | None = None
    reported_at: datetime = created_at_field()
    status: str = Field(default=ReportStatus.open, max_length=10)
    decided_by: str | None = Field(default=None, max_length=100)
    decided_by_id: uuid.UUID | None = None
    decided_at: datetime | None = timestamp_field()
    # submitted: the day it went to the UIF and the UIF's reference; dismissed: why
    submitted_on: date | None = None
    uif_reference: str | None = Field(default=None, max_length=100)
    dismiss_reason: str | None = Field(default=None, max_length=500)


class ScreeningEntry(SQLModel, table=True):
    """A person on a list the cooperative was given (PEP, sanctions): their document and
    names, and the names as they are compared (upper case, no accents, words sorted)."""

    __tablename__ = "screening_entry"
    __table_args__ = (
        Index("ix_screening_entry_document", "cooperative_id", "document_number"),
        Index("ix_screening_entry_names", "cooperative_id", "names_key"),
    )

    cooperative_id: uuid.UUID = Field(foreign_key="cooperative.id", primary_key=True)
    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    list_name: str = Field(max_length=60)
    document_number: str | None = Field(default=None, max_length=20)
    names: str = Field(max_length=300)
    names_key: str = Field(max_length=300)
    listed_on: date | None = None
    loaded_by: str = Field(max_length=100)
    loaded_at: datetime = created_at_field()
