"""The regulation's figures as the federation's settings: risk weights, the capital minimum
and the concentration and fixed-asset limits (the liquidity minimums are the federation's
indicator targets, ``federation.indicators.REGULATORY_TARGETS``). DOMAIN.md is silent on
all of them: the defaults are the prudent reading of the SBS's rules for banks and COOPACs
(Ley 26702, Res. SBS 480-2019), to confirm; a federation sets its own with
PUT /federation/prudential-settings."""

from __future__ import annotations

from decimal import Decimal

from pydantic import BaseModel, ConfigDict, Field, field_validator

Fraction = Decimal

# Credit-risk weights by the SBS code's prefix (the longest that matches wins): cash 0%,
# deposits in banks 20%, every other asset 100%. The generic provisions (14x9.02) weigh 0:
# they are counted in equity, not taken off the loans; the specific ones net the loans.
DEFAULT_WEIGHTS = {
    "1": Decimal("1.00"),
    "11": Decimal("0.00"),
    "1113": Decimal("0.20"),
    "1123": Decimal("0.20"),
    "1419.02": Decimal("0.00"),
    "1429.02": Decimal("0.00"),
}


def _fraction(default: str, description: str) -> Decimal:
    return Field(default=Decimal(default), ge=0, le=10, max_digits=6, decimal_places=4,
                 description=description)  # fmt: skip


class PrudentialSettings(BaseModel):
    model_config = ConfigDict(
        # one schema both ways: a client generator drops a model named twice (-Input, -Output)
        json_schema_mode_override="serialization",
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "risk_weights": {"1": "1.00", "11": "0.00", "1113": "0.20"},
                    "mortgage_weight": "0.50",
                    "min_capital_ratio": "0.10",
                    "generic_provisions_cap": "0.0125",
                    "single_borrower_limit": "0.10",
                    "related_parties_limit": "0.30",
                    "fixed_assets_limit": "1.00",
                }
            ]
        },
    )

    risk_weights: dict[str, Decimal] = Field(
        default_factory=lambda: dict(DEFAULT_WEIGHTS),
        description="Credit-risk weight of each asset account by its code's prefix (the "
        "longest matching prefix applies)",
    )
    mortgage_weight: Decimal = _fraction(
        "0.50", "Weight of hipotecario loans, instead of their account's"
    )
    min_capital_ratio: Decimal = _fraction("0.10", "Effective equity over risk-weighted assets")
    generic_provisions_cap: Decimal = _fraction(
        "0.0125", "Generic provisions count in effective equity up to this share of the RWA"
    )
    single_borrower_limit: Decimal = _fraction(
        "0.10", "One debtor's loans over effective equity (a loan beyond it needs the board)"
    )
    related_parties_limit: Decimal = _fraction(
        "0.30", "The loans of all related parties together over effective equity"
    )
    fixed_assets_limit: Decimal = _fraction("1.00", "Fixed assets (18) over effective equity")

    @field_validator("risk_weights")
    @classmethod
    def _weights(cls, weights: dict[str, Decimal]) -> dict[str, Decimal]:
        for prefix, weight in weights.items():
            if not prefix or not prefix.startswith("1") or not 0 <= weight <= 10:
                raise ValueError("a weight is for an asset account (1...), from 0 to 10")
        if "1" not in weights:
            raise ValueError("the weights must say what an asset weighs by default ('1')")
        return weights


def settings_of(stored: dict[str, object] | None) -> PrudentialSettings:
    return PrudentialSettings.model_validate(stored or {})
