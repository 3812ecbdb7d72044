from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any, ClassVar

from sqlalchemy import (
    CheckConstraint,
    Column,
    ForeignKeyConstraint,
    Index,
    Numeric,
    UniqueConstraint,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlmodel import Field, SQLModel

from coopac_core.errors import DomainError
from coopac_core.ledger.accounts import register_account_kind
from coopac_core.loans.errors import Overpayment
from coopac_core.models_base import created_at_field, timestamp_field


class LoanStatus(StrEnum):
    draft = "draft"
    submitted = "submitted"
    approved = "approved"
    rejected = "rejected"
    active = "active"
    paid_off = "paid_off"
    written_off = "written_off"


class Purpose(StrEnum):
    agriculture = "agriculture"
    livestock = "livestock"
    business = "business"
    consumption = "consumption"
    health = "health"
    education = "education"
    housing = "housing"
    other = "other"


def _money(nullable: bool = False, default: Decimal | None = Decimal("0.00")) -> Any:
    return Field(default=default, sa_column=Column(Numeric(18, 2), nullable=nullable))


def _rate() -> Any:
    return Field(default=Decimal("0"), sa_column=Column(Numeric(12, 8), nullable=False))


class LoanProduct(SQLModel, table=True):
    __tablename__ = "loan_product"
    __table_args__ = (
        UniqueConstraint("cooperative_id", "code", name="uq_loan_product_code"),
        CheckConstraint(
            "credit_type IN ('consumo', 'microempresa', 'pequena_empresa', 'hipotecario')",
            name="credit_type_valid",
        ),
        CheckConstraint("currency IN ('PEN', 'USD')", name="currency_valid"),
        CheckConstraint("tea_min >= 0 AND tea_min <= tea_max", name="tea_range"),
        CheckConstraint("amount_min > 0 AND amount_min <= amount_max", name="amount_range"),
        CheckConstraint("term_min >= 1 AND term_min <= term_max", name="term_range"),
        ForeignKeyConstraint(
            ["cooperative_id", "gl_account_id"], ["gl_account.cooperative_id", "gl_account.id"]
        ),
    )

    cooperative_id: uuid.UUID = Field(foreign_key="cooperative.id", primary_key=True)
    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    code: str = Field(max_length=20)
    name: str = Field(max_length=200)
    credit_type: str = Field(max_length=16)
    is_agricultural: bool = Field(default=False)
    currency: str = Field(max_length=3)
    tea_min: Decimal = _rate()
    tea_max: Decimal = _rate()
    amount_min: Decimal = _money()
    amount_max: Decimal = _money()
    term_min: int
    term_max: int
    method: str = Field(max_length=16)
    frequency: str = Field(max_length=10)
    max_grace_periods: int = Field(default=0)
    commission_rate: Decimal = _rate()  # one-off, on the amount, withheld at disbursement
    insurance_monthly_rate: Decimal = _rate()  # desgravamen, on the outstanding balance
    moratory_tea: Decimal = _rate()
    guarantors_required: int = Field(default=0)
    gl_account_id: uuid.UUID  # créditos vigentes, in the product's currency
    is_active: bool = Field(default=True)
    created_at: datetime = created_at_field()


@register_account_kind
class Loan(SQLModel, table=True):
    """A credit. ``balance`` is the outstanding principal, kept by the ledger."""

    ACCOUNT_KIND: ClassVar[str] = "loan"
    NORMAL_SIDE: ClassVar[str] = "debit"
    NEGATIVE_BALANCE_ERROR: ClassVar[type[DomainError]] = Overpayment

    __tablename__ = "loan"
    __table_args__ = (
        UniqueConstraint("cooperative_id", "number", name="uq_loan_number"),
        CheckConstraint("balance >= 0", name="balance_not_negative"),
        CheckConstraint(
            "status IN ('draft', 'submitted', 'approved', 'rejected', 'active', 'paid_off', "
            "'written_off')",
            name="status_valid",
        ),
        CheckConstraint(
            "guarantee IN ('none', 'preferred', 'preferred_quick')", name="guarantee_valid"
        ),
        ForeignKeyConstraint(
            ["cooperative_id", "member_id"], ["member.cooperative_id", "member.id"]
        ),
        ForeignKeyConstraint(
            ["cooperative_id", "product_id"], ["loan_product.cooperative_id", "loan_product.id"]
        ),
        ForeignKeyConstraint(
            ["cooperative_id", "gl_account_id"], ["gl_account.cooperative_id", "gl_account.id"]
        ),
        Index("ix_loan_member", "cooperative_id", "member_id"),
        Index("ix_loan_status", "cooperative_id", "status"),
    )

    cooperative_id: uuid.UUID = Field(foreign_key="cooperative.id", primary_key=True)
    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    number: str = Field(max_length=20)
    member_id: uuid.UUID
    product_id: uuid.UUID
    currency: str = Field(max_length=3)
    amount: Decimal = _money()
    tea: Decimal = _rate()
    term: int
    method: str = Field(max_length=16)
    frequency: str = Field(max_length=10)
    disbursement_date: date
    first_due_date: date | None = None
    terms: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSONB, nullable=False))
    purpose: str = Field(max_length=16)
    purpose_detail: str | None = Field(default=None, max_length=300)
    guarantee: str = Field(default="none", max_length=16)
    commission: Decimal = _money()
    insurance_monthly_rate: Decimal = _rate()
    moratory_tea: Decimal = _rate()
    status: str = Field(default="draft", max_length=12)
    balance: Decimal = _money()
    gl_account_id: uuid.UUID
    created_by: str = Field(max_length=100)
    created_by_id: uuid.UUID | None = None
    submitted_at: datetime | None = timestamp_field()
    decided_by: str | None = Field(default=None, max_length=100)
    decided_at: datetime | None = timestamp_field()
    decision_note: str | None = Field(default=None, max_length=300)
    disbursed_on: date | None = None
    closed_on: date | None = None
    created_at: datetime = created_at_field()
    updated_at: datetime | None = timestamp_field()


