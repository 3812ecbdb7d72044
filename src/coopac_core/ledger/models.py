from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Column,
    ForeignKeyConstraint,
    Identity,
    Index,
    Numeric,
    UniqueConstraint,
)
from sqlmodel import Field, SQLModel

from coopac_core.models_base import created_at_field, timestamp_field


class NormalSide(StrEnum):
    debit = "debit"
    credit = "credit"


class AccountKind(StrEnum):
    """The member products whose balances the ledger keeps."""

    savings = "savings"
    share = "share"
    loan = "loan"


class AccountPart(StrEnum):
    """Balances a member account keeps beside its own, each on a GL account of its own: a
    line on that account names the member account with its part (in ``account_kind``), and
    the posting trigger (``coopac_post_statement``) moves the part with it, as it moves
    balances; no one writes them otherwise. A loan's interest in suspense (81x4, interest
    and moratory apart, for the income each becomes), its provisions (14x9.01, 14x9.02:
    credits raise them) and what is still owed on it once written off (81x3)."""

    loan_interest = "loan_interest"
    loan_moratory = "loan_moratory"
    loan_specific = "loan_specific"
    loan_generic = "loan_generic"
    loan_written_off = "loan_written_off"

    @property
    def holder(self) -> AccountKind:
        """The kind of member account that keeps it."""
        return AccountKind.loan


class EntryKind(StrEnum):
    """What business event an entry records."""

    deposit = "deposit"
    withdrawal = "withdrawal"
    transfer = "transfer"
    share_payment = "share_payment"
    share_refund = "share_refund"
    loan_disbursement = "loan_disbursement"
    loan_repayment = "loan_repayment"
    loan_write_off = "loan_write_off"
    reversal = "reversal"
    # close of business: a day's interest owed to savers, booked; a month's, paid in
    interest_accrual = "interest_accrual"
    interest = "interest"
    # close of business on loans: interest accrued (or suspended), principal moved between
    # vigentes and vencidos, provisions booked at month end
    loan_accrual = "loan_accrual"
    loan_transfer = "loan_transfer"
    loan_provision = "loan_provision"
    loan_judicial = "loan_judicial"
    loan_recovery = "loan_recovery"
    # a loan replaced by a new one for what it owed (loans.service.refinances)
    loan_refinance = "loan_refinance"
    # an accountant's entry by hand: GL accounts only, never a member's account
    adjustment = "adjustment"
    # the counter: cash between the vault and a till, the vault and the banks, and what a
    # till's count finds over or short of its books
    cash_transfer = "cash_transfer"
    bank_deposit = "bank_deposit"
    bank_withdrawal = "bank_withdrawal"
    cash_over_short = "cash_over_short"
    # dollars bought or sold at the counter (or deposited into a soles account)
    exchange = "exchange"
    # close of business at a month end: the dollars expressed in soles at the accounting
    # rate, the difference to exchange gain or loss (exchange.revaluation)
    exchange_revaluation = "exchange_revaluation"
    # a cooperative's balances brought from its previous system, against the migration
    # suspense account
    opening_balance = "opening_balance"
    # a loan's balances beside its principal, attributed to it where they had been booked
    # in total, before each line named its loan (migration 0052)
    loan_parts = "loan_parts"
    # a year's income and expenses closed into its result, dated 31 December (fiscal_years)
    year_close = "year_close"
    # the assembly's distribution of a year's result (or the cover of its loss)
    surplus_distribution = "surplus_distribution"


class GlAccount(SQLModel, table=True):
    __tablename__ = "gl_account"
    __table_args__ = (
        UniqueConstraint("cooperative_id", "code", name="uq_gl_account_code"),
        # lets a posting's foreign key pin its currency to its account's
        UniqueConstraint("cooperative_id", "id", "currency", name="uq_gl_account_currency"),
        CheckConstraint("currency IN ('PEN', 'USD')", name="currency_valid"),
        CheckConstraint("normal_side IN ('debit', 'credit')", name="normal_side_valid"),
        CheckConstraint(
            "control_kind IS NULL OR control_kind IN ('savings', 'share', 'loan')",
            name="control_kind_valid",
        ),
        ForeignKeyConstraint(
            ["cooperative_id", "branch_id"], ["branch.cooperative_id", "branch.id"]
        ),
    )

    cooperative_id: uuid.UUID = Field(foreign_key="cooperative.id", primary_key=True)
    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    code: str = Field(max_length=40)
    name: str = Field(max_length=200)
    currency: str = Field(max_length=3)
    normal_side: str = Field(max_length=6)
    # A control account only takes postings for member accounts of this kind, so that its
    # balance always equals the sum of those accounts.
    control_kind: str | None = Field(default=None, max_length=16)
    branch_id: uuid.UUID | None = None
    allows_posting: bool = Field(default=True)
    is_system: bool = Field(default=False)
    created_at: datetime = created_at_field()


