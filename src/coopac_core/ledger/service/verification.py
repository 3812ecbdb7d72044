"""Proving the books from the rows themselves: ``coopac verify-ledger``."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy import text
from sqlmodel import Session, SQLModel

from coopac_core.ledger.accounts import control_parts, holder_amount
from coopac_core.ledger.models import NormalSide

# A product's own proof that its records agree with the balances the ledger keeps (a
# loan's status and installments against its balance): each returns the problems found.
# coopac_core.flows.verification lists them; the ledger knows none of the products.
ProductCheck = Callable[[Session, uuid.UUID], list[str]]


@dataclass
class VerificationReport:
    member_accounts_checked: int = 0
    control_accounts_checked: int = 0
    entries_checked: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def verify(
    session: Session,
    cooperative_id: uuid.UUID,
    accounts: Sequence[type[SQLModel]],
    checks: Sequence[ProductCheck] = (),
) -> VerificationReport:
    """Prove, from the rows themselves, that the books hold together:
    every member balance equals its postings; every control account equals the member
    balances it controls; every entry balances per currency; debits equal credits; and
    each product's records agree with its balances (``checks``)."""
    report = VerificationReport()
    params = {"c": cooperative_id}
    control_totals: dict[uuid.UUID, Decimal] = defaultdict(Decimal)
    for model in sorted(accounts, key=lambda m: str(m.ACCOUNT_KIND)):  # type: ignore[attr-defined]
        kind = str(model.ACCOUNT_KIND)  # type: ignore[attr-defined]
        table = model.__tablename__
        side = model.NORMAL_SIDE  # type: ignore[attr-defined]
        sign = "-" if side == NormalSide.credit else ""
        parts = control_parts(model)
        columns = ", ".join(f"a.{column}, {amount}" for column, amount in parts)
        rows = session.execute(
            text(
                f"SELECT a.id, a.balance, "
                f"coalesce({sign}(SELECT sum(p.amount) FROM posting p "
                f"WHERE p.cooperative_id = a.cooperative_id AND p.account_kind = :k "
                f"AND p.account_id = a.id), 0) AS posted, {columns} "
                f"FROM {table} a WHERE a.cooperative_id = :c"
            ),
            {**params, "k": kind},
        ).all()
        for acct_id, balance, posted, *split in rows:
            report.member_accounts_checked += 1
            for gl_id, amount in zip(split[::2], split[1::2], strict=True):
                if gl_id is not None:
                    control_totals[gl_id] += amount
                elif amount:
                    report.problems.append(f"{kind} {acct_id}: {amount} in no control account")
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
    for check in checks:
        report.problems.extend(check(session, cooperative_id))
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
