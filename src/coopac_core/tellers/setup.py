"""What a cooperative and a branch get for the counter when they are made: the counter's
accounts, and a branch's vault."""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from sqlmodel import Session

from coopac_core.federation.models import Branch
from coopac_core.ledger import service as ledger
from coopac_core.ledger.chart import branch_cash_code, code_for
from coopac_core.ledger.models import GlAccount
from coopac_core.money import Currency
from coopac_core.tellers.models import CounterAccount, CounterPurpose, Till, TillCash, TillKind
from coopac_core.tellers.schemas import CashLimit

VAULT_CODE = "BOVEDA"


def open_till_cash(
    session: Session, branch: Branch, till: Till, limits: Iterable[CashLimit] = ()
) -> None:
    ceilings = {limit.currency: limit.amount for limit in limits}
    for currency in Currency:
        gl = GlAccount(
            cooperative_id=branch.cooperative_id,
            code=f"{branch_cash_code(currency, branch.code)}.{till.code}",
            name=f"{till.name} - {branch.name}"[:190] + f" ({currency.value})",
            currency=currency.value,
            normal_side="debit",
            branch_id=branch.id,
            is_system=True,
        )
        session.add(gl)
        session.flush()
        session.add(
            TillCash(
                cooperative_id=branch.cooperative_id,
                till_id=till.id,
                currency=currency.value,
                gl_account_id=gl.id,
                ceiling=ceilings.get(currency) or None,
            )
        )


def open_vault(session: Session, branch: Branch) -> Till:
    """A branch's vault, made with the branch."""
    vault = Till(
        cooperative_id=branch.cooperative_id,
        branch_id=branch.id,
        code=VAULT_CODE,
        name="Bóveda",
        kind=TillKind.vault,
    )
    session.add(vault)
    session.flush()
    open_till_cash(session, branch, vault)
    return vault


def seed_counter_accounts(session: Session, cooperative_id: uuid.UUID) -> None:
    """The default accounts of the counter, from the chart just seeded."""
    for purpose, template in COUNTER_ACCOUNT_CODES.items():
        for currency in Currency:
            gl = ledger.gl_account_by_code(session, cooperative_id, code_for(template, currency))
            session.add(
                CounterAccount(
                    cooperative_id=cooperative_id,
                    purpose=purpose,
                    currency=currency.value,
                    gl_account_id=gl.id,
                )
            )


# Where the counter books what is not cash (ledger.chart): in transit between the vault
# and a till; a count's shortage, owed by whoever held the till until cleared; its
# overage, owed to whoever it belongs to (a member, most often) until cleared.
COUNTER_ACCOUNT_CODES = {
    CounterPurpose.cash_in_transit: "11{c}1.TR",
    CounterPurpose.cash_short: "15{c}1.01",
    CounterPurpose.cash_over: "25{c}1.01",
    CounterPurpose.exchange_position: "19{c}9",
    CounterPurpose.exchange_income: "56{c}2",
}