class LoanInstallment(SQLModel, table=True):
    __tablename__ = "loan_installment"
    __table_args__ = (
        ForeignKeyConstraint(["cooperative_id", "loan_id"], ["loan.cooperative_id", "loan.id"]),
        CheckConstraint(
            "principal_paid <= principal AND interest_paid <= interest", name="not_overpaid"
        ),
    )

    cooperative_id: uuid.UUID = Field(primary_key=True)
    loan_id: uuid.UUID = Field(primary_key=True)
    number: int = Field(primary_key=True)
    due_date: date
    days: int
    principal: Decimal = _money()
    interest: Decimal = _money()
    fees: Decimal = _money()
    insurance: Decimal = _money()
    principal_paid: Decimal = _money()
    interest_paid: Decimal = _money()
    fees_paid: Decimal = _money()
    insurance_paid: Decimal = _money()
    # Moratory interest accrued on overdue principal and not yet paid, through a date.
    moratory_due: Decimal = _money()
    moratory_paid: Decimal = _money()
    moratory_through: date | None = None
    paid_on: date | None = None


class LoanGuarantor(SQLModel, table=True):
    __tablename__ = "loan_guarantor"
    __table_args__ = (
        ForeignKeyConstraint(["cooperative_id", "loan_id"], ["loan.cooperative_id", "loan.id"]),
        ForeignKeyConstraint(
            ["cooperative_id", "member_id"], ["member.cooperative_id", "member.id"]
        ),
    )

    cooperative_id: uuid.UUID = Field(primary_key=True)
    loan_id: uuid.UUID = Field(primary_key=True)
    member_id: uuid.UUID = Field(primary_key=True)


class LoanCollateral(SQLModel, table=True):
    __tablename__ = "loan_collateral"
    __table_args__ = (
        ForeignKeyConstraint(["cooperative_id", "loan_id"], ["loan.cooperative_id", "loan.id"]),
        CheckConstraint(
            "guarantee IN ('none', 'preferred', 'preferred_quick')", name="guarantee_valid"
        ),
    )

    cooperative_id: uuid.UUID = Field(primary_key=True)
    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    loan_id: uuid.UUID
    description: str = Field(max_length=300)
    value: Decimal = _money()
    guarantee: str = Field(max_length=16)


class LoanOperation(SQLModel, table=True):
    """What a loan and its installments were just before a money operation (disbursement,
    repayment, write-off): its reversal restores exactly that. Written with the entry."""

    __tablename__ = "loan_operation"
    __table_args__ = (
        ForeignKeyConstraint(["cooperative_id", "loan_id"], ["loan.cooperative_id", "loan.id"]),
        ForeignKeyConstraint(
            ["cooperative_id", "journal_entry_id"],
            ["journal_entry.cooperative_id", "journal_entry.id"],
        ),
        Index("ix_loan_operation_loan", "cooperative_id", "loan_id"),
    )

    cooperative_id: uuid.UUID = Field(primary_key=True)
    journal_entry_id: uuid.UUID = Field(primary_key=True)
    loan_id: uuid.UUID
    loan_before: dict[str, Any] = Field(sa_column=Column(JSONB, nullable=False))
    installments_before: list[dict[str, Any]] = Field(sa_column=Column(JSONB, nullable=False))
    created_at: datetime = created_at_field()
