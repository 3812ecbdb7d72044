"""Admissions and cash operations held by the screening lists (``compliance.screening``): an
admission whose person is on a list, and a cash operation from the federation's
``screening_usd`` whose member is, wait for the compliance officer. Approving one does it
then, as the person who asked (their till, which must still be open; their limits);
refusing it leaves nothing done.

The counter sends a cash operation the screening may hold
(``compliance.screening.might_hold``) by its Python path, where the check runs; the rest
keep their one-call path."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from pydantic import BaseModel
from sqlalchemy import text
from sqlmodel import Session, select

from coopac_core import database_rules as rules
from coopac_core.approvals import engine as approvals
from coopac_core.compliance import screening
from coopac_core.compliance.schemas import ScreeningHoldOut
from coopac_core.exchange import service as exchange_service
from coopac_core.exchange.schemas import ExchangeCreate
from coopac_core.federation.service import get_cooperative
from coopac_core.flows import counter, share_refund
from coopac_core.ledger.schemas import Movement
from coopac_core.loans import service as loans
from coopac_core.loans.models import Loan
from coopac_core.loans.schemas import DisbursementRequest, RecoveryRequest, RepaymentRequest
from coopac_core.members.models import MemberStatus
from coopac_core.members.service import get_member
from coopac_core.money import Currency, check_amount
from coopac_core.savings.models import SavingsAccount
from coopac_core.savings.schemas import CashMovementRequest, TermCancellation
from coopac_core.security.principal import CoopContext, Principal
from coopac_core.security.roles import Role
from coopac_core.shares import service as shares
from coopac_core.shares.models import ShareAccount
from coopac_core.shares.schemas import SharePayment, ShareRefund

SHARE_PAYMENT = text(
    "SELECT coopac_share_payment(:c, :m, :amount, :b, :f, :d, CAST(:actor AS jsonb), "
    "CAST(:policy AS jsonb))"
)

Answer = BaseModel | tuple[BaseModel, int]


# --- admissions -----------------------------------------------------------------------------


def _admit_held(
    session: Session, ctx: CoopContext, payload: dict[str, Any], member_id: uuid.UUID
) -> dict[str, Any]:
    member = get_member(session, ctx.cooperative_id, member_id)
    if payload.get("status") == MemberStatus.active and member.status == MemberStatus.applicant:
        member.status = MemberStatus.active
        member.admitted_on = get_cooperative(session, ctx.cooperative_id).business_date
        session.add(member)
    if member.is_member:
        shares.open_share_account(session, member)
    session.flush()
    return {"member_id": str(member.id), "status": member.status}


# --- cash operations ----------------------------------------------------------------------


def _acting(ctx: CoopContext, actor: dict[str, Any]) -> CoopContext:
    """The person who asked, acting again: their till, branch and limits."""

    def uid(key: str) -> uuid.UUID | None:
        return uuid.UUID(actor[key]) if actor.get(key) else None

    roles = frozenset(Role(r) for r in actor["roles"])
    branch = uid("branch")
    principal = Principal(
        name=actor["name"],
        full_name=actor.get("full_name"),
        user_id=uid("user_id"),
        api_key_id=uid("api_key_id"),
        owner_user_id=uid("owner_user_id"),
        home_cooperative_id=ctx.cooperative_id,
        cooperative_roles={ctx.cooperative_id: roles},
        branches={ctx.cooperative_id: branch} if branch else {},
    )
    return CoopContext(ctx.cooperative_id, principal, roles)


# A cash operation's person, amount and currency, for the screening; None when it moves
# no cash (paid from or to savings).
Person = tuple[uuid.UUID, Decimal, str] | None


def _screened(
    session: Session, ctx: CoopContext, operation: str, args: dict[str, Any], person: Person
) -> Answer:
    """``operation`` with ``args`` (what ``EXECUTORS`` does, now or once approved), unless
    its person is on a list: then held, 202."""
    if person is not None:
        held = screening.check_operation(session, ctx, operation, *person, args)
        if held is not None:
            return held, 202
    return EXECUTORS[operation](session, ctx, args)


def _deposit(session: Session, ctx: CoopContext, args: dict[str, Any]) -> Answer:
    return counter.deposit(
        session,
        ctx,
        uuid.UUID(args["account_id"]),
        CashMovementRequest.model_validate(args["body"]),
    )


def _withdrawal(session: Session, ctx: CoopContext, args: dict[str, Any]) -> Answer:
    return counter.withdraw(
        session,
        ctx,
        uuid.UUID(args["account_id"]),
        CashMovementRequest.model_validate(args["body"]),
    )


def _exchange(session: Session, ctx: CoopContext, args: dict[str, Any]) -> Answer:
    return exchange_service.exchange(session, ctx, ExchangeCreate.model_validate(args["body"]))


def _share_payment(session: Session, ctx: CoopContext, args: dict[str, Any]) -> Answer:
    data = SharePayment.model_validate(args["body"])
    body = rules.call(
        session,
        SHARE_PAYMENT,
        {
            "c": ctx.cooperative_id,
            "m": uuid.UUID(args["member_id"]),
            "amount": check_amount(data.amount),
            "b": data.branch_id,
            "f": data.from_account_id,
            "d": data.description,
            "actor": rules.actor_json(ctx),
            "policy": rules.policy_json(),
        },
    )
    return Movement.model_validate(body)


def _repayment(session: Session, ctx: CoopContext, args: dict[str, Any]) -> Answer:
    data = RepaymentRequest.model_validate(args["body"])
    return loans.repay(
        session,
        ctx,
        uuid.UUID(args["loan_id"]),
        data,
        counter.other_side(session, ctx, branch_id=data.branch_id, account_id=data.from_account_id),
    )


def _recovery(session: Session, ctx: CoopContext, args: dict[str, Any]) -> Answer:
    data = RecoveryRequest.model_validate(args["body"])
    return loans.recover(
        session,
        ctx,
        uuid.UUID(args["loan_id"]),
        data,
        counter.other_side(session, ctx, branch_id=data.branch_id, account_id=data.from_account_id),
    )


def _disbursement(session: Session, ctx: CoopContext, args: dict[str, Any]) -> Answer:
    data = DisbursementRequest.model_validate(args["body"])
    return loans.disburse(
        session,
        ctx,
        uuid.UUID(args["loan_id"]),
        counter.other_side(session, ctx, branch_id=data.branch_id, account_id=data.to_account_id),
        data.branch_id,
    )


def _cancellation(session: Session, ctx: CoopContext, args: dict[str, Any]) -> Answer:
    return counter.cancel_account(
        session, ctx, uuid.UUID(args["account_id"]), TermCancellation.model_validate(args["body"])
    )


def _share_refund(session: Session, ctx: CoopContext, args: dict[str, Any]) -> Answer:
    return share_refund.refund(
        session, ctx, uuid.UUID(args["member_id"]), ShareRefund.model_validate(args["body"])
    )


def deposit(
    session: Session, ctx: CoopContext, account_id: uuid.UUID, data: CashMovementRequest
) -> Answer:
    account = session.get(SavingsAccount, (ctx.cooperative_id, account_id))
    person = (account.member_id, check_amount(data.amount), account.currency) if account else None
    args = {"account_id": str(account_id), "body": data.model_dump(mode="json")}
    return _screened(session, ctx, "deposit", args, person)


def withdraw(
    session: Session, ctx: CoopContext, account_id: uuid.UUID, data: CashMovementRequest
) -> Answer:
    account = session.get(SavingsAccount, (ctx.cooperative_id, account_id))
    person = (account.member_id, check_amount(data.amount), account.currency) if account else None
    args = {"account_id": str(account_id), "body": data.model_dump(mode="json")}
    return _screened(session, ctx, "withdrawal", args, person)


def pay_shares(
    session: Session, ctx: CoopContext, member_id: uuid.UUID, data: SharePayment
) -> Answer:
    cash = data.from_account_id is None
    person = (member_id, check_amount(data.amount), Currency.PEN.value) if cash else None
    args = {"member_id": str(member_id), "body": data.model_dump(mode="json")}
    return _screened(session, ctx, "share_payment", args, person)


def _loan_person(
    session: Session, ctx: CoopContext, loan_id: uuid.UUID, amount: Decimal | None, cash: bool
) -> Person:
    loan = session.get(Loan, (ctx.cooperative_id, loan_id))
    if loan is None or not cash:
        return None
    return (loan.member_id, loan.amount if amount is None else check_amount(amount), loan.currency)


def repay(session: Session, ctx: CoopContext, loan_id: uuid.UUID, data: RepaymentRequest) -> Answer:
    person = _loan_person(session, ctx, loan_id, data.amount, data.from_account_id is None)
    args = {"loan_id": str(loan_id), "body": data.model_dump(mode="json")}
    return _screened(session, ctx, "loan_repayment", args, person)


def recover(
    session: Session, ctx: CoopContext, loan_id: uuid.UUID, data: RecoveryRequest
) -> Answer:
    person = _loan_person(session, ctx, loan_id, data.amount, data.from_account_id is None)
    args = {"loan_id": str(loan_id), "body": data.model_dump(mode="json")}
    return _screened(session, ctx, "loan_recovery", args, person)


def disburse(
    session: Session, ctx: CoopContext, loan_id: uuid.UUID, data: DisbursementRequest
) -> Answer:
    person = _loan_person(session, ctx, loan_id, None, data.to_account_id is None)
    args = {"loan_id": str(loan_id), "body": data.model_dump(mode="json")}
    return _screened(session, ctx, "loan_disbursement", args, person)


def cancel_account(
    session: Session, ctx: CoopContext, account_id: uuid.UUID, data: TermCancellation
) -> Answer:
    """An account closed in cash: screened by its balance (the interest paid in at closing
    adds little to what the screening compares)."""
    account = session.get(SavingsAccount, (ctx.cooperative_id, account_id))
    cash = account is not None and data.to_account_id is None and account.balance > 0
    person = (account.member_id, account.balance, account.currency) if account and cash else None
    args = {"account_id": str(account_id), "body": data.model_dump(mode="json")}
    return _screened(session, ctx, "account_closing", args, person)


def refund_shares(
    session: Session, ctx: CoopContext, member_id: uuid.UUID, data: ShareRefund
) -> Answer:
    account = session.exec(
        select(ShareAccount).where(
            ShareAccount.cooperative_id == ctx.cooperative_id, ShareAccount.member_id == member_id
        )
    ).first()
    cash = account is not None and data.to_account_id is None and account.balance > 0
    person = (member_id, account.balance, account.currency) if account and cash else None
    args = {"member_id": str(member_id), "body": data.model_dump(mode="json")}
    return _screened(session, ctx, "share_refund", args, person)


EXECUTORS: dict[str, Callable[[Session, CoopContext, dict[str, Any]], Answer]] = {
    "deposit": _deposit,
    "withdrawal": _withdrawal,
    "exchange": _exchange,
    "share_payment": _share_payment,
    "loan_repayment": _repayment,
    "loan_recovery": _recovery,
    "loan_disbursement": _disbursement,
    "account_closing": _cancellation,
    "share_refund": _share_refund,
}


# --- the compliance officer's decision ------------------------------------------------------


def approve(
    session: Session, ctx: CoopContext, hold_id: uuid.UUID, note: str | None
) -> ScreeningHoldOut:
    """The held admission or operation happens now, in this transaction; if it is refused
    (the till closed, the account emptied), the hold stays pending and says nothing."""
    row = screening.get_hold(session, ctx.cooperative_id, hold_id)
    kind = screening.KINDS[row.kind]
    row = approvals.decidable(session, ctx, kind, hold_id)
    payload = dict(row.payload)
    assert row.subject_id is not None
    if payload["operation"] == "admission":
        result: dict[str, Any] = _admit_held(session, ctx, payload, row.subject_id)
        entry = None
    else:
        answer = EXECUTORS[payload["operation"]](
            session, _acting(ctx, payload["actor"]), payload["args"]
        )
        model, status = answer if isinstance(answer, tuple) else (answer, 201)
        result = {"status": status, "body": model.model_dump(mode="json")}
        entry = result["body"].get("journal_entry_id")
    row.payload = {**payload, "result": result}
    session.add(row)
    approvals.approve(
        session, ctx, kind, row, note, uuid.UUID(entry) if isinstance(entry, str) else None
    )
    session.flush()
    return screening.hold_out(row)


def reject(
    session: Session, ctx: CoopContext, hold_id: uuid.UUID, note: str | None
) -> ScreeningHoldOut:
    row = screening.get_hold(session, ctx.cooperative_id, hold_id)
    row = approvals.reject(session, ctx, screening.KINDS[row.kind], hold_id, note)
    return screening.hold_out(row)
