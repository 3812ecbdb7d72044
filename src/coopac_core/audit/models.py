from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, Column, Identity, Index
from sqlalchemy.dialects.postgresql import JSONB
from sqlmodel import Field, SQLModel

from coopac_core.models_base import created_at_field


class AuditEvent(SQLModel, table=True):
    """One state-changing action. The database refuses UPDATE and DELETE on this table."""

    __tablename__ = "audit_event"
    __table_args__ = (
        Index("ix_audit_event_cooperative", "cooperative_id", "id"),
        # a resource's trail (who read a report of an unusual operation: compliance)
        Index("ix_audit_event_resource", "cooperative_id", "resource_type", "resource_id"),
    )

    id: int | None = Field(
        default=None, sa_column=Column(BigInteger, Identity(always=True), primary_key=True)
    )
    cooperative_id: uuid.UUID | None = Field(default=None, foreign_key="cooperative.id")
    actor_user_id: uuid.UUID | None = None
    actor_api_key_id: uuid.UUID | None = None
    actor_name: str = Field(max_length=100)
    action: str = Field(max_length=64)
    resource_type: str = Field(max_length=64)
    resource_id: str | None = Field(default=None, max_length=64)
    request_id: str | None = Field(default=None, max_length=64)
    occurred_at: datetime = created_at_field()
    details: dict[str, Any] | None = Field(default=None, sa_column=Column(JSONB))
