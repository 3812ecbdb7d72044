"""A cooperative's month as close of business left it: the snapshot every report reads.

Taken on the last day of the month by close of business (``reports.snapshot``), provisional
until the accountant closes the period; a closed period's rows can no longer change (the
database refuses it, migration 0019)."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

from sqlalchemy import CheckConstraint, Column, Numeric
from sqlalchemy.dialects.postgresql import JSONB
from sqlmodel import Field, SQLModel

from coopac_core.models_base import created_at_field, timestamp_field


def _money() -> Any:
    return Field(default=Decimal("0.00"), sa_column=Column(Numeric(18, 2), nullable=False))


class PeriodStatus(StrEnum):
    provisional = "provisional"
    closed = "closed"


class PeriodSnapshot(SQLModel, table=True):
    """One cooperative's month: the figures the federation's indicators are made of (in
    soles, dollars at the rate of the day), and the breakdowns its reports show."""

    __tablename__ = "period_snapshot"
    __table_args__ = (
        CheckConstraint("status IN ('provisional', 'closed')", name="status_valid"),
        CheckConstraint("period ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'", name="period_valid"),
        CheckConstraint("(status = 'closed') = (closed_at IS NOT NULL)", name="closed_when_closed"),
    )

    cooperative_id: uuid.UUID = Field(foreign_key="cooperative.id", primary_key=True)
    period: str = Field(primary_key=True, max_length=7)  # YYYY-MM
    period_end: date
    status: str = Field(default=PeriodStatus.provisional, max_length=12)
    exchange_rate: Decimal = Field(sa_column=Column(Numeric(10, 4), nullable=False))
    members: int = 0
    savers: int = 0
    borrowers: int = 0
    total_assets: Decimal = _money()
    deposits: Decimal = _money()
    share_capital: Decimal = _money()
    institutional_capital: Decimal = _money()
    equity: Decimal = _money()
    net_income: Decimal = _money()  # of the year so far
    liquid_assets: Decimal = _money()
    gross_loans: Decimal = _money()
    overdue_loans: Decimal = _money()  # 14x5 + 14x6
    high_risk_loans: Decimal = _money()  # and refinanced
    par30_loans: Decimal = _money()
    # the loans in arrears by age (their whole balance, by days past due at the month end):
    # PEARLS P1 (over 12 months) and P2 (1 to 12 months)
    overdue_1_30: Decimal = _money()
    overdue_31_90: Decimal = _money()
    overdue_91_180: Decimal = _money()
    overdue_181_365: Decimal = _money()
    overdue_over_365: Decimal = _money()
    # the months of the year the cooperative has operated by this one (its first snapshot
    # of the year counts as the first): what its result is annualised over
    months_operated: int = Field(default=12, sa_column_kwargs={"server_default": "12"})
    provisions: Decimal = _money()  # the allowance booked (14x9), as a positive amount
    provisions_required: Decimal = _money()
    # what the supervisor's limits are made of (reports.figures, prudential): liquid assets
    # and short-term liabilities per currency (in soles), the equity that counts before
    # provisions, the generic provisions, the fixed assets
    liquid_assets_pen: Decimal = _money()
    liquid_assets_usd: Decimal = _money()
    short_term_liabilities_pen: Decimal = _money()
    short_term_liabilities_usd: Decimal = _money()
    basic_equity: Decimal = _money()
    generic_provisions: Decimal = _money()
    fixed_assets: Decimal = _money()
    # the month's member operations (reversed ones and their reversals left out), and those
    # that came through a digital channel (an agent, the mobile app): journal_entry.channel
    operations: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    digital_operations: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    # members, savers and borrowers by sex and by branch; deposits by product
    breakdown: dict[str, Any] = Field(
        default_factory=dict, sa_column=Column(JSONB, nullable=False, server_default="{}")
    )
    taken_at: datetime = created_at_field()
    refreshed_at: datetime | None = timestamp_field()
    closed_at: datetime | None = timestamp_field()
    closed_by: str | None = Field(default=None, max_length=100)
    closed_by_id: uuid.UUID | None = None


class PeriodGlBalance(SQLModel, table=True):
    """Each GL account at the month end: its balance (debits positive) and what moved in it
    since the first of January (the income statement's figure)."""

    __tablename__ = "period_gl_balance"

    cooperative_id: uuid.UUID = Field(primary_key=True)
    period: str = Field(primary_key=True, max_length=7)
    gl_account_id: uuid.UUID = Field(primary_key=True)
    code: str = Field(max_length=40)
    name: str = Field(max_length=200)
    currency: str = Field(max_length=3)
    balance: Decimal = _money()
    year_to_date: Decimal = _money()
    # In soles (``exchange.revaluation.in_soles``): a dollar account's balance at the
    # month end's accounting rate, its income and expense at the rate of their day, the
    # exchange position what balances the rest; a soles account's, as they are.
    balance_pen: Decimal = Field(
        default=Decimal("0.00"),
        sa_column=Column(Numeric(18, 2), nullable=False, server_default="0"),
    )
    year_to_date_pen: Decimal = Field(
        default=Decimal("0.00"),
        sa_column=Column(Numeric(18, 2), nullable=False, server_default="0"),
    )


class PeriodPortfolio(SQLModel, table=True):
    """The loans at the month end by credit type, currency and category (the debtor's,
    after alignment): the rows and columns of the SBS classification annex."""

    __tablename__ = "period_portfolio"

    cooperative_id: uuid.UUID = Field(primary_key=True)
    period: str = Field(primary_key=True, max_length=7)
    credit_type: str = Field(primary_key=True, max_length=24)
    currency: str = Field(primary_key=True, max_length=3)
    category: str = Field(primary_key=True, max_length=10)
    debtors: int = 0
    loans: int = 0
    balance: Decimal = _money()
    overdue_balance: Decimal = _money()
    judicial_balance: Decimal = _money()
    provision_required: Decimal = _money()
    provision_booked: Decimal = _money()


class PeriodMemberDeposit(SQLModel, table=True):
    """A member's deposits at the month end, with the interest accrued and not yet paid
    (what the deposit insurance covers), in each currency; and who they were then (sex,
    branch), which the month's counts are made of. One row per member with deposits."""

    __tablename__ = "period_member_deposit"

    cooperative_id: uuid.UUID = Field(primary_key=True)
    period: str = Field(primary_key=True, max_length=7)
    member_id: uuid.UUID = Field(primary_key=True)
    sex: str | None = Field(default=None, max_length=1)
    branch_id: uuid.UUID | None = None
    accounts: int = 0
    balance_pen: Decimal = _money()
    accrued_pen: Decimal = _money()
    balance_usd: Decimal = _money()
    accrued_usd: Decimal = _money()
