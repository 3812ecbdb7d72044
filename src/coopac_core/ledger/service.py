"""Posting balanced entries, reversing them, and reading balances back."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any, ClassVar, Protocol, TypeVar

from sqlalchemy import func, insert, text
from sqlalchemy import select as sa_select
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, SQLModel, col, select

from coopac_core.audit import service as audit_service
from coopac_core.db import flush_or_conflict
from coopac_core.errors import Conflict, NotFound, Unprocessable
from coopac_core.federation.models import Branch, Cooperative
from coopac_core.ledger.chart import DEFAULT_CHART, branch_cash_code, code_for, normal_side_of
from coopac_core.ledger.models import GlAccount, JournalEntry, Posting
from coopac_core.ledger.schemas import Movement, StatementLine
from coopac_core.money import CENT, CURRENCY_DIGIT, Currency
from coopac_core.observability import request_id_var
from coopac_core.security.principal import Principal


class MemberAccount(Protocol):
    """A member's product account whose balance the ledger keeps (savings, shares, loans)."""

    ACCOUNT_KIND: ClassVar[str]
    NORMAL_SIDE: ClassVar[str]
    NEGATIVE_BALANCE_CODE: ClassVar[str]
    cooperative_id: uuid.UUID
    id: uuid.UUID
    currency: str
    balance: Decimal
    gl_account_id: uuid.UUID


ACCOUNT_MODELS: dict[str, type[SQLModel]] = {}
M = TypeVar("M", bound=SQLModel)


def register_account_kind(model: type[M]) -> type[M]:
    ACCOUNT_MODELS[model.ACCOUNT_KIND] = model  # type: ignore[attr-defined]
    return model


def holder_amount(account_normal_side: str, posting_amount: Decimal) -> Decimal:
    """A posting seen from the holder's side: a credit to a deposit is money in (+)."""
    return -posting_amount if account_normal_side == "credit" else posting_amount


# --- chart of accounts ------------------------------------------------------------------


def seed_chart(session: Session, cooperative_id: uuid.UUID) -> None:
    for line in DEFAULT_CHART:
        for currency in Currency:
            code = code_for(line.template, currency)
            session.add(
                GlAccount(
                    cooperative_id=cooperative_id,
                    code=code,
                    name=f"{line.name} ({currency.value})",
                    currency=currency.value,
                    normal_side=normal_side_of(code, contra=line.contra),
                    control_kind=line.control,
                    allows_posting=line.posting,
                    is_system=True,
                )
            )


def open_branch_cash(session: Session, cooperative_id: uuid.UUID, branch: Branch) -> None:
    for currency in Currency:
        code = branch_cash_code(currency, branch.code)
        session.add(
            GlAccount(
                cooperative_id=cooperative_id,
                code=code,
                name=f"Caja {branch.name} ({currency.value})",
                currency=currency.value,
                normal_side="debit",
                branch_id=branch.id,
                is_system=True,
            )
        )


def gl_account_by_code(session: Session, cooperative_id: uuid.UUID, code: str) -> GlAccount:
    account = session.exec(
        select(GlAccount).where(GlAccount.cooperative_id == cooperative_id, GlAccount.code == code)
    ).first()
    if account is None:
        raise NotFound(f"Cuenta contable {code} no encontrada", code="gl_account_not_found")
    return account


def get_gl_account(session: Session, cooperative_id: uuid.UUID, account_id: uuid.UUID) -> GlAccount:
    account = session.get(GlAccount, (cooperative_id, account_id))
    if account is None:
        raise NotFound("Cuenta contable no encontrada", code="gl_account_not_found")
    return account


def branch_cash_account(
    session: Session, cooperative_id: uuid.UUID, branch_id: uuid.UUID, currency: str
) -> GlAccount:
    account = session.exec(
        select(GlAccount).where(
            GlAccount.cooperative_id == cooperative_id,
            GlAccount.branch_id == branch_id,
            GlAccount.currency == currency,
        )
    ).first()
    if account is None:
        raise Unprocessable("La agencia no existe en esta cooperativa", code="branch_not_found")
    return account


