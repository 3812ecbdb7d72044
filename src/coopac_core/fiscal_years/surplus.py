"""The general assembly's distribution of a year's surplus (Ley General de Cooperativas,
art. 42; DOMAIN.md), as plain functions: the reserve first (at least 20%), interest on each
member's share capital, the funds the assembly sets, and the rest returned to members in
proportion to their operations. Every member's amount is rounded half-up; what rounding
leaves goes to the reserve, so the parts add up to the result to the céntimo."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

from coopac_core.money import round_cents

ZERO = Decimal("0.00")
MIN_RESERVE_PERCENT = Decimal(20)  # art. 42: at least 20% to the reserva cooperativa


class ReturnBasis(StrEnum):
    """What a member's operations with the cooperative are measured by: the interest they
    paid on their loans (compensatory and moratory), the interest their savings received,
    or both."""

    loans = "loans"
    savings = "savings"
    both = "both"


class CreditTo(StrEnum):
    """Where a member's part is credited: their share capital, or their savings (their
    oldest sight account in soles; their share capital if they have none)."""

    share = "share"
    savings = "savings"


class SurplusPolicy(BaseModel):
    """The statute's figures for the distribution. DOMAIN.md is silent on the cap of the
    interest on share capital (the statute's): 10% a year unless the cooperative sets its
    own."""

    model_config = ConfigDict(
        # one schema both ways: a client generator drops a model named twice (-Input, -Output)
        json_schema_mode_override="serialization",
        json_schema_extra={"examples": [{"share_interest_cap": "0.06", "return_basis": "both"}]},
    )

    share_interest_cap: Decimal = Field(
        default=Decimal("0.10"), ge=0, le=1, max_digits=6, decimal_places=4
    )
    return_basis: ReturnBasis = ReturnBasis.both


def policy_of(stored: dict[str, object] | None) -> SurplusPolicy:
    return SurplusPolicy.model_validate(stored or {})


@dataclass(frozen=True)
class MemberBasis:
    """A member's share capital over the year (the sum of its twelve month-end balances:
    the interest runs on the months the capital was there) and operations."""

    member_id: uuid.UUID
    share_months: Decimal
    operations: Decimal


@dataclass(frozen=True)
class MemberShare:
    member_id: uuid.UUID
    share_interest: Decimal
    member_return: Decimal

    @property
    def total(self) -> Decimal:
        return self.share_interest + self.member_return


@dataclass
class Plan:
    reserve: Decimal
    share_interest: Decimal
    education_fund: Decimal
    social_fund: Decimal
    returns: Decimal
    members: list[MemberShare] = field(default_factory=list)


class ShortOfResult(ValueError):
    """The reserve, the interest on shares and the funds add up to more than the result."""

    def __init__(self, needed: Decimal) -> None:
        super().__init__(str(needed))
        self.needed = needed


def plan(
    result: Decimal,
    reserve_percent: Decimal,
    share_interest_rate: Decimal,
    education_fund: Decimal,
    social_fund: Decimal,
    members: list[MemberBasis],
) -> Plan:
    reserve = round_cents(result * reserve_percent / 100)
    interests = {
        m.member_id: round_cents(m.share_months * share_interest_rate / 12) for m in members
    }
    share_interest = sum(interests.values(), ZERO)
    rest = result - reserve - share_interest - education_fund - social_fund
    if rest < 0:
        raise ShortOfResult(reserve + share_interest + education_fund + social_fund)
    weight = sum((m.operations for m in members if m.operations > 0), ZERO)
    returns = {
        m.member_id: round_cents(rest * m.operations / weight)
        if weight and m.operations > 0
        else ZERO
        for m in members
    }
    returned = sum(returns.values(), ZERO)
    shares = [
        MemberShare(m.member_id, interests[m.member_id], returns[m.member_id])
        for m in members
        if interests[m.member_id] or returns[m.member_id]
    ]
    # what rounding leaves (or nobody operated to take it) stays in the reserve
    return Plan(
        reserve=reserve + rest - returned,
        share_interest=share_interest,
        education_fund=education_fund,
        social_fund=social_fund,
        returns=returned,
        members=shares,
    )
