"""A cooperative's own limits and the effective ones. The check itself is the database
function ``coopac_check_limit`` (sql/functions/coopac_check_limit.sql), which every posting runs."""

from __future__ import annotations

import uuid

from sqlmodel import Session, select

from coopac_core.audit import service as audit_service
from coopac_core.ledger.models import EntryKind
from coopac_core.limits.models import OperationLimit
from coopac_core.limits.policy import DEFAULTS, LIMITED
from coopac_core.limits.schemas import OperationLimitIn, OperationLimitOut
from coopac_core.money import Currency
from coopac_core.security.principal import CoopContext
from coopac_core.security.roles import Role


def effective_limits(session: Session, cooperative_id: uuid.UUID) -> list[OperationLimitOut]:
    """Every role, operation and currency with a limit: the cooperative's own where it set
    one, else the default."""
    own = {
        (r.role, r.operation, r.currency): r
        for r in session.exec(
            select(OperationLimit).where(OperationLimit.cooperative_id == cooperative_id)
        )
    }
    out = {}
    for role, by_currency in DEFAULTS.items():
        for currency, limit in by_currency.items():
            for operation in LIMITED:
                out[(role.value, operation.value, currency.value)] = OperationLimitOut(
                    role=role,
                    operation=operation,
                    currency=currency,
                    per_operation=limit.per_operation,
                    per_day=limit.per_day,
                    source="default",
                )
    for key, row in own.items():
        out[key] = OperationLimitOut(
            role=Role(row.role),
            operation=EntryKind(row.operation),
            currency=Currency(row.currency),
            per_operation=row.per_operation,
            per_day=row.per_day,
            source="cooperative",
        )
    return [out[k] for k in sorted(out)]


def set_limit(session: Session, ctx: CoopContext, data: OperationLimitIn) -> OperationLimitOut:
    row = session.get(
        OperationLimit,
        (ctx.cooperative_id, data.role.value, data.operation.value, data.currency.value),
    ) or OperationLimit(
        cooperative_id=ctx.cooperative_id,
        role=data.role.value,
        operation=data.operation.value,
        currency=data.currency.value,
        per_operation=data.per_operation,
        set_by=ctx.principal.name,
    )
    row.per_operation = data.per_operation
    row.per_day = data.per_day
    row.set_by = ctx.principal.name
    session.add(row)
    audit_service.record(
        session,
        ctx.principal,
        "operation_limit.set",
        "operation_limit",
        f"{data.role.value}/{data.operation.value}/{data.currency.value}",
        cooperative_id=ctx.cooperative_id,
        details=data.model_dump(mode="json"),
    )
    session.flush()
    return OperationLimitOut(**data.model_dump(), source="cooperative")
