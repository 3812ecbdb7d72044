"""The register of large cash operations (UIF): the thresholds, which the federation sets.

DOMAIN.md gives them "to confirm" for COOPACs: one operation of USD 10,000 or more (or its
equivalent), or several by one person adding up to USD 50,000 or more in a month."""

from __future__ import annotations

from decimal import Decimal

from pydantic import BaseModel, ConfigDict, Field

from coopac_core.money import Amount

SCREENING_FLOOR_USD = Decimal("500.00")


class CashThresholds(BaseModel):
    model_config = ConfigDict(
        # one schema both ways: a client generator drops a model named twice (-Input, -Output)
        json_schema_mode_override="serialization",
        extra="forbid",
        json_schema_extra={
            "examples": [
                {"single_usd": "10000.00", "monthly_usd": "50000.00", "screening_usd": "1000.00"}
            ]
        },
    )

    single_usd: Amount = Field(default=Decimal("10000.00"), gt=0)
    monthly_usd: Amount = Field(default=Decimal("50000.00"), gt=0)
    # a cash operation from this much is checked against the screening lists (compliance);
    # DOMAIN.md is silent: USD 1,000 is the team's prudent default, USD 500 the least (the
    # counter sends an operation the screening may hold by a bound in soles made of it)
    screening_usd: Amount = Field(default=Decimal("1000.00"), ge=SCREENING_FLOOR_USD)