class JournalEntry(SQLModel, table=True):
    """One business event. Append-only: corrected by a reversal that points at it."""

    __tablename__ = "journal_entry"
    __table_args__ = (
        Index(
            "uq_journal_entry_reversal_of",
            "cooperative_id",
            "reversal_of",
            unique=True,
            postgresql_where="reversal_of IS NOT NULL",
        ),
        Index("ix_journal_entry_date", "cooperative_id", "business_date", "seq"),
        # what one person moved today, by kind: the daily limit's sum, on every money POST
        Index(
            "ix_journal_entry_actor_day",
            "cooperative_id",
            "actor_user_id",
            "business_date",
            "kind",
        ),
        ForeignKeyConstraint(
            ["cooperative_id", "branch_id"], ["branch.cooperative_id", "branch.id"]
        ),
        ForeignKeyConstraint(
            ["cooperative_id", "reversal_of"], ["journal_entry.cooperative_id", "journal_entry.id"]
        ),
        CheckConstraint(
            "channel IN ('counter', 'agent', 'mobile', 'batch', 'system')", name="channel_valid"
        ),
        # a till session's movements: its arqueo
        Index(
            "ix_journal_entry_till_session",
            "cooperative_id",
            "till_session_id",
            postgresql_where="till_session_id IS NOT NULL",
        ),
    )

    cooperative_id: uuid.UUID = Field(foreign_key="cooperative.id", primary_key=True)
    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    seq: int | None = Field(
        default=None,
        sa_column=Column(BigInteger, Identity(always=True), nullable=False, unique=True),
    )
    kind: str = Field(max_length=32)
    branch_id: uuid.UUID | None = None
    business_date: date
    value_date: date
    description: str | None = Field(default=None, max_length=300)
    actor_user_id: uuid.UUID | None = None
    actor_api_key_id: uuid.UUID | None = None
    actor_name: str = Field(max_length=100)
    request_id: str | None = Field(default=None, max_length=64)
    reversal_of: uuid.UUID | None = None
    created_at: datetime = created_at_field()
    # where the operation came in (the federation measures digital channels by it)
    channel: str = Field(
        default="counter", max_length=8, sa_column_kwargs={"server_default": "counter"}
    )
    # the till whose cash it moved (or at whose counter it was done)
    till_session_id: uuid.UUID | None = None
    # recorded offline on a device: when, and which; posted on the day it arrived
    recorded_at: datetime | None = timestamp_field()
    device_id: str | None = Field(default=None, max_length=100)


class Posting(SQLModel, table=True):
    """A line of an entry. ``amount`` is signed: positive debits, negative credits."""

    __tablename__ = "posting"
    __table_args__ = (
        CheckConstraint("amount <> 0", name="amount_not_zero"),
        CheckConstraint("amount = round(amount, 2)", name="amount_cents"),
        CheckConstraint(
            "(account_kind IS NULL) = (account_id IS NULL)", name="member_account_complete"
        ),
        # Its entry and its GL account (in its currency) are proved once per INSERT
        # statement by the trigger that proves each entry balances (migration 0018), not
        # by foreign keys (a lookup and a lock per line); neither can be deleted.
        Index("ix_posting_entry", "cooperative_id", "entry_id"),
        Index("ix_posting_member_account", "cooperative_id", "account_id", "id"),
        Index("ix_posting_gl_date", "cooperative_id", "gl_account_id", "business_date"),
    )

    cooperative_id: uuid.UUID = Field(primary_key=True)
    id: int | None = Field(
        default=None, sa_column=Column(BigInteger, Identity(always=True), primary_key=True)
    )
    entry_id: uuid.UUID
    gl_account_id: uuid.UUID
    currency: str = Field(max_length=3)
    amount: Decimal = Field(sa_column=Column(Numeric(18, 2), nullable=False))
    account_kind: str | None = Field(default=None, max_length=16)
    account_id: uuid.UUID | None = None
    balance_after: Decimal | None = Field(default=None, sa_column=Column(Numeric(18, 2)))
    business_date: date
    value_date: date
