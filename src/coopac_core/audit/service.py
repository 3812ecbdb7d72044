"""Writing and reading the audit trail.

A record is written in the same transaction as the change it describes: if the change is
rolled back, so is its record, and no change commits without one.
"""

from __future__ import annotations

import uuid
from typing import Any

from pydantic_core import to_jsonable_python
from sqlmodel import Session, col, select

from coopac_core.audit.models import AuditEvent
from coopac_core.observability import request_id_var
from coopac_core.security.principal import Principal


def record(
    session: Session,
    actor: Principal,
    action: str,
    resource_type: str,
    resource_id: object | None,
    *,
    cooperative_id: uuid.UUID | None,
    details: dict[str, Any] | None = None,
) -> None:
    session.add(
        AuditEvent(
            cooperative_id=cooperative_id,
            actor_user_id=actor.person_id,  # for an API key: its owner
            actor_api_key_id=actor.api_key_id,
            actor_name=actor.name,
            action=action,
            resource_type=resource_type,
            resource_id=None if resource_id is None else str(resource_id),
            request_id=request_id_var.get(),
            # amounts, dates and ids as the API writes them: a record never fails to store
            details=None if details is None else to_jsonable_python(details),
        )
    )


# What the trail keeps of the UIF's confidential work (a report of an unusual operation,
# who read it): the compliance officer reads it with the report, nobody in this list.
CONFIDENTIAL = frozenset({"suspicious_operation"})


def list_events(
    session: Session,
    cooperative_id: uuid.UUID,
    *,
    limit: int,
    before_id: int | None,
    action: str | None = None,
) -> list[AuditEvent]:
    stmt = select(AuditEvent).where(
        AuditEvent.cooperative_id == cooperative_id,
        col(AuditEvent.resource_type).not_in(CONFIDENTIAL),
    )
    if before_id is not None:
        stmt = stmt.where(col(AuditEvent.id) < before_id)
    if action:
        stmt = stmt.where(AuditEvent.action == action)
    stmt = stmt.order_by(col(AuditEvent.id).desc()).limit(limit)
    return list(session.exec(stmt))
