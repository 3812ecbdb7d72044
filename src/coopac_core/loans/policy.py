"""A cooperative's credit policy: the figures the regulation leaves "to confirm" (DOMAIN.md),
named and set per cooperative, with the defaults the issue gives. Pure data."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, model_validator

from coopac_core.loans.classification import (
    CONSUMER_TYPES,
    DAYS_PAST_DUE_LIMITS,
    MEDIANA_EMPRESA_BANDS,
    Bands,
    CreditType,
)

Days = Annotated[int, Field(ge=1, le=3650)]


def _default_whole_after() -> dict[CreditType, int]:
    whole = {t: 90 for t in CONSUMER_TYPES}
    whole.update(
        {
            CreditType.hipotecario: 90,
            CreditType.microempresa: 30,
            CreditType.pequena_empresa: 30,
            CreditType.mediana_empresa: 15,
        }
    )
    return whole


class CreditPolicy(BaseModel):
    """``GET/PUT .../credit-policy``. Days are counted past the due date: "more than N"."""

    model_config = ConfigDict(
        # one schema both ways: a client generator drops a model named twice (-Input, -Output)
        json_schema_mode_override="serialization",
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "overdue_installment_after_days": 30,
                    "overdue_whole_after_days": {
                        "consumo": 90,
                        "consumo_revolvente": 90,
                        "consumo_no_revolvente": 90,
                        "hipotecario": 90,
                        "microempresa": 30,
                        "pequena_empresa": 30,
                        "mediana_empresa": 15,
                    },
                    "mediana_empresa_bands": [15, 60, 120, 365],
                    "advance_max_installments": 2,
                    "refinance_regular_installments": 6,
                }
            ]
        },
    )

    overdue_installment_after_days: Days = Field(
        default=30,
        description="Consumo and hipotecario: an unpaid installment moves to créditos "
        "vencidos (14x5) this many days after its due date",
    )
    overdue_whole_after_days: dict[CreditType, Days] = Field(
        default_factory=_default_whole_after,
        description="Days past due after which the whole balance is vencido, by credit type",
    )
    mediana_empresa_bands: tuple[int, int, int, int] = Field(
        default=MEDIANA_EMPRESA_BANDS,
        description="Last day past due of Normal, CPP, Deficiente and Dudoso for mediana "
        "empresa; beyond the last: Pérdida",
    )
    advance_max_installments: int = Field(
        default=2,
        ge=0,
        le=12,
        description="A payment beyond what is due that covers up to this many installments "
        "advances them (Res. SBS 3274-2017); more is a prepayment",
    )
    refinance_regular_installments: int = Field(
        default=6,
        ge=1,
        le=60,
        description="A refinanced loan is not classified better than its debtor's category "
        "when it was refinanced until this many of its installments were paid on time "
        "(DOMAIN.md: a period of regular payments, to confirm; two quarters of monthly "
        "installments by default)",
    )

    moratory_tea: Decimal | None = Field(
        default=None,
        ge=0,
        le=10,
        max_digits=8,
        decimal_places=6,
        description="The cooperative's moratory rate (a TEA; the central bank caps it every "
        "six months), for loans granted from now on; a product's own moratory TEA caps it. "
        "None: each product's",
    )

    def moratory_rate(self, product_rate: Decimal) -> Decimal:
        """A new loan's moratory TEA: the cooperative's, capped by its product's."""
        if self.moratory_tea is None:
            return product_rate
        return min(self.moratory_tea, product_rate)

    @model_validator(mode="after")
    def _complete(self) -> CreditPolicy:
        missing = _default_whole_after()
        missing.update(self.overdue_whole_after_days)
        self.overdue_whole_after_days = missing
        b = self.mediana_empresa_bands
        if not 0 <= b[0] < b[1] < b[2] < b[3]:
            raise ValueError("mediana_empresa_bands must rise")
        return self

    def bands(self, credit_type: CreditType) -> Bands:
        if credit_type is CreditType.mediana_empresa:
            return self.mediana_empresa_bands
        return DAYS_PAST_DUE_LIMITS[credit_type]

    def by_installment(self, credit_type: CreditType) -> bool:
        """Whether unpaid installments move to 14x5 one by one before the whole balance."""
        return credit_type in CONSUMER_TYPES or credit_type is CreditType.hipotecario


def policy_of(stored: dict[str, Any] | None) -> CreditPolicy:
    return CreditPolicy.model_validate(stored or {})
