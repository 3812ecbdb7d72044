"""A front-end whose link drops: the batch of operations it recorded offline, their
outcomes, and the member's snapshot it works from."""

from __future__ import annotations

import uuid
from datetime import date
from enum import StrEnum
from typing import Annotated, Any

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, StringConstraints

from coopac_core.members.schemas import MemberOut
from coopac_core.money import Amount, Currency
from coopac_core.savings.schemas import SavingsAccountOut
from coopac_core.shares.schemas import ShareAccountOut


class OfflineOperationType(StrEnum):
    deposit = "deposit"
    withdrawal = "withdrawal"
    transfer = "transfer"
    share_payment = "share_payment"
    loan_repayment = "loan_repayment"


class OperationStatus(StrEnum):
    applied = "applied"  # it ran (now, or when first sent: see replayed)
    refused = "refused"  # its problem is in problem
    skipped = "skipped"  # after a refusal, with stop_on_error: not run, not kept


IdempotencyKey = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)
]


class OfflineOperation(BaseModel):
    idempotency_key: IdempotencyKey = Field(
        description="The operation's own key, as its Idempotency-Key were it sent alone"
    )
    type: OfflineOperationType
    body: dict[str, Any] = Field(
        description="The endpoint's body plus the ids its path carries (account_id, "
        "member_id, loan_id)"
    )
    recorded_at: AwareDatetime = Field(description="When the device recorded it")


class SyncBatch(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "device_id": "tablet-puno-03",
                    "stop_on_error": False,
                    "operations": [
                        {
                            "idempotency_key": "tablet-puno-03-000187",
                            "type": "deposit",
                            "body": {
                                "account_id": "5e2f4c6a-7b8d-4e9f-a0b1-c2d3e4f5a6b7",
                                "amount": "150.00",
                            },
                            "recorded_at": "2026-11-23T10:42:07-05:00",
                        }
                    ],
                }
            ]
        }
    )

    device_id: Annotated[
        str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)
    ]
    stop_on_error: bool = Field(
        default=False, description="Stop at the first refused operation (the rest: skipped)"
    )
    operations: list[OfflineOperation] = Field(min_length=1, max_length=1000)


class OperationResult(BaseModel):
    idempotency_key: str
    type: OfflineOperationType
    status: OperationStatus
    http_status: int | None = Field(description="The HTTP status it would have had alone")
    result: dict[str, Any] | None = None
    problem: dict[str, Any] | None = None
    replayed: bool = Field(description="Answered from a former send of the same key")


class SyncBatchOut(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "device_id": "tablet-puno-03",
                    "received": 1,
                    "applied": 1,
                    "refused": 0,
                    "skipped": 0,
                    "results": [
                        {
                            "idempotency_key": "tablet-puno-03-000187",
                            "type": "deposit",
                            "status": "applied",
                            "http_status": 201,
                            "result": {"journal_entry_id": "1e2d3c4b-5a69-4788-97a6-b5c4d3e2f1a0"},
                            "problem": None,
                            "replayed": False,
                        }
                    ],
                }
            ]
        }
    )

    device_id: str
    received: int
    applied: int
    refused: int
    skipped: int
    results: list[OperationResult]


class DueInstallment(BaseModel):
    number: int
    due_date: date
    owed: Amount = Field(description="What is still owed on it")


class SnapshotLoan(BaseModel):
    id: uuid.UUID
    number: str
    currency: Currency
    balance: Amount
    days_past_due: int
    overdue_amount: Amount
    next_due: DueInstallment | None = Field(description="The oldest installment still owed")


def _example(model: type[BaseModel]) -> Any:
    """A model's own first example (its schema's), to show it inside another's."""
    return model.model_config.get("json_schema_extra", {})["examples"][0]  # type: ignore[index]


class MemberSnapshot(BaseModel):
    """What a front-end needs to serve a member with the link down."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "as_of": "2026-11-23",
                    "member": _example(MemberOut),
                    "share_account": _example(ShareAccountOut),
                    "savings_accounts": [_example(SavingsAccountOut)],
                    "loans": [
                        {
                            "id": "4e5f6a7b-8c9d-4e0f-a1b2-c3d4e5f6a7b8",
                            "number": "0012-0000045-6",
                            "currency": "PEN",
                            "balance": "2400.00",
                            "days_past_due": 0,
                            "overdue_amount": "0.00",
                            "next_due": {
                                "number": 4,
                                "due_date": "2026-12-05",
                                "owed": "312.40",
                            },
                        }
                    ],
                }
            ]
        }
    )

    as_of: date = Field(description="The cooperative's business date")
    member: MemberOut = Field(description="The member, as GET members/{id} answers")
    share_account: ShareAccountOut | None
    savings_accounts: list[SavingsAccountOut] = Field(
        description="With balance, available_balance and the product's code and name, as GET "
        "savings-accounts/{id}"
    )
    loans: list[SnapshotLoan] = Field(description="Active loans, with what falls due")
