"""What the event feed and the webhook endpoints take and answer."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from coopac_core.events.models import DeliveryStatus, EndpointStatus, EventType
from coopac_core.pagination import encode_cursor

_EVENT_EXAMPLE: dict[str, Any] = {
    "id": "5f0e4d3c-2b1a-4098-8f7e-6d5c4b3a2910",
    "cursor": "WzgyMTQsMTA0Ml0",
    "type": "money.deposit",
    "occurred_at": "2026-11-23T15:04:05.123456Z",
    "business_date": "2026-11-23",
    "subject_kind": "journal_entry",
    "subject_id": "0d9c8b7a-6f5e-4d3c-2b1a-098f7e6d5c4b",
    "entry_id": "0d9c8b7a-6f5e-4d3c-2b1a-098f7e6d5c4b",
    "data": {
        "entry_id": "0d9c8b7a-6f5e-4d3c-2b1a-098f7e6d5c4b",
        "kind": "deposit",
        "business_date": "2026-11-23",
        "channel": "counter",
        "amounts": {"PEN": "300.00"},
        "accounts": [
            {
                "account_kind": "savings",
                "account_id": "8e7d6c5b-4a39-4281-9f0e-1d2c3b4a5968",
                "member_id": "1a2b3c4d-5e6f-4a8b-9c0d-1e2f3a4b5c6d",
                "number": "001-0000123",
                "currency": "PEN",
                "change": "300.00",
                "balance_after": "1450.00",
            }
        ],
        "accounts_total": 1,
    },
}


class EventOut(BaseModel):
    """A business event. ``cursor`` is where a consumer resumes after it."""

    model_config = ConfigDict(json_schema_extra={"examples": [_EVENT_EXAMPLE]})

    id: uuid.UUID = Field(description="Also the webhook-id of its deliveries")
    cursor: str
    type: EventType
    occurred_at: datetime
    business_date: date
    subject_kind: str = Field(description="member, loan, journal_entry, ...")
    subject_id: str = Field(description="Its id (a period's is its name, 2026-10)")
    entry_id: uuid.UUID | None = Field(
        default=None, description="The journal entry of a money movement"
    )
    data: dict[str, Any]

    @classmethod
    def of_row(cls, row: Any) -> EventOut:
        """From a row of the event table (or one that names its id ``event_id``)."""
        return cls(
            id=row["event_id"] if "event_id" in row else row["id"],
            cursor=encode_cursor([row["tx_id"], row["seq"]]),
            type=EventType(row["type"]),
            occurred_at=row["occurred_at"],
            business_date=row["business_date"],
            subject_kind=row["subject_kind"],
            subject_id=row["subject_id"],
            entry_id=row["entry_id"],
            data=row["data"],
        )


class EventFeed(BaseModel):
    """A page of the feed. ``next_cursor`` is where to resume (the last event's cursor, or
    the one given when nothing new has committed): keep it and ask again later."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {"items": [_EVENT_EXAMPLE], "next_cursor": "WzgyMTQsMTA0Ml0", "has_more": False}
            ]
        }
    )

    items: list[EventOut]
    next_cursor: str | None = None
    has_more: bool = Field(description="More events wait after this page: ask again at once")


_ENDPOINT_EXAMPLE: dict[str, Any] = {
    "id": "6a5b4c3d-2e1f-4a0b-9c8d-7e6f5a4b3c2d",
    "url": "https://contabilidad.coopsur.pe/hooks/coopac",
    "event_types": ["money.*", "loan.disbursed"],
    "description": "Sistema contable",
    "status": "active",
    "disabled_reason": None,
    "disabled_at": None,
    "failing_since": None,
    "last_success_at": "2026-11-23T15:04:06Z",
    "created_by": "sur.admin",
    "created_at": "2026-11-20T10:00:00Z",
}


class WebhookEndpointCreate(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "url": "https://contabilidad.coopsur.pe/hooks/coopac",
                    "event_types": ["money.*", "loan.disbursed"],
                    "description": "Sistema contable",
                }
            ]
        }
    )

    url: str = Field(min_length=8, max_length=2000)
    event_types: list[str] = Field(
        default_factory=lambda: ["*"],
        max_length=100,
        description="Exact types, a group (money.*), or * for everything",
    )
    description: str | None = Field(default=None, max_length=500)


class WebhookEndpointUpdate(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={"examples": [{"status": "active"}, {"event_types": ["loan.*"]}]}
    )

    url: str | None = Field(default=None, min_length=8, max_length=2000)
    event_types: list[str] | None = Field(default=None, max_length=100)
    description: str | None = Field(default=None, max_length=500)
    status: EndpointStatus | None = Field(
        default=None, description="active again after a disable (the failures are forgotten)"
    )


class WebhookEndpointOut(BaseModel):
    model_config = ConfigDict(
        from_attributes=True, json_schema_extra={"examples": [_ENDPOINT_EXAMPLE]}
    )

    id: uuid.UUID
    url: str
    event_types: list[str]
    description: str | None
    status: EndpointStatus
    disabled_reason: str | None = Field(description="Why it was disabled, for the admin")
    disabled_at: datetime | None
    failing_since: datetime | None = Field(description="Every delivery has failed since then")
    last_success_at: datetime | None
    created_by: str
    created_at: datetime


class WebhookEndpointCreated(WebhookEndpointOut):
    """The endpoint and its signing secret, shown this once."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [{**_ENDPOINT_EXAMPLE, "secret": "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"}]
        }
    )

    secret: str = Field(description="Standard Webhooks signing key: keep it, it is not shown again")


class AttemptOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    number: int
    started_at: datetime
    duration_ms: int
    status_code: int | None = Field(description="The receiver's HTTP status; none if unreached")
    error: str | None
    worker: str


class DeliveryOut(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "id": "7b6a5c4d-3e2f-4a1b-8c9d-0e1f2a3b4c5d",
                    "endpoint_id": "6a5b4c3d-2e1f-4a0b-9c8d-7e6f5a4b3c2d",
                    "event_id": "5f0e4d3c-2b1a-4098-8f7e-6d5c4b3a2910",
                    "event_type": "money.deposit",
                    "status": "succeeded",
                    "attempts": 2,
                    "next_attempt_at": "2026-11-23T15:04:11Z",
                    "last_status_code": 200,
                    "last_error": None,
                    "delivered_at": "2026-11-23T15:04:11Z",
                    "created_at": "2026-11-23T15:04:05Z",
                    "attempt_log": [
                        {
                            "number": 1,
                            "started_at": "2026-11-23T15:04:05Z",
                            "duration_ms": 31,
                            "status_code": 503,
                            "error": "HTTP 503: busy",
                            "worker": "app-1:4121:a1b2c3",
                        },
                        {
                            "number": 2,
                            "started_at": "2026-11-23T15:04:11Z",
                            "duration_ms": 12,
                            "status_code": 200,
                            "error": None,
                            "worker": "app-1:4121:a1b2c3",
                        },
                    ],
                }
            ]
        }
    )

    id: uuid.UUID
    endpoint_id: uuid.UUID
    event_id: uuid.UUID
    event_type: EventType | None
    status: DeliveryStatus
    attempts: int
    next_attempt_at: datetime = Field(description="When a worker may take it next")
    last_status_code: int | None
    last_error: str | None
    delivered_at: datetime | None
    created_at: datetime
    attempt_log: list[AttemptOut]
