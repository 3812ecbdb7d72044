from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import ClassVar

from sqlalchemy import (
    CheckConstraint,
    Column,
    ForeignKeyConstraint,
    Index,
    Numeric,
    UniqueConstraint,
)
from sqlmodel import Field, SQLModel

from coopac_core.errors import DomainError
from coopac_core.models_base import created_at_field, timestamp_field
from coopac_core.savings.errors import InsufficientFunds


class ProductKind(StrEnum):
    sight = "sight"  # ahorro a la vista
    term = "term"  # plazo fijo


class EarlyWithdrawal(StrEnum):
    not_allowed = "not_allowed"
    forfeit_interest = "forfeit_interest"  # cancelled early: no interest at all
    penalty_tea = "penalty_tea"  # cancelled early: the days elapsed at the product's lower TEA


class MaturityInstruction(StrEnum):
    renew = "renew"  # principal and interest placed again, same term, the product's TEA then
    renew_principal = "renew_principal"  # interest paid to a sight account, principal renewed
    transfer = "transfer"  # everything to a sight account; the deposit closes


class AccountStatus(StrEnum):
    active = "active"
    dormant = "dormant"
    blocked = "blocked"
    closed = "closed"


class HoldStatus(StrEnum):
    active = "active"
    released = "released"


class SavingsProduct(SQLModel, table=True):
    __tablename__ = "savings_product"
    __table_args__ = (
        UniqueConstraint("cooperative_id", "code", name="uq_savings_product_code"),
        CheckConstraint("kind IN ('sight', 'term')", name="kind_valid"),
        CheckConstraint("currency IN ('PEN', 'USD')", name="currency_valid"),
        CheckConstraint("tea >= 0 AND tea < 1", name="tea_range"),
        CheckConstraint("min_balance >= 0", name="min_balance_not_negative"),
        CheckConstraint("(kind = 'term') = (term_days IS NOT NULL)", name="term_days_for_term"),
        CheckConstraint(
            "early_withdrawal IN ('not_allowed', 'forfeit_interest', 'penalty_tea')",
            name="early_withdrawal_valid",
        ),
        ForeignKeyConstraint(
            ["cooperative_id", "gl_account_id"], ["gl_account.cooperative_id", "gl_account.id"]
        ),
        # what an account's key names: its product, and the product's GL account
        UniqueConstraint("cooperative_id", "id", "gl_account_id", name="uq_savings_product_gl"),
    )

    cooperative_id: uuid.UUID = Field(foreign_key="cooperative.id", primary_key=True)
    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    code: str = Field(max_length=20)
    name: str = Field(max_length=200)
    kind: str = Field(max_length=5)
    currency: str = Field(max_length=3)
    tea: Decimal = Field(sa_column=Column(Numeric(9, 6), nullable=False))
    min_balance: Decimal = Field(
        default=Decimal("0.00"), sa_column=Column(Numeric(18, 2), nullable=False)
    )
    term_days: int | None = None
    early_withdrawal: str = Field(default="not_allowed", max_length=20)
    # The lower TEA an early cancellation earns (early_withdrawal = penalty_tea).
    penalty_tea: Decimal | None = Field(default=None, sa_column=Column(Numeric(9, 6)))
    # Below this end-of-day balance a sight account earns nothing that day.
    min_balance_for_interest: Decimal = Field(
        default=Decimal("0.00"), sa_column=Column(Numeric(18, 2), nullable=False)
    )
    # A sight account without a movement by its holder for this long becomes dormant.
    dormant_after_days: int | None = None
    gl_account_id: uuid.UUID
    is_active: bool = Field(default=True)
    created_at: datetime = created_at_field()


class SavingsAccount(SQLModel, table=True):
    ACCOUNT_KIND: ClassVar[str] = "savings"
    NORMAL_SIDE: ClassVar[str] = "credit"
    NEGATIVE_BALANCE_ERROR: ClassVar[type[DomainError]] = InsufficientFunds

    __tablename__ = "savings_account"
    __table_args__ = (
        UniqueConstraint("cooperative_id", "number", name="uq_savings_account_number"),
        # No product allows an overdraft today; one that does will relax this with a column.
        CheckConstraint("balance >= 0", name="balance_not_negative"),
        CheckConstraint("held_amount >= 0", name="held_not_negative"),
        CheckConstraint(
            "status IN ('active', 'dormant', 'blocked', 'closed')", name="status_valid"
        ),
        CheckConstraint(
            "maturity_instruction IS NULL OR maturity_instruction IN "
            "('renew', 'renew_principal', 'transfer')",
            name="maturity_instruction_valid",
        ),
        CheckConstraint(
            "maturity_instruction IS NULL OR maturity_instruction = 'renew' "
            "OR payout_account_id IS NOT NULL",
            name="payout_account_for_instruction",
        ),
        ForeignKeyConstraint(
            ["cooperative_id", "member_id"], ["member.cooperative_id", "member.id"]
        ),
        ForeignKeyConstraint(
            ["cooperative_id", "payout_account_id"],
            ["savings_account.cooperative_id", "savings_account.id"],
        ),
        # an account's GL account is its product's: one key proves both
        ForeignKeyConstraint(
            ["cooperative_id", "product_id", "gl_account_id"],
            [
                "savings_product.cooperative_id",
                "savings_product.id",
                "savings_product.gl_account_id",
            ],
        ),
        Index("ix_savings_account_member", "cooperative_id", "member_id"),
        # a product's accounts in key order: close of business walks term deposits so
        Index("ix_savings_account_product", "cooperative_id", "product_id", "id"),
    )

    # the cooperative is its member's (the composite key to member): a key of its own
    # would only repeat that check on every row a bulk import writes
    cooperative_id: uuid.UUID = Field(primary_key=True)
    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    number: str = Field(max_length=20)
    member_id: uuid.UUID
    product_id: uuid.UUID
    currency: str = Field(max_length=3)
    status: str = Field(default="active", max_length=8)
    balance: Decimal = Field(
        default=Decimal("0.00"), sa_column=Column(Numeric(18, 2), nullable=False)
    )
    held_amount: Decimal = Field(
        default=Decimal("0.00"), sa_column=Column(Numeric(18, 2), nullable=False)
    )
    gl_account_id: uuid.UUID
    opened_on: date
    placed_on: date | None = None  # term deposits: when the money was placed
    maturity_date: date | None = None
    # A term deposit's placement: the amount and TEA fixed when it was placed, and what
    # happens at maturity (paid to payout_account_id, a sight account of the member).
    placed_amount: Decimal | None = Field(default=None, sa_column=Column(Numeric(18, 2)))
    rate: Decimal | None = Field(default=None, sa_column=Column(Numeric(9, 6)))
    maturity_instruction: str | None = Field(default=None, max_length=16)
    payout_account_id: uuid.UUID | None = None
    # The business date of the holder's last movement (interest paid is not one).
    last_movement_on: date | None = None
    closed_on: date | None = None
    created_at: datetime = created_at_field()
    updated_at: datetime | None = timestamp_field()


