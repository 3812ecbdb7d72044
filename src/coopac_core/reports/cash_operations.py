"""The register of large cash operations (UIF): the thresholds, which the federation sets.

DOMAIN.md gives them "to confirm" for COOPACs: one operation of USD 10,000 or more (or its
equivalent), or several by one person adding up to USD 50,000 or more in a month."""

from __future__ import annotations

from decimal import Decimal

from pydantic import BaseModel, ConfigDict, Field

from coopac_core.money import Amount


class CashThresholds(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"single_usd": "10000.00", "monthly_usd": "50000.00"}]},
    )

    single_usd: Amount = Field(default=Decimal("10000.00"), gt=0)
    monthly_usd: Amount = Field(default=Decimal("50000.00"), gt=0)
