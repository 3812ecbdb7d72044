"""A close-of-business run and its steps: rows with progress, so that a run outlives the
process that started it and resumes where it stopped."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import CheckConstraint, ForeignKeyConstraint, Index
from sqlmodel import Field, SQLModel

from coopac_core.models_base import created_at_field, timestamp_field


class RunStatus(StrEnum):
    running = "running"
    succeeded = "succeeded"
    failed = "failed"


class StepStatus(StrEnum):
    pending = "pending"
    running = "running"
    succeeded = "succeeded"
    failed = "failed"


class CobRun(SQLModel, table=True):
    __tablename__ = "cob_run"
    __table_args__ = (
        CheckConstraint("status IN ('running', 'succeeded', 'failed')", name="status_valid"),
        CheckConstraint("business_date_from <= business_date_to", name="dates_in_order"),
        # One run per cooperative at a time: the database says so, not a check in the code.
        Index(
            "uq_cob_run_running",
            "cooperative_id",
            unique=True,
            postgresql_where="status = 'running'",
        ),
        Index("ix_cob_run_started", "cooperative_id", "started_at"),
    )

    cooperative_id: uuid.UUID = Field(foreign_key="cooperative.id", primary_key=True)
    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    status: str = Field(default=RunStatus.running, max_length=10)
    business_date_from: date
    business_date_to: date
    # The day being closed; past business_date_to once every day is closed.
    current_day: date
    pre_holiday: bool = Field(default=False)
    started_by: str = Field(max_length=100)
    started_by_id: uuid.UUID | None = None
    started_at: datetime = created_at_field()
    finished_at: datetime | None = timestamp_field()
    error: str | None = Field(default=None, max_length=1000)


class CobStep(SQLModel, table=True):
    """A step of a run, across its days, for one span of accounts (``part``; a parallel
    step has one row per span): ``done_through`` is the last day it finished, and
    ``cursor`` where it stopped inside the day it is on (the last key it processed)."""

    __tablename__ = "cob_step"
    __table_args__ = (
        CheckConstraint(
            "status IN ('pending', 'running', 'succeeded', 'failed')", name="status_valid"
        ),
        ForeignKeyConstraint(
            ["cooperative_id", "run_id"], ["cob_run.cooperative_id", "cob_run.id"]
        ),
    )

    cooperative_id: uuid.UUID = Field(primary_key=True)
    run_id: uuid.UUID = Field(primary_key=True)
    name: str = Field(primary_key=True, max_length=40)
    part: int = Field(default=0, primary_key=True)
    parts: int = Field(default=1)
    position: int
    status: str = Field(default=StepStatus.pending, max_length=10)
    processed: int = Field(default=0)
    total: int = Field(default=0)
    done_through: date | None = None
    cursor: str | None = Field(default=None, max_length=200)
