from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict


class AuditEventOut(BaseModel):
    model_config = ConfigDict(
        from_attributes=True,
        json_schema_extra={
            "examples": [
                {
                    "id": 1042,
                    "cooperative_id": "4f9aae38-05d9-464d-be89-5551844626e1",
                    "actor_user_id": "3b4c5d6e-7f80-4192-a3b4-c5d6e7f8091a",
                    "actor_api_key_id": None,
                    "actor_name": "sur.admin",
                    "action": "user.create",
                    "resource_type": "staff_user",
                    "resource_id": "3b4c5d6e-7f80-4192-a3b4-c5d6e7f8091a",
                    "request_id": "3f2c9d0e8b7a4c1d",
                    "occurred_at": "2026-11-23T14:05:31.412-05:00",
                    "details": {"username": "sur.cajero", "roles": ["teller"]},
                }
            ]
        },
    )

    id: int
    cooperative_id: uuid.UUID | None
    actor_user_id: uuid.UUID | None
    actor_api_key_id: uuid.UUID | None
    actor_name: str
    action: str
    resource_type: str
    resource_id: str | None
    request_id: str | None
    occurred_at: datetime
    details: dict[str, Any] | None
