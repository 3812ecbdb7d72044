"""What the compliance routes take and answer."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from coopac_core.compliance.models import ReportStatus
from coopac_core.money import Currency

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]


class SuspiciousReportCreate(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "member_id": "0b7d3a3e-1c59-4b9e-8c1d-2f0a5c7e9b10",
                    "description": "Deposita cada día montos de S/ 9,500 que no guardan "
                    "relación con su actividad de productora lechera",
                }
            ]
        },
    )

    member_id: uuid.UUID | None = None
    journal_entry_id: uuid.UUID | None = Field(
        default=None, description="The operation that looked unusual, if there is one"
    )
    description: Annotated[
        str, StringConstraints(strip_whitespace=True, min_length=10, max_length=4000)
    ] = Field(description="What was seen, and why it looked unusual")


class SuspiciousReportReceipt(BaseModel):
    """What the person who reports is told: that it was received. They cannot read it
    again: only the compliance officer can."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "id": "7c1e2d3f-4a5b-4c6d-8e9f-0a1b2c3d4e5f",
                    "reported_at": "2027-01-14T10:05:00.000-05:00",
                    "message": "Reporte recibido; lo revisa el oficial de cumplimiento",
                }
            ]
        }
    )

    id: uuid.UUID
    reported_at: datetime
    message: str


class AccessOut(BaseModel):
    """Who read or decided the report, and when (the audit trail of its accesses)."""

    at: datetime
    by: str
    action: str


class SuspiciousReportOut(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "id": "7c1e2d3f-4a5b-4c6d-8e9f-0a1b2c3d4e5f",
                    "member_id": "0b7d3a3e-1c59-4b9e-8c1d-2f0a5c7e9b10",
                    "journal_entry_id": None,
                    "description": "Deposita cada día montos de S/ 9,500 ...",
                    "reported_by": "sur.cajero",
                    "reported_at": "2027-01-14T10:05:00.000-05:00",
                    "status": "submitted",
                    "decided_by": "sur.cumplimiento",
                    "decided_at": "2027-01-16T09:00:00.000-05:00",
                    "submitted_on": "2027-01-16",
                    "uif_reference": "ROS-2027-000123",
                    "dismiss_reason": None,
                    "accesses": [
                        {"at": "2027-01-15T08:30:00.000-05:00", "by": "sur.cumplimiento",
                         "action": "suspicious_operation.read"}
                    ],
                }
            ]
        }
    )  # fmt: skip

    id: uuid.UUID
    member_id: uuid.UUID | None
    journal_entry_id: uuid.UUID | None
    description: str
    reported_by: str
    reported_at: datetime
    status: ReportStatus
    decided_by: str | None
    decided_at: datetime | None
    submitted_on: date | None
    uif_reference: str | None
    dismiss_reason: str | None
    accesses: list[AccessOut] = Field(default_factory=list)


class SubmitReport(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [{"submitted_on": "2027-01-16", "uif_reference": "ROS-2027-000123"}]
        },
    )

    submitted_on: date = Field(description="The day it was sent to the UIF")
    uif_reference: Annotated[
        str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)
    ]


class DismissReport(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"reason": "Ingresos por la venta de su cosecha"}]},
    )

    reason: Annotated[str, StringConstraints(strip_whitespace=True, min_length=3, max_length=500)]


# --- screening ------------------------------------------------------------------------------


class ScreeningListOut(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {"list_name": "PEP", "entries": 1250, "loaded_at": "2027-01-14T10:05:00.000-05:00"}
            ]
        }
    )

    list_name: str
    entries: int
    loaded_at: datetime | None


class ScreeningLoadOut(BaseModel):
    """The lists a file held, each replacing what the cooperative had under its name."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "loaded": 2,
                    "lists": [{"list_name": "PEP", "entries": 2,
                               "loaded_at": "2027-01-14T10:05:00.000-05:00"}],
                }
            ]
        }
    )  # fmt: skip

    loaded: int
    lists: list[ScreeningListOut]


class ScreeningHit(BaseModel):
    list_name: str
    names: str
    document_number: str | None
    matched_on: str = Field(description="document or names")


class ScreeningHoldStatus(StrEnum):
    pending_approval = "pending_approval"
    approved = "approved"
    rejected = "rejected"
    expired = "expired"


class HeldOperation(StrEnum):
    admission = "admission"
    deposit = "deposit"
    withdrawal = "withdrawal"
    exchange = "exchange"
    share_payment = "share_payment"
    loan_repayment = "loan_repayment"
    loan_recovery = "loan_recovery"
    loan_disbursement = "loan_disbursement"
    account_closing = "account_closing"
    share_refund = "share_refund"


class ScreeningHoldOut(BaseModel):
    """An admission or a cash operation held because its person is on a list: the
    compliance officer approves it (it then happens) or refuses it."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "id": "3b2a1c0d-9e8f-4a7b-8c6d-5e4f3a2b1c0d",
                    "operation": "deposit",
                    "status": "pending_approval",
                    "member_id": "0b7d3a3e-1c59-4b9e-8c1d-2f0a5c7e9b10",
                    "amount": "12000.00",
                    "currency": "PEN",
                    "hits": [{"list_name": "PEP", "names": "QUISPE ROSA",
                              "document_number": "41234567", "matched_on": "document"}],
                    "requested_by": "sur.cajero",
                    "requested_at": "2027-01-14T10:05:00.000-05:00",
                    "decided_by": None,
                    "decided_at": None,
                    "decision_note": None,
                    "result": None,
                }
            ]
        }
    )  # fmt: skip

    id: uuid.UUID
    operation: HeldOperation
    status: ScreeningHoldStatus
    member_id: uuid.UUID | None
    amount: Decimal | None
    currency: Currency | None
    hits: list[ScreeningHit]
    requested_by: str
    requested_at: datetime
    decided_by: str | None
    decided_at: datetime | None
    decision_note: str | None
    result: dict[str, Any] | None = Field(
        default=None, description="Once approved: what the operation answered"
    )


# The answer of a route whose operation a screening list may hold.
SCREENING_HOLD: dict[int | str, dict[str, Any]] = {
    202: {
        "model": ScreeningHoldOut,
        "description": "Its person is on a screening list: it waits for the compliance "
        "officer (screening-holds/{id}), and nothing is done until approved",
    }
}