def create_gl_account(
    session: Session,
    actor: Principal,
    cooperative_id: uuid.UUID,
    *,
    code: str,
    name: str,
    currency: Currency,
) -> GlAccount:
    """An account a cooperative adds to the default chart. Control accounts stay the
    service's own: a member product must not be posted to an account it does not own."""
    if code[2] != CURRENCY_DIGIT[currency]:
        raise Unprocessable(
            f"El tercer dígito de {code} no corresponde a {currency.value}", code="gl_code_currency"
        )
    account = GlAccount(
        cooperative_id=cooperative_id,
        code=code,
        name=name,
        currency=currency.value,
        normal_side=normal_side_of(code),
    )
    session.add(account)
    flush_or_conflict(session, Conflict(f"Ya existe la cuenta {code}", code="gl_account_exists"))
    audit_service.record(
        session,
        actor,
        "gl_account.create",
        "gl_account",
        account.id,
        cooperative_id=cooperative_id,
        details={"code": code, "name": name, "currency": currency.value},
    )
    return account


def list_gl_accounts(
    session: Session,
    cooperative_id: uuid.UUID,
    *,
    currency: str | None,
    after_code: str | None,
    limit: int,
) -> list[GlAccount]:
    stmt = select(GlAccount).where(GlAccount.cooperative_id == cooperative_id)
    if currency:
        stmt = stmt.where(GlAccount.currency == currency)
    if after_code is not None:
        stmt = stmt.where(col(GlAccount.code) > after_code)
    return list(session.exec(stmt.order_by(col(GlAccount.code)).limit(limit)))


# --- posting ----------------------------------------------------------------------------


@dataclass
class Leg:
    gl_account: GlAccount
    amount: Decimal  # positive: debit; negative: credit
    member_account: Any = None  # a MemberAccount, locked by the caller


def lock_accounts(
    session: Session, model: type[M], cooperative_id: uuid.UUID, ids: Iterable[uuid.UUID]
) -> dict[uuid.UUID, M]:
    """Lock member accounts for this transaction, always in id order so that two
    transfers between the same accounts cannot deadlock."""
    wanted = sorted(set(ids))
    if not wanted:
        return {}
    rows = session.exec(
        select(model)
        .where(model.cooperative_id == cooperative_id, col(model.id).in_(wanted))  # type: ignore[attr-defined]
        .order_by(model.id)  # type: ignore[attr-defined]
        .with_for_update()
        .execution_options(populate_existing=True)
    ).all()
    return {row.id: row for row in rows}  # type: ignore[attr-defined]


def _check_legs(legs: Sequence[Leg]) -> None:
    totals: dict[str, Decimal] = defaultdict(Decimal)
    for leg in legs:
        gl = leg.gl_account
        if leg.amount == 0 or leg.amount != leg.amount.quantize(CENT):
            raise Unprocessable("Importe de asiento inválido", code="amount_invalid")
        if not gl.allows_posting:
            raise Unprocessable(
                f"La cuenta {gl.code} no admite movimientos", code="gl_account_not_postable"
            )
        acct = leg.member_account
        if gl.control_kind is not None:
            if acct is None or gl.control_kind != acct.ACCOUNT_KIND or acct.gl_account_id != gl.id:
                raise Unprocessable(
                    f"La cuenta {gl.code} solo se mueve con cuentas de socios",
                    code="control_account",
                )
        elif acct is not None:
            raise Unprocessable("Cuenta de socio sin cuenta de control", code="control_account")
        if acct is not None and acct.currency != gl.currency:
            raise Unprocessable("La moneda no coincide", code="currency_mismatch")
        totals[gl.currency] += leg.amount
    unbalanced = [cur for cur, total in totals.items() if total != 0]
    if unbalanced:
        raise Unprocessable(
            f"Asiento descuadrado en {', '.join(unbalanced)}", code="entry_unbalanced"
        )


