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
    # replaced by a new loan for what it owed (loans.service.refinances)
    refinanced = "refinanced"


class AccountingStatus(StrEnum):
    """Where the loan's principal sits in the books (SBS situación contable)."""

    current = "current"  # vigente, 14x1 (an unpaid installment may already be in 14x5)
    overdue = "overdue"  # vencido, 14x5
    judicial = "judicial"  # en cobranza judicial, 14x6


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
            "credit_type IN ('consumo', 'consumo_revolvente', 'consumo_no_revolvente', "
            "'microempresa', 'pequena_empresa', 'mediana_empresa', 'hipotecario')",
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
    credit_type: str = Field(max_length=24)
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


class Loan(SQLModel, table=True):
    """A credit. ``balance`` is the outstanding principal, kept by the ledger."""

    ACCOUNT_KIND: ClassVar[str] = "loan"
    NORMAL_SIDE: ClassVar[str] = "debit"
    NEGATIVE_BALANCE_ERROR: ClassVar[type[DomainError]] = Overpayment
    CONTROL_PARTS: ClassVar[tuple[tuple[str, str], ...]] = (
        ("gl_account_id", "balance - overdue_balance - judicial_balance"),
        ("overdue_gl_account_id", "overdue_balance"),
        ("judicial_gl_account_id", "judicial_balance"),
    )
    # columns the posting trigger moves besides the balance (coopac_post_statement): the
    # principal's parts, and the balances on lines that name the loan with a part
    # (ledger.models.AccountPart)
    KEPT_BY_POSTINGS: ClassVar[tuple[str, ...]] = (
        "overdue_balance",
        "judicial_balance",
        "suspended_interest",
        "suspended_moratory",
        "provision_specific",
        "provision_generic",
        "written_off_balance",
    )

    __tablename__ = "loan"
    __table_args__ = (
        UniqueConstraint("cooperative_id", "number", name="uq_loan_number"),
        CheckConstraint("balance >= 0", name="balance_not_negative"),
        CheckConstraint(
            "status IN ('draft', 'submitted', 'approved', 'rejected', 'active', 'paid_off', "
            "'written_off', 'refinanced')",
            name="status_valid",
        ),
        CheckConstraint(
            "guarantee IN ('none', 'preferred', 'preferred_quick')", name="guarantee_valid"
        ),
        CheckConstraint(
            "accounting_status IN ('current', 'overdue', 'judicial')",
            name="accounting_status_valid",
        ),
        # the parts of the balance in vencidos and judicial (the rest is in vigentes); that
        # they fit in the balance is verify-ledger's to prove (a reversal restores them just
        # before its entry restores the balance)
        CheckConstraint(
            "overdue_balance >= 0 AND judicial_balance >= 0",
            name="balance_parts",
        ),
        CheckConstraint(
            "suspended_interest >= 0 AND suspended_moratory >= 0 AND provision_generic >= 0 "
            "AND provision_specific >= 0 AND written_off_balance >= 0",
            name="memo_not_negative",
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
        ForeignKeyConstraint(
            ["cooperative_id", "overdue_gl_account_id"],
            ["gl_account.cooperative_id", "gl_account.id"],
        ),
        ForeignKeyConstraint(
            ["cooperative_id", "judicial_gl_account_id"],
            ["gl_account.cooperative_id", "gl_account.id"],
        ),
        ForeignKeyConstraint(
            ["cooperative_id", "refinanced_from_id"], ["loan.cooperative_id", "loan.id"]
        ),
        CheckConstraint("capitalised_interest >= 0", name="capitalised_not_negative"),
        Index("ix_loan_member", "cooperative_id", "member_id"),
        Index("ix_loan_status", "cooperative_id", "status"),
    )

    # the cooperative is its member's (the composite key to member): a key of its own
    # would only repeat that check on every row a bulk import writes
    cooperative_id: uuid.UUID = Field(primary_key=True)
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
    gl_account_id: uuid.UUID  # créditos vigentes (14x1)
    # The TCEA agreed at disbursement (the schedule's, with commission and insurance).
    tcea: Decimal | None = Field(default=None, sa_column=Column(Numeric(12, 8)))
    # Where the principal sits: what is not in vencidos or judicial is in vigentes.
    accounting_status: str = Field(default=AccountingStatus.current, max_length=8)
    overdue_gl_account_id: uuid.UUID | None = None  # 14x5
    judicial_gl_account_id: uuid.UUID | None = None  # 14x6
    overdue_balance: Decimal = _money()
    judicial_balance: Decimal = _money()
    # Interest accrued and not collected that is carried in memorandum accounts (rendimientos
    # en suspenso) rather than in 14x8; the rest of what is uncollected is in 14x8.
    suspended_interest: Decimal = _money()
    suspended_moratory: Decimal = _money()
    # The last classification by close of business (loan's own, and its debtor's).
    days_past_due: int = Field(default=0)
    category: str = Field(default="normal", max_length=10)
    debtor_category: str = Field(default="normal", max_length=10)
    # The allowance booked for this loan (14x9) at the last month end.
    provision_generic: Decimal = _money()
    provision_specific: Decimal = _money()
    # Written off: what is still owed, kept in memorandum accounts until recovered.
    written_off_balance: Decimal = _money()
    # A refinanced loan (14x4): the loan it replaced, the interest and charges it
    # capitalised (deferred income, recognised as its principal is collected), and the
    # category its debtor had, below which it is not classified until it has been paid
    # punctually for the credit policy's period. Set once, when it is created.
    refinanced_from_id: uuid.UUID | None = None
    capitalised_interest: Decimal = Field(
        default=Decimal("0.00"),
        sa_column=Column(Numeric(18, 2), nullable=False, server_default="0"),
    )
    category_floor: str | None = Field(default=None, max_length=10)
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
        CheckConstraint(
            "interest_accrued <= interest AND interest_paid <= interest_accrued",
            name="interest_accrued_bounds",
        ),
        # what close of business classifies by: the installments unpaid, and those paid
        # lately (a payment after the day being closed)
        Index(
            "ix_loan_installment_unpaid",
            "cooperative_id",
            "due_date",
            postgresql_where="paid_on IS NULL",
        ),
        Index(
            "ix_loan_installment_paid",
            "cooperative_id",
            "paid_on",
            postgresql_where="paid_on IS NOT NULL",
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
    # Interest recognised so far (accrued day by day, or paid before it accrued); what of it
    # is not paid is receivable (14x8) or in suspense.
    interest_accrued: Decimal = _money()
    # Moratory interest on overdue principal: ``moratory_due`` is what was settled through
    # ``moratory_through`` (at a payment); ``moratory_accrued`` what close of business has
    # accrued since, recomputed whole each day so that daily rounding never adds up.
    moratory_due: Decimal = _money()
    moratory_accrued: Decimal = _money()
    moratory_paid: Decimal = _money()
    moratory_through: date | None = None
    # Compensatory interest that the overdue principal keeps earning at the loan's TEA,
    # added to ``interest`` (and recognised) by close of business since the arrears were
    # last settled (``moratory_through``), recomputed whole each day like moratory.
    overdue_interest_accrued: Decimal = Field(
        default=Decimal("0.00"),
        sa_column=Column(Numeric(18, 2), nullable=False, server_default="0"),
    )
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
        Index("ix_loan_collateral_loan", "cooperative_id", "loan_id"),
    )

    cooperative_id: uuid.UUID = Field(primary_key=True)
    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    loan_id: uuid.UUID
    description: str = Field(max_length=300)
    value: Decimal = _money()
    # What the guarantee would fetch if sold (the appraisal's): a guarantee's provision rate
    # applies only to the part of the loan it covers.
    realizable_value: Decimal = _money()
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


class LoanClassification(SQLModel, table=True):
    """A loan at a month end, as close of business classified and provisioned it: what a
    report for that month reads. Written once (append-only)."""

    __tablename__ = "loan_classification"
    # No foreign key to the loan: close of business writes these from the loans themselves,
    # and a key would cost each of 200,000 rows a lookup and a lock (migration 0019).
    __table_args__ = (Index("ix_loan_classification_day", "cooperative_id", "as_of"),)

    cooperative_id: uuid.UUID = Field(primary_key=True)
    loan_id: uuid.UUID = Field(primary_key=True)
    as_of: date = Field(primary_key=True)
    member_id: uuid.UUID
    credit_type: str = Field(max_length=24)
    currency: str = Field(max_length=3)
    status: str = Field(max_length=12)
    accounting_status: str = Field(max_length=8)
    days_past_due: int
    category: str = Field(max_length=10)  # the loan's own
    debtor_category: str = Field(max_length=10)  # its debtor's (alineamiento)
    balance: Decimal = _money()
    overdue_balance: Decimal = _money()
    judicial_balance: Decimal = _money()
    accrued_interest: Decimal = _money()  # in 14x8
    suspended_interest: Decimal = _money()  # interest and moratory, in suspense
    covered: Decimal = _money()  # by pledged deposits and collateral at realisable value
    provision_generic: Decimal = _money()
    provision_specific: Decimal = _money()


class DebtorClassification(SQLModel, table=True):
    """A debtor's category at a month end: the worst of their loans in the cooperative."""

    __tablename__ = "debtor_classification"
    # No foreign key to the member, for the reason of ``LoanClassification``.

    cooperative_id: uuid.UUID = Field(primary_key=True)
    member_id: uuid.UUID = Field(primary_key=True)
    as_of: date = Field(primary_key=True)
    category: str = Field(max_length=10)
    days_past_due: int
    loans: int
    balance: Decimal = _money()
