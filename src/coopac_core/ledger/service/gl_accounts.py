"""The chart of accounts of a cooperative: seeding it, extending it, finding accounts."""

from __future__ import annotations

import uuid

from sqlmodel import Session, col, select

from coopac_core.audit import service as audit_service
from coopac_core.db import flush_or_conflict
from coopac_core.federation.errors import BranchNotFound
from coopac_core.federation.models import Branch
from coopac_core.ledger.chart import DEFAULT_CHART, branch_cash_code, code_for, normal_side_of
from coopac_core.ledger.errors import GlAccountExists, GlAccountNotFound, GlCodeCurrency
from coopac_core.ledger.models import GlAccount
from coopac_core.money import CURRENCY_DIGIT, Currency
from coopac_core.security.principal import CoopContext


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


# An account of the chart never changes once it exists (no endpoint edits one; only a
# migration renames or closes one, and the service restarts after migrating), so each
# process keeps what it has read: a loan repayment read three accounts a time, each a
# round trip. Kept as copies of no session's (nothing expires them), read-only. By id any
# account (ids are never reused); by code only the chart's own accounts, made with their
# cooperative, not a branch's or a till's: the code of an account whose transaction rolled
# back (a branch that failed to open) may be taken again by another.
_BY_ID: dict[tuple[uuid.UUID, uuid.UUID], GlAccount] = {}
_BY_CODE: dict[tuple[uuid.UUID, str], GlAccount] = {}


def _keep(account: GlAccount) -> GlAccount:
    kept = GlAccount.model_validate(account.model_dump())
    _BY_ID[(kept.cooperative_id, kept.id)] = kept
    if kept.is_system and kept.branch_id is None:
        _BY_CODE[(kept.cooperative_id, kept.code)] = kept
    return kept


def gl_account_by_code(session: Session, cooperative_id: uuid.UUID, code: str) -> GlAccount:
    kept = _BY_CODE.get((cooperative_id, code))
    if kept is not None:
        return kept
    account = session.exec(
        select(GlAccount).where(GlAccount.cooperative_id == cooperative_id, GlAccount.code == code)
    ).first()
    if account is None:
        raise GlAccountNotFound(code=code)
    return _keep(account)


def gl_account_for(
    session: Session, cooperative_id: uuid.UUID, template: str, currency: str
) -> GlAccount:
    """The account of a chart template ("51{c}1") in ``currency``."""
    return gl_account_by_code(session, cooperative_id, code_for(template, Currency(currency)))


def gl_accounts_for(
    session: Session, cooperative_id: uuid.UUID, templates: list[str], currency: str
) -> dict[str, GlAccount]:
    """The accounts of several chart templates in ``currency``, in one query."""
    if not templates:
        return {}
    codes = {code_for(t, Currency(currency)): t for t in templates}
    found = {code: a for code in codes if (a := _BY_CODE.get((cooperative_id, code)))}
    if len(found) < len(codes):
        found.update(
            (a.code, _keep(a))
            for a in session.exec(
                select(GlAccount).where(
                    GlAccount.cooperative_id == cooperative_id,
                    col(GlAccount.code).in_(set(codes) - set(found)),
                )
            )
        )
    missing = sorted(set(codes) - set(found))
    if missing:
        raise GlAccountNotFound(code=", ".join(missing))
    return {t: found[code] for code, t in codes.items()}


def get_gl_account(session: Session, cooperative_id: uuid.UUID, account_id: uuid.UUID) -> GlAccount:
    kept = _BY_ID.get((cooperative_id, account_id))
    if kept is not None:
        return kept
    account = session.get(GlAccount, (cooperative_id, account_id))
    if account is None:
        raise GlAccountNotFound(code=str(account_id))
    return _keep(account)


def branch_cash_account(
    session: Session, cooperative_id: uuid.UUID, branch_id: uuid.UUID, currency: str
) -> GlAccount:
    """The branch's own cash account (11x1.<branch>), not one of its tills'."""
    branch = session.get(Branch, (cooperative_id, branch_id))
    if branch is None:
        raise BranchNotFound()
    return gl_account_by_code(
        session, cooperative_id, branch_cash_code(Currency(currency), branch.code)
    )


def create_gl_account(
    session: Session, ctx: CoopContext, *, code: str, name: str, currency: Currency
) -> GlAccount:
    """An account a cooperative adds to the default chart. Control accounts stay the
    service's own: a member product must not be posted to an account it does not own."""
    if code[2] != CURRENCY_DIGIT[currency]:
        raise GlCodeCurrency(code=code, currency=currency.value)
    account = GlAccount(
        cooperative_id=ctx.cooperative_id,
        code=code,
        name=name,
        currency=currency.value,
        normal_side=normal_side_of(code),
    )
    session.add(account)
    flush_or_conflict(session, GlAccountExists(code=code))
    audit_service.record(
        session,
        ctx.principal,
        "gl_account.create",
        "gl_account",
        account.id,
        cooperative_id=ctx.cooperative_id,
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
