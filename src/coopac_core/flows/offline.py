"""Operations recorded offline: a device's batch, applied as if each were its own request.

A front-end whose link drops keeps the operations it records, each with its own
Idempotency-Key, and sends them in a batch when the link is back. Each operation is its own
money POST (the same path, body, key, fingerprint and transaction as if sent alone), in
order: a batch resent after a lost answer replays every operation it had applied, and one
cut by a crash applies the rest. An operation keeps when the device recorded it and which
device; it is booked on the business date it arrives.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from fastapi.responses import Response
from pydantic import BaseModel, ValidationError

from coopac_core.channels import Origin, origin_var
from coopac_core.errors import DomainError, FieldError, ValidationFailed, problem_body
from coopac_core.flows import counter
from coopac_core.idempotency import REPLAY_HEADER, BatchOperation, BatchOutcome, MoneyRequest
from coopac_core.loans import service as loans
from coopac_core.loans.schemas import RepaymentRequest
from coopac_core.money import check_amount
from coopac_core.observability import request_id_var
from coopac_core.savings.schemas import CashMovementRequest, TransferRequest
from coopac_core.shares.schemas import SharePayment
from coopac_core.tellers.schemas import (
    OfflineOperation,
    OfflineOperationType,
    OperationResult,
    OperationStatus,
    SyncBatch,
    SyncBatchOut,
)
from coopac_core.validation import message

Kind = OfflineOperationType


class _Op:
    """One operation as the request it stands for: its path, body and how it runs."""

    def __init__(self, coop: uuid.UUID, op: OfflineOperation) -> None:
        self.op = op
        body = dict(op.body)
        base = f"/api/v1/cooperatives/{coop}"
        self.ids: dict[str, uuid.UUID] = {}
        if op.type in (Kind.deposit, Kind.withdrawal):
            suffix = "deposits" if op.type == Kind.deposit else "withdrawals"
            self.path = f"{base}/savings-accounts/{self._id(body, 'account_id')}/{suffix}"
        elif op.type == Kind.transfer:
            self.path = f"{base}/transfers"
        elif op.type == Kind.share_payment:
            self.path = f"{base}/members/{self._id(body, 'member_id')}/share-account/payments"
        else:
            self.path = f"{base}/loans/{self._id(body, 'loan_id')}/repayments"
        self.body = body
        canonical = json.dumps(body, sort_keys=True, separators=(",", ":"))
        # the fingerprint the same request sent alone would have (idempotency.request_fingerprint)
        self.fingerprint = hashlib.sha256(f"POST {self.path}\n{canonical}".encode()).hexdigest()

    def _id(self, body: dict[str, Any], name: str) -> uuid.UUID:
        raw = body.pop(name, None)
        try:
            value = uuid.UUID(str(raw))
        except ValueError:
            raise _Invalid(
                name, "Se espera un UUID" if raw is not None else "Campo obligatorio"
            ) from None
        self.ids[name] = value
        return value

    def one_call(self) -> tuple[str, dict[str, Any]] | None:
        """The operation as one call of the database's (its name and arguments), if it is
        one and the service's own checks pass; else None (it goes as its route goes)."""
        body = self.body
        t = self.op.type
        try:
            if t == Kind.deposit:
                data = _parse(CashMovementRequest, body)
                check_amount(data.amount)
                return "deposit", {
                    "account_id": str(self.ids["account_id"]),
                    **data.model_dump(mode="json"),
                }
            if t == Kind.transfer:
                transfer = _parse(TransferRequest, body)
                check_amount(transfer.amount)
                return "transfer", transfer.model_dump(mode="json")
            if t == Kind.share_payment:
                payment = _parse(SharePayment, body)
                check_amount(payment.amount)
                return "share_payment", {
                    "member_id": str(self.ids["member_id"]),
                    **payment.model_dump(mode="json"),
                }
        except (_Invalid, DomainError):
            return None
        return None

    def runner(self) -> Callable[[MoneyRequest], Awaitable[Response]]:
        """How the operation runs, as its route runs it."""
        body = self.body
        t = self.op.type
        if t == Kind.deposit:
            data = _parse(CashMovementRequest, body)
            account = self.ids["account_id"]
            return lambda money: money.call(
                "deposit",
                {"account_id": str(account), **data.model_dump(mode="json")},
                check=lambda: check_amount(data.amount),
            )
        if t == Kind.withdrawal:
            cash = _parse(CashMovementRequest, body)
            account = self.ids["account_id"]
            return lambda money: money.run(lambda s, c: counter.withdraw(s, c, account, cash))
        if t == Kind.transfer:
            transfer = _parse(TransferRequest, body)
            return lambda money: money.call(
                "transfer",
                transfer.model_dump(mode="json"),
                check=lambda: check_amount(transfer.amount),
            )
        if t == Kind.share_payment:
            payment = _parse(SharePayment, body)
            member = self.ids["member_id"]
            return lambda money: money.call(
                "share_payment",
                {"member_id": str(member), **payment.model_dump(mode="json")},
                check=lambda: check_amount(payment.amount),
            )
        repayment = _parse(RepaymentRequest, body)
        loan = self.ids["loan_id"]
        return lambda money: money.run(
            lambda s, c: loans.repay(
                s,
                c,
                loan,
                repayment,
                counter.other_side(
                    s, c, branch_id=repayment.branch_id, account_id=repayment.from_account_id
                ),
            )
        )


class _Invalid(Exception):
    def __init__(self, field: str, text: str) -> None:
        super().__init__(text)
        self.errors = [FieldError(field=f"body.{field}", message=text, type="value_error")]


M = TypeVar("M", bound=BaseModel)


