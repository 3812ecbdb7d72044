"""An import job and the files it was given."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import CheckConstraint, Column, ForeignKeyConstraint, Index, LargeBinary
from sqlalchemy.dialects.postgresql import JSONB
from sqlmodel import Field, SQLModel

from coopac_core.models_base import created_at_field, timestamp_field


class ImportStatus(StrEnum):
    """A job is checked whole (loaded and rolled back), then waits for another person;
    approved, it loads whole in one transaction."""

    checking = "checking"
    awaiting_approval = "awaiting_approval"  # checked: it loads, and nets the suspense
    rejected = "rejected"  # the second person said no
    running = "running"  # a job of the service before four eyes, stopped midway
    succeeded = "succeeded"  # every file loaded
    failed = "failed"  # a file refused (its rows and reasons in ``errors``), unbalanced,
    # or a crash


class ImportFileKind(StrEnum):
    """In the order they load: each may name what an earlier one loaded."""

    members = "members"
    savings = "savings"
    shares = "shares"
    loans = "loans"
    gl_balances = "gl_balances"


class FileStatus(StrEnum):
    pending = "pending"
    checked = "checked"  # loads, in the check: not loaded until the job is approved
    loaded = "loaded"
    refused = "refused"  # a bad row: nothing of the file was loaded


class ImportJob(SQLModel, table=True):
    __tablename__ = "import_job"
    __table_args__ = (
        CheckConstraint(
            "status IN ('checking', 'awaiting_approval', 'rejected', 'running', 'succeeded', "
            "'failed')",
            name="import_status_valid",
        ),
        Index("ix_import_job_started", "cooperative_id", "created_at"),
    )

    cooperative_id: uuid.UUID = Field(foreign_key="cooperative.id", primary_key=True)
    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    status: str = Field(default=ImportStatus.checking, max_length=20)
    # per file: kind, filename, status, rows, loaded, seconds
    files: list[dict[str, Any]] = Field(sa_column=Column(JSONB, nullable=False))
    # the first rows refused: file, line, reason (``error_count`` has them all)
    errors: list[dict[str, Any]] = Field(
        default_factory=list, sa_column=Column(JSONB, nullable=False)
    )
    error_count: int = 0
    # the migration suspense account's balance per currency once the job ended
    suspense: dict[str, str] = Field(default_factory=dict, sa_column=Column(JSONB, nullable=False))
    error: str | None = Field(default=None, max_length=1000)
    # why the job as a whole was refused (``import_unbalanced``), for clients to act on
    error_code: str | None = Field(default=None, max_length=40)
    created_by: str = Field(max_length=100)
    created_by_id: uuid.UUID | None = None
    created_at: datetime = created_at_field()
    finished_at: datetime | None = timestamp_field()


class ImportFile(SQLModel, table=True):
    """A file as it was received: what was loaded can always be shown."""

    __tablename__ = "import_file"
    __table_args__ = (
        ForeignKeyConstraint(
            ["cooperative_id", "import_id"], ["import_job.cooperative_id", "import_job.id"]
        ),
    )

    cooperative_id: uuid.UUID = Field(foreign_key="cooperative.id", primary_key=True)
    import_id: uuid.UUID = Field(primary_key=True)
    kind: str = Field(primary_key=True, max_length=16)
    filename: str = Field(max_length=200)
    content: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