def post_entry(
    session: Session,
    actor: Principal,
    cooperative_id: uuid.UUID,
    kind: str,
    legs: Sequence[Leg],
    *,
    branch_id: uuid.UUID | None = None,
    description: str | None = None,
    reversal_of: uuid.UUID | None = None,
) -> tuple[JournalEntry, list[Posting]]:
    """Post one balanced entry and move the member balances it touches, atomically.

    Member accounts in ``legs`` must already be locked (``lock_accounts``) by the caller,
    which has checked its own rules against the locked balances.
    """
    _check_legs(legs)
    coop = session.get(Cooperative, cooperative_id)
    if coop is None:
        raise NotFound("Cooperativa no encontrada", code="cooperative_not_found")
    entry = JournalEntry(
        cooperative_id=cooperative_id,
        kind=kind,
        branch_id=branch_id,
        business_date=coop.business_date,
        value_date=coop.business_date,
        description=description,
        actor_user_id=actor.user_id,
        actor_api_key_id=actor.api_key_id,
        actor_name=actor.name,
        request_id=request_id_var.get(),
        reversal_of=reversal_of,
    )
    session.add(entry)
    rows: list[dict[str, Any]] = []
    for leg in legs:
        acct = leg.member_account
        balance_after = None
        if acct is not None:
            acct.balance += holder_amount(acct.NORMAL_SIDE, leg.amount)
            if acct.balance < 0:
                raise Unprocessable("Saldo insuficiente", code=acct.NEGATIVE_BALANCE_CODE)
            balance_after = acct.balance
            session.add(acct)
        rows.append(
            {
                "cooperative_id": cooperative_id,
                "entry_id": entry.id,
                "gl_account_id": leg.gl_account.id,
                "currency": leg.gl_account.currency,
                "amount": leg.amount,
                "account_kind": acct.ACCOUNT_KIND if acct is not None else None,
                "account_id": acct.id if acct is not None else None,
                "balance_after": balance_after,
                "business_date": entry.business_date,
                "value_date": entry.value_date,
            }
        )
    try:
        session.flush()
    except IntegrityError as exc:
        constraint = getattr(getattr(exc.orig, "diag", None), "constraint_name", None)
        if constraint == "uq_journal_entry_reversal_of":
            raise Conflict("El asiento ya fue extornado", code="already_reversed") from None
        raise
    # All the lines in one INSERT: render_nulls keeps a GL-only line (NULL member account)
    # the same shape as a member line; otherwise each shape is a round trip of its own.
    # RETURNING order is not promised without a sentinel (and asking for it would send one
    # row at a time), so the lines are matched back to the legs by what they hold.
    inserted = list(
        session.scalars(
            insert(Posting).returning(Posting).execution_options(render_nulls=True), rows
        )
    )
    postings: list[Posting] = []
    for row in rows:
        match = next(
            p
            for p in inserted
            if p.gl_account_id == row["gl_account_id"]
            and p.account_id == row["account_id"]
            and p.amount == row["amount"]
        )
        inserted.remove(match)
        postings.append(match)
    return entry, postings


def get_entry(session: Session, cooperative_id: uuid.UUID, entry_id: uuid.UUID) -> JournalEntry:
    entry = session.get(JournalEntry, (cooperative_id, entry_id))
    if entry is None:
        raise NotFound("Asiento no encontrado", code="journal_entry_not_found")
    return entry


def entry_postings(
    session: Session, cooperative_id: uuid.UUID, entry_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, list[Posting]]:
    out: dict[uuid.UUID, list[Posting]] = defaultdict(list)
    if entry_ids:
        rows = session.exec(
            select(Posting)
            .where(Posting.cooperative_id == cooperative_id, col(Posting.entry_id).in_(entry_ids))
            .order_by(col(Posting.id))
        )
        for p in rows:
            out[p.entry_id].append(p)
    return out


def reversal_of_entry(
    session: Session, cooperative_id: uuid.UUID, entry_id: uuid.UUID
) -> JournalEntry | None:
    return session.exec(
        select(JournalEntry).where(
            JournalEntry.cooperative_id == cooperative_id, JournalEntry.reversal_of == entry_id
        )
    ).first()


def reverse_entry(
    session: Session,
    actor: Principal,
    cooperative_id: uuid.UUID,
    entry_id: uuid.UUID,
    description: str | None = None,
) -> tuple[JournalEntry, list[Posting]]:
    """Post the mirror of an entry, linked to it. An entry is reversed at most once; the
    database's unique index on ``reversal_of`` holds that even under concurrency."""
    entry = get_entry(session, cooperative_id, entry_id)
    if entry.reversal_of is not None:
        raise Conflict(
            "Un extorno no se extorna; registre un nuevo movimiento", code="cannot_reverse_reversal"
        )
    if reversal_of_entry(session, cooperative_id, entry_id) is not None:
        raise Conflict("El asiento ya fue extornado", code="already_reversed")
    postings = entry_postings(session, cooperative_id, [entry_id])[entry_id]
    locked: dict[tuple[str, uuid.UUID], Any] = {}
    by_kind: dict[str, set[uuid.UUID]] = defaultdict(set)
    for p in postings:
        if p.account_kind and p.account_id:
            by_kind[p.account_kind].add(p.account_id)
    for kind in sorted(by_kind):
        for acct_id, acct in lock_accounts(
            session, ACCOUNT_MODELS[kind], cooperative_id, by_kind[kind]
        ).items():
            locked[(kind, acct_id)] = acct
    legs = [
        Leg(
            gl_account=get_gl_account(session, cooperative_id, p.gl_account_id),
            amount=-p.amount,
            member_account=locked.get((p.account_kind, p.account_id))
            if p.account_kind and p.account_id
            else None,
        )
        for p in postings
    ]
    return post_entry(
        session,
        actor,
        cooperative_id,
        "reversal",
        legs,
        branch_id=entry.branch_id,
        description=description or f"Extorno de {entry.kind}",
        reversal_of=entry.id,
    )


