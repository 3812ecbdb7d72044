from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict


class AuditEventOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

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
