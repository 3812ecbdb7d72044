"""The portfolio by SBS category."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
)

from coopac_core.loans.classification import Category, CreditType
from coopac_core.money import Amount, Currency, Rate


class PortfolioCategory(BaseModel):
    category: Category
    loans: int
    balance: Amount
    provision: Amount


class PortfolioCreditType(BaseModel):
    credit_type: CreditType
    categories: list[PortfolioCategory]


class Portfolio(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "as_of": "2026-11-23",
                    "currency": "PEN",
                    "loans": 412,
                    "balance": "1852300.40",
                    "overdue_balance": "92615.02",
                    "overdue_ratio": "0.050000",
                    "par30": "0.061200",
                    "refinanced_balance": "18523.00",
                    "high_risk_ratio": "0.060000",
                    "provisions_required": "61240.18",
                    "by_category": [
                        {
                            "category": "normal",
                            "loans": 371,
                            "balance": "1650120.00",
                            "provision": "16501.20",
                        }
                    ],
                    "by_credit_type": [
                        {
                            "credit_type": "microempresa",
                            "categories": [
                                {
                                    "category": "normal",
                                    "loans": 201,
                                    "balance": "950300.00",
                                    "provision": "9503.00",
                                }
                            ],
                        }
                    ],
                }
            ]
        }
    )

    as_of: date
    currency: Currency
    loans: int
    balance: Amount
    overdue_balance: Amount = Field(description="Balance of loans past the overdue threshold")
    overdue_ratio: Rate = Field(description="Cartera atrasada / cartera total")
    par30: Rate = Field(description="Balance of loans more than 30 days past due / total")
    refinanced_balance: Amount = Field(
        default=Decimal("0.00"),
        description="Balance of refinanced loans not past the overdue threshold (14x4)",
    )
    high_risk_ratio: Rate = Field(
        default=Decimal("0"),
        description="Cartera de alto riesgo (atrasada and refinanced) / cartera total",
    )
    provisions_required: Amount
    by_category: list[PortfolioCategory]
    by_credit_type: list[PortfolioCreditType]
