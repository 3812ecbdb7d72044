"""What an import answers."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from coopac_core.approvals import engine as approvals
from coopac_core.approvals.models import ApprovalRequest, ApprovalStatus
from coopac_core.imports.models import FileStatus, ImportFileKind, ImportJob, ImportStatus


class ImportFileOut(BaseModel):
    kind: ImportFileKind
    filename: str
    status: FileStatus
    rows: int | None = Field(description="Rows the file holds (its header aside)")
    loaded: int | None
    errors: int = Field(description="Rows refused")
    seconds: float | None = None
    phases: dict[str, float] | None = Field(
        default=None, description="Seconds staging, checking and loading"
    )


class ImportRowError(BaseModel):
    file: ImportFileKind
    line: int = Field(description="The line in the file (the header is line 1)")
    reason: str


class ImportApproval(BaseModel):
    """The second person's part: asked in the preparer's name once the check passed."""

    status: ApprovalStatus
    requested_by: str
    requested_at: datetime
    expires_at: datetime | None
    decided_by: str | None
    decided_at: datetime | None
    decision_note: str | None


class ImportOut(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "id": "2c1b0a9f-8e7d-4c6b-9a5f-4e3d2c1b0a9f",
                    "status": "failed",
                    "files": [
                        {
                            "kind": "members",
                            "filename": "members.csv",
                            "status": "loaded",
                            "rows": 100000,
                            "loaded": 100000,
                            "errors": 0,
                            "seconds": 3.9,
                        },
                        {
                            "kind": "savings",
                            "filename": "savings.csv",
                            "status": "refused",
                            "rows": 150000,
                            "loaded": 0,
                            "errors": 1,
                            "seconds": None,
                        },
                    ],
                    "errors": [
                        {"file": "savings", "line": 4312, "reason": "balance inválido: 12,50"}
                    ],
                    "error_count": 1,
                    "suspense": {"PEN": "0.00", "USD": "0.00"},
                    "error": None,
                    "error_code": None,
                    "approval": None,
                    "created_by": "sur.contador",
                    "created_at": "2026-11-23T09:00:00Z",
                    "finished_at": "2026-11-23T09:00:09Z",
                }
            ]
        }
    )

    id: uuid.UUID
    status: ImportStatus
    files: list[ImportFileOut]
    errors: list[ImportRowError] = Field(description="The first 1,000 rows refused")
    error_count: int
    suspense: dict[str, str] = Field(
        description="The migration suspense account (19x8) per currency when the job ended: "
        "zero once the old system's trial balance is in (gl_balances)"
    )
    error: str | None
    error_code: str | None = Field(
        description="Why the job as a whole was refused: import_unbalanced (the suspense "
        "would not net to zero)"
    )
    approval: ImportApproval | None = Field(
        description="The request for a second person's approval, once the check passed"
    )
    created_by: str
    created_at: datetime
    finished_at: datetime | None

    @classmethod
    def of(cls, job: ImportJob, approval: ApprovalRequest | None = None) -> ImportOut:
        files: list[dict[str, Any]] = job.files
        return cls(
            id=job.id,
            status=ImportStatus(job.status),
            files=[ImportFileOut.model_validate(f) for f in files],
            errors=[ImportRowError.model_validate(e) for e in job.errors],
            error_count=job.error_count,
            suspense=job.suspense,
            error=job.error,
            error_code=job.error_code,
            approval=(
                ImportApproval.model_validate(approvals.decision_fields(approval))
                if approval is not None
                else None
            ),
            created_by=job.created_by,
            created_at=job.created_at,
            finished_at=job.finished_at,
        )