def list_entries(
    session: Session,
    cooperative_id: uuid.UUID,
    *,
    date_from: date | None,
    date_to: date | None,
    kind: str | None,
    gl_account_id: uuid.UUID | None,
    after_seq: int | None,
    limit: int,
) -> list[JournalEntry]:
    stmt = select(JournalEntry).where(JournalEntry.cooperative_id == cooperative_id)
    if date_from:
        stmt = stmt.where(JournalEntry.business_date >= date_from)
    if date_to:
        stmt = stmt.where(JournalEntry.business_date <= date_to)
    if kind:
        stmt = stmt.where(JournalEntry.kind == kind)
    if gl_account_id:
        touching = select(Posting.entry_id).where(
            Posting.cooperative_id == cooperative_id, Posting.gl_account_id == gl_account_id
        )
        stmt = stmt.where(col(JournalEntry.id).in_(touching))
    if after_seq is not None:
        stmt = stmt.where(col(JournalEntry.seq) > after_seq)
    return list(session.exec(stmt.order_by(col(JournalEntry.seq)).limit(limit)))


# --- balances ---------------------------------------------------------------------------


@dataclass
class TrialBalanceLine:
    code: str
    name: str
    currency: str
    debits: Decimal
    credits: Decimal

    @property
    def balance(self) -> Decimal:
        return self.debits - self.credits


def trial_balance(
    session: Session, cooperative_id: uuid.UUID, as_of: date, currency: str | None
) -> list[TrialBalanceLine]:
    """Debits and credits of every account with movement up to ``as_of`` (business date)."""
    debit = func.coalesce(func.sum(Posting.amount).filter(col(Posting.amount) > 0), 0)
    credit = func.coalesce(-func.sum(Posting.amount).filter(col(Posting.amount) < 0), 0)
    stmt = (
        sa_select(col(GlAccount.code), col(GlAccount.name), col(GlAccount.currency), debit, credit)
        .join(
            Posting,
            (col(Posting.cooperative_id) == col(GlAccount.cooperative_id))
            & (col(Posting.gl_account_id) == col(GlAccount.id)),
        )
        .where(col(GlAccount.cooperative_id) == cooperative_id, col(Posting.business_date) <= as_of)
        .group_by(
            col(GlAccount.id), col(GlAccount.code), col(GlAccount.name), col(GlAccount.currency)
        )
        .order_by(col(GlAccount.currency), col(GlAccount.code))
    )
    if currency:
        stmt = stmt.where(col(GlAccount.currency) == currency)
    return [
        TrialBalanceLine(code, name, cur, Decimal(d), Decimal(c))
        for code, name, cur, d, c in session.execute(stmt)
    ]