def _parse(model: type[M], body: dict[str, Any]) -> M:
    try:
        return model.model_validate(body)
    except ValidationError as exc:
        invalid = _Invalid("body", "")
        invalid.errors = [
            FieldError(
                field=".".join(["body", *(str(p) for p in err.get("loc", ()))]),
                message=message(dict(err), "es"),
                type=str(err.get("type", "")),
            )
            for err in exc.errors()
        ]
        raise invalid from None


def _problem(path: str, exc: DomainError) -> dict[str, Any]:
    return problem_body(
        exc.status,
        exc.code,
        exc.detail,
        instance=path,
        request_id=request_id_var.get(),
        extra=exc.extra,
    )


async def apply(base: MoneyRequest, batch: SyncBatch) -> SyncBatchOut:
    """Each operation in order, each its own request; ``stop_on_error`` leaves the rest
    once one is refused (they are neither run nor kept: resent, they run)."""
    await base.authorize()
    results: list[OperationResult] = []
    stopped = False
    channel = origin_var.get().channel
    ops = batch.operations
    i = 0
    while i < len(ops):
        if stopped:
            results.append(_result(ops[i], OperationStatus.skipped))
            i += 1
            continue
        # Operations that are one database call each go in chunks: one round trip and one
        # commit for the chunk, each in a subtransaction of its own. Not when the batch
        # stops at a refusal: the rest of a chunk would have run.
        chunk = [] if batch.stop_on_error else _chunk(base, batch, ops, i, channel)
        if chunk:
            outcomes = await base.call_many([b for _, b in chunk])
            for n, (op, one) in enumerate(chunk):
                found = outcomes[n] if outcomes is not None else None
                if found is None:  # asked alone: it runs, or replays what raced it
                    results.append(await _apply_one(base, batch, op, channel))
                else:
                    results.append(_from_outcome(op, one.path, found))
            i += len(chunk)
            continue
        result = await _apply_one(base, batch, ops[i], channel)
        results.append(result)
        i += 1
        if batch.stop_on_error and result.status == OperationStatus.refused:
            stopped = True
    counts = {o: sum(1 for r in results if r.status == o) for o in OperationStatus}
    return SyncBatchOut(
        device_id=batch.device_id,
        received=len(batch.operations),
        applied=counts[OperationStatus.applied],
        refused=counts[OperationStatus.refused],
        skipped=counts[OperationStatus.skipped],
        results=results,
    )


CHUNK = 100  # operations per database call: the till's lock is held for the chunk


def _chunk(
    base: MoneyRequest,
    batch: SyncBatch,
    ops: list[OfflineOperation],
    start: int,
    channel: Any,
) -> list[tuple[OfflineOperation, BatchOperation]]:
    """The one-call operations from ``start`` on, up to CHUNK, in order."""
    chunk: list[tuple[OfflineOperation, BatchOperation]] = []
    for op in ops[start : start + CHUNK]:
        try:
            request = _Op(base.cooperative_id, op)
        except _Invalid:
            break
        call = request.one_call()
        if call is None:
            break
        origin = {
            **base.origin(),  # the batch's channel
            "recorded_at": op.recorded_at.isoformat(),
            "device_id": batch.device_id,
        }
        chunk.append(
            (
                op,
                BatchOperation(
                    op.idempotency_key, request.fingerprint, request.path, call[0], call[1], origin
                ),
            )
        )
    return chunk


def _from_outcome(op: OfflineOperation, path: str, found: BatchOutcome) -> OperationResult:
    if isinstance(found, DomainError):
        return _result(op, OperationStatus.refused, found.status, problem=_problem(path, found))
    assert found is not None
    status, body, replayed = found
    answer = json.loads(body)
    if status >= 400:
        return _result(op, OperationStatus.refused, status, problem=answer, replayed=replayed)
    return _result(op, OperationStatus.applied, status, result=answer, replayed=replayed)


async def _apply_one(
    base: MoneyRequest, batch: SyncBatch, op: OfflineOperation, channel: Any
) -> OperationResult:
    try:
        request = _Op(base.cooperative_id, op)
        run = request.runner()
    except _Invalid as exc:
        body = problem_body(
            ValidationFailed.status,
            ValidationFailed.code,
            ValidationFailed.template,
            instance=base.path,
            request_id=request_id_var.get(),
            errors=exc.errors,
        )
        return _result(op, OperationStatus.refused, ValidationFailed.status, problem=body)
    money = base.for_operation(op.idempotency_key, request.fingerprint, request.path)
    token = origin_var.set(Origin(channel, op.recorded_at, batch.device_id))
    try:
        response = await run(money)
    except DomainError as exc:  # the caller's refusals: answered, not kept (as alone)
        return _result(op, OperationStatus.refused, exc.status, problem=_problem(request.path, exc))
    finally:
        origin_var.reset(token)
    answer = json.loads(bytes(response.body))
    replayed = response.headers.get(REPLAY_HEADER) == "true"
    if response.status_code >= 400:
        return _result(
            op, OperationStatus.refused, response.status_code, problem=answer, replayed=replayed
        )
    return _result(
        op, OperationStatus.applied, response.status_code, result=answer, replayed=replayed
    )


def _result(
    op: OfflineOperation,
    outcome: OperationStatus,
    status: int | None = None,
    *,
    result: dict[str, Any] | None = None,
    problem: dict[str, Any] | None = None,
    replayed: bool = False,
) -> OperationResult:
    return OperationResult(
        idempotency_key=op.idempotency_key,
        type=op.type,
        status=outcome,
        http_status=status,
        result=result,
        problem=problem,
        replayed=replayed,
    )
