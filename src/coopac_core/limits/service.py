"""Checking a movement against the caller's limits, and setting a cooperative's own."""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal

from sqlalchemy import text
from sqlmodel import Session, col, select

from coopac_core.audit import service as audit_service
from coopac_core.ledger.models import EntryKind
from coopac_core.limits.errors import LimitExceeded
from coopac_core.limits.models import OperationLimit
from coopac_core.limits.policy import DEFAULTS, LIMITED, Limit
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


def _limit_of(
    session: Session, ctx: CoopContext, operation: EntryKind, currency: Currency
) -> Limit | None:
    """The most generous limit among the caller's roles; None if no role of theirs has one."""
    rows = session.exec(
        select(OperationLimit).where(
            OperationLimit.cooperative_id == ctx.cooperative_id,
            OperationLimit.operation == operation.value,
            OperationLimit.currency == currency.value,
            col(OperationLimit.role).in_([r.value for r in ctx.roles]),
        )
    ).all()
    own = {Role(r.role): Limit(r.per_operation, r.per_day) for r in rows}
    limits: list[Limit] = []
    for role in ctx.roles:
        limit = own.get(role) or DEFAULTS.get(role, {}).get(currency)
        if limit is not None:
            limits.append(limit)
    if not limits:
        return None
    unlimited_day = any(x.per_day is None for x in limits)
    return Limit(
        max(x.per_operation for x in limits),
        None if unlimited_day else max(x.per_day for x in limits if x.per_day is not None),
    )


def check_limit(
    session: Session,
    ctx: CoopContext,
    operation: str,
    currency: str,
    amount: Decimal,
    today: date,
) -> None:
    """Refuse a movement above the caller's limit for it, per operation and per day (the
    same person's movements of the same kind and currency on business date ``today``).
    Called by ``ledger.post_entry`` for every entry, so no writer can forget it; a kind
    no limit governs (a reversal, an accrual) passes."""
    if operation not in LIMITED:
        return
    kind, cur = EntryKind(operation), Currency(currency)
    limit = _limit_of(session, ctx, kind, cur)
    if limit is None:
        return
    if amount > limit.per_operation:
        raise LimitExceeded(
            scope="por operación",
            operation=kind.value,
            limit=limit.per_operation,
            currency=cur.value,
        )
    if limit.per_day is None or ctx.principal.person_id is None:
        return
    moved = session.execute(
        text(
            "SELECT coalesce(sum(p.amount), 0) FROM journal_entry e JOIN posting p "
            "ON p.cooperative_id = e.cooperative_id AND p.entry_id = e.id "
            "WHERE e.cooperative_id = :c AND e.business_date = :d AND e.kind = :k "
            "AND e.actor_user_id = :u AND p.currency = :cur AND p.amount > 0"
        ),
        {
            "c": ctx.cooperative_id,
            "d": today,
            "k": kind.value,
            "u": ctx.principal.person_id,
            "cur": cur.value,
        },
    ).scalar_one()
    if moved + amount > limit.per_day:
        raise LimitExceeded(
            scope="diario", operation=kind.value, limit=limit.per_day, currency=cur.value
        )


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