class SavingsHold(SQLModel, table=True):
    """An amount set aside (a court order, a guarantee): it lowers the available balance."""

    __tablename__ = "savings_hold"
    __table_args__ = (
        CheckConstraint("amount > 0", name="amount_positive"),
        CheckConstraint("status IN ('active', 'released')", name="status_valid"),
        ForeignKeyConstraint(
            ["cooperative_id", "account_id"],
            ["savings_account.cooperative_id", "savings_account.id"],
        ),
        ForeignKeyConstraint(["cooperative_id", "loan_id"], ["loan.cooperative_id", "loan.id"]),
        Index("ix_savings_hold_account", "cooperative_id", "account_id"),
        Index(
            "ix_savings_hold_loan",
            "cooperative_id",
            "loan_id",
            postgresql_where="loan_id IS NOT NULL",
        ),
    )

    cooperative_id: uuid.UUID = Field(foreign_key="cooperative.id", primary_key=True)
    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    account_id: uuid.UUID
    amount: Decimal = Field(sa_column=Column(Numeric(18, 2), nullable=False))
    # A deposit pledged to a loan (autoliquidable): it covers the loan's provision at 1%.
    loan_id: uuid.UUID | None = None
    reason: str = Field(max_length=300)
    status: str = Field(default="active", max_length=8)
    placed_by: str = Field(max_length=100)
    placed_at: datetime = created_at_field()
    released_by: str | None = Field(default=None, max_length=100)
    released_at: datetime | None = timestamp_field()


class SavingsAccrual(SQLModel, table=True):
    """A day's interest on an account's balance at the end of that day, kept unrounded (10
    decimals). Its key is the proof that no account accrues twice for one date."""

    __tablename__ = "savings_accrual"
    __table_args__ = (
        # No foreign key to the account: only close of business writes these rows, from the
        # accounts it reads, and the key's check cost a third of the day's work (1M rows);
        # verify-ledger proves every row has its account.
        # what a product accrued on a day: the day's booking reads it
        Index("ix_savings_accrual_day", "cooperative_id", "accrual_date", "product_id"),
    )

    cooperative_id: uuid.UUID = Field(primary_key=True)
    account_id: uuid.UUID = Field(primary_key=True)
    accrual_date: date = Field(primary_key=True)
    product_id: uuid.UUID
    balance: Decimal = Field(sa_column=Column(Numeric(18, 2), nullable=False))
    amount: Decimal = Field(sa_column=Column(Numeric(24, 10), nullable=False))


class SavingsAccrualBooking(SQLModel, table=True):
    """A product's accruals of a day, in the ledger. ``accrued_total`` is everything the
    product has accrued through that day, unrounded; the day's entry books the change of its
    rounded value, so that the books carry exactly round(accrued_total) at every date."""

    __tablename__ = "savings_accrual_booking"
    __table_args__ = (
        ForeignKeyConstraint(
            ["cooperative_id", "product_id"],
            ["savings_product.cooperative_id", "savings_product.id"],
        ),
    )

    cooperative_id: uuid.UUID = Field(primary_key=True)
    product_id: uuid.UUID = Field(primary_key=True)
    accrual_date: date = Field(primary_key=True)
    accrued_total: Decimal = Field(sa_column=Column(Numeric(28, 10), nullable=False))
    amount: Decimal = Field(sa_column=Column(Numeric(18, 2), nullable=False))
    journal_entry_id: uuid.UUID | None = None


class SavingsCapitalisation(SQLModel, table=True):
    """A month's interest paid into an account: what had accrued since the last one (with
    what its rounding left), the céntimos paid, and what is carried to the next."""

    __tablename__ = "savings_capitalisation"
    __table_args__ = (
        # no foreign key to the account, as for savings_accrual
        # half-up rounding may pay up to half a céntimo more than accrued: carried < 0
        CheckConstraint("amount >= 0", name="amount_not_negative"),
    )

    cooperative_id: uuid.UUID = Field(primary_key=True)
    account_id: uuid.UUID = Field(primary_key=True)
    period_end: date = Field(primary_key=True)
    product_id: uuid.UUID
    accrued: Decimal = Field(sa_column=Column(Numeric(24, 10), nullable=False))
    amount: Decimal = Field(sa_column=Column(Numeric(18, 2), nullable=False))
    carried: Decimal = Field(sa_column=Column(Numeric(24, 10), nullable=False))
    journal_entry_id: uuid.UUID | None = None
