"""The vault and the banks: cash deposited at and withdrawn from the cooperative's bank."""

from __future__ import annotations

import uuid
from decimal import Decimal

from sqlmodel import Session

from coopac_core.ledger import service as ledger
from coopac_core.ledger.chart import code_for
from coopac_core.ledger.models import EntryKind
from coopac_core.money import check_amount
from coopac_core.security.principal import CoopContext
from coopac_core.tellers.errors import (
    NotAVault,
    ReceiptNotFound,
    TillCashInsufficient,
    TillTransferInvalid,
)
from coopac_core.tellers.models import (
    Receipt,
    TillKind,
)
from coopac_core.tellers.schemas import (
    BankMovement,
    BankMovementOut,
)
from coopac_core.tellers.service.cash import BANK_GL
from coopac_core.tellers.service.tills import get_till
from coopac_core.tellers.service.transfers import _locked_cash


def bank_movement(
    session: Session,
    ctx: CoopContext,
    vault_id: uuid.UUID,
    data: BankMovement,
    *,
    into_bank: bool,
) -> BankMovementOut:
    """Cash the vault takes to a bank (a deposit) or brings from one (a withdrawal): an
    entry against the bank's GL account."""
    amount = check_amount(data.amount)
    vault = get_till(session, ctx.cooperative_id, vault_id)
    if vault.kind != TillKind.vault:
        raise NotAVault()
    currency = data.currency
    code = data.bank_account or code_for(BANK_GL, currency)
    bank = ledger.gl_account_by_code(session, ctx.cooperative_id, code)
    if bank.currency != currency.value:
        raise TillTransferInvalid(reason=f"la cuenta {code} no es en {currency.value}")
    if bank.branch_id is not None or bank.control_kind is not None or not code.startswith("11"):
        raise TillTransferInvalid(reason=f"la cuenta {code} no es una cuenta de bancos")
    cash = _locked_cash(session, vault, currency.value)
    if into_bank and cash.balance < amount:
        raise TillCashInsufficient(available=f"{cash.balance:.2f}", currency=currency.value)
    vault_gl = ledger.get_gl_account(session, ctx.cooperative_id, cash.gl_account_id)
    sign = Decimal(1) if into_bank else Decimal(-1)
    what = "Depósito en banco" if into_bank else "Retiro de banco"
    entry, _ = ledger.post_entry(
        session,
        ctx,
        EntryKind.bank_deposit if into_bank else EntryKind.bank_withdrawal,
        [ledger.Leg(bank, sign * amount), ledger.Leg(vault_gl, -sign * amount)],
        branch_id=vault.branch_id,
        description=f"{what}: {data.reference}" if data.reference else what,
    )
    after = _locked_cash(session, vault, currency.value)
    return BankMovementOut(
        journal_entry_id=entry.id,
        till_id=vault.id,
        currency=currency,
        amount=amount,
        vault_balance=after.balance,
        bank_account=code,
    )


def get_receipt(session: Session, cooperative_id: uuid.UUID, number: str) -> Receipt:
    row = session.get(Receipt, (cooperative_id, number))
    if row is None:
        raise ReceiptNotFound()
    return row