@dataclass
class VerificationReport:
    member_accounts_checked: int = 0
    control_accounts_checked: int = 0
    entries_checked: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def verify(session: Session, cooperative_id: uuid.UUID) -> VerificationReport:
    """Prove, from the rows themselves, that the books hold together:
    every member balance equals its postings; every control account equals the member
    balances it controls; every entry balances per currency; debits equal credits."""
    report = VerificationReport()
    params = {"c": cooperative_id}
    control_totals: dict[uuid.UUID, Decimal] = defaultdict(Decimal)
    for kind, model in sorted(ACCOUNT_MODELS.items()):
        table = model.__tablename__
        side = model.NORMAL_SIDE  # type: ignore[attr-defined]
        sign = "-" if side == "credit" else ""
        rows = session.execute(
            text(
                f"SELECT a.id, a.gl_account_id, a.balance, "
                f"coalesce({sign}(SELECT sum(p.amount) FROM posting p "
                f"WHERE p.cooperative_id = a.cooperative_id AND p.account_kind = :k "
                f"AND p.account_id = a.id), 0) AS posted "
                f"FROM {table} a WHERE a.cooperative_id = :c"
            ),
            {**params, "k": kind},
        ).all()
        for acct_id, gl_id, balance, posted in rows:
            report.member_accounts_checked += 1
            control_totals[gl_id] += balance
            if balance != posted:
                report.problems.append(
                    f"{kind} {acct_id}: balance {balance} but postings sum {posted}"
                )
    controls = session.execute(
        text(
            "SELECT g.id, g.code, g.normal_side, coalesce(sum(p.amount), 0) FROM gl_account g "
            "LEFT JOIN posting p ON p.cooperative_id = g.cooperative_id AND p.gl_account_id = g.id "
            "WHERE g.cooperative_id = :c AND g.control_kind IS NOT NULL "
            "GROUP BY g.cooperative_id, g.id"
        ),
        params,
    ).all()
    for gl_id, code, side, total in controls:
        report.control_accounts_checked += 1
        gl_balance = holder_amount(side, Decimal(total))
        members = control_totals.get(gl_id, Decimal(0))
        if gl_balance != members:
            report.problems.append(
                f"control account {code}: {gl_balance} but member balances sum {members}"
            )
    unbalanced = session.execute(
        text(
            "SELECT entry_id, currency, sum(amount) FROM posting WHERE cooperative_id = :c "
            "GROUP BY entry_id, currency HAVING sum(amount) <> 0"
        ),
        params,
    ).all()
    for entry_id, cur, total in unbalanced:
        report.problems.append(f"entry {entry_id} unbalanced in {cur} by {total}")
    report.entries_checked = session.execute(
        text("SELECT count(*) FROM journal_entry WHERE cooperative_id = :c"), params
    ).scalar_one()
    for cur, total in session.execute(
        text(
            "SELECT currency, sum(amount) FROM posting WHERE cooperative_id = :c GROUP BY currency"
        ),
        params,
    ).all():
        if total != 0:
            report.problems.append(f"trial balance in {cur} off by {total}")
    return report


def statement(
    session: Session,
    cooperative_id: uuid.UUID,
    account_kind: str,
    account_id: uuid.UUID,
    normal_side: str,
    *,
    after_id: int | None,
    limit: int,
) -> list[tuple[Posting, JournalEntry, Decimal]]:
    """Postings of one member account in booking order, with the holder-side amount."""
    stmt = (
        select(Posting, JournalEntry)
        .join(
            JournalEntry,
            (col(JournalEntry.cooperative_id) == col(Posting.cooperative_id))
            & (col(JournalEntry.id) == col(Posting.entry_id)),
        )
        .where(
            Posting.cooperative_id == cooperative_id,
            Posting.account_id == account_id,
            Posting.account_kind == account_kind,
        )
    )
    if after_id is not None:
        stmt = stmt.where(col(Posting.id) > after_id)
    rows = session.exec(stmt.order_by(col(Posting.id)).limit(limit)).all()
    return [(p, e, holder_amount(normal_side, p.amount)) for p, e in rows]


def statement_lines(
    session: Session, account: Any, *, after_id: int | None, limit: int
) -> list[StatementLine]:
    """A member account's statement lines (``account`` is a MemberAccount)."""
    rows = statement(
        session,
        account.cooperative_id,
        account.ACCOUNT_KIND,
        account.id,
        account.NORMAL_SIDE,
        after_id=after_id,
        limit=limit,
    )
    return [
        StatementLine(
            id=p.id or 0,
            booked_at=e.created_at,
            value_date=p.value_date,
            kind=e.kind,
            amount=amount,
            balance_after=p.balance_after if p.balance_after is not None else Decimal(0),
            description=e.description,
            journal_entry_id=e.id,
        )
        for p, e, amount in rows
    ]


def reversals_of(
    session: Session, cooperative_id: uuid.UUID, entry_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, uuid.UUID]:
    """Map each reversed entry among ``entry_ids`` to the entry that reversed it."""
    if not entry_ids:
        return {}
    rows = session.exec(
        select(JournalEntry.reversal_of, JournalEntry.id).where(
            JournalEntry.cooperative_id == cooperative_id,
            col(JournalEntry.reversal_of).in_(entry_ids),
        )
    )
    return {orig: rev for orig, rev in rows if orig is not None}


def movement(
    account: Any, entry: JournalEntry, posting: Posting, amount: Decimal, available: Decimal
) -> Movement:
    """The answer to a money POST on a member account (``account`` is a MemberAccount)."""
    return Movement(
        id=posting.id or 0,
        journal_entry_id=entry.id,
        account_id=account.id,
        kind=entry.kind,
        amount=amount,
        currency=account.currency,
        balance=account.balance,
        available_balance=available,
        value_date=entry.value_date,
        booked_at=entry.created_at,
        description=entry.description,
    )
