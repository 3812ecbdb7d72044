"""Money rules: Decimal only, two decimals (céntimos) on postings, ROUND_HALF_UP.

Amounts travel in JSON as strings ("1500.00") next to an ISO 4217 currency. A float is
never accepted for an amount: 0.1 + 0.2 is not 0.3, and every sol is a member's.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal, localcontext
from enum import StrEnum
from typing import Annotated, Any

from pydantic import BeforeValidator, PlainSerializer, WithJsonSchema
from pydantic_core import PydanticCustomError

from coopac_core.errors import AmountInvalid

CENT = Decimal("0.01")
# Interest accruals keep at least this many decimals until they are posted.
ACCRUAL_QUANTUM = Decimal("0.00000001")
MAX_AMOUNT = Decimal("999999999999.99")
# Rates and ratios we report (TCEA, overdue ratio) carry six decimals: 0.183460 is 18.3460%.
RATE_QUANTUM = Decimal("0.000001")


class Currency(StrEnum):
    PEN = "PEN"
    USD = "USD"


# The SBS chart marks the currency in the third digit of an account code.
CURRENCY_DIGIT = {Currency.PEN: "1", Currency.USD: "2"}


# Rates are TEA; a period's rate is (1 + TEA)^(days/360) - 1 (DOMAIN.md, DESIGN.md 3).
DAYS_IN_YEAR = Decimal(360)
_RATE_PRECISION = 40


def period_rate(tea: Decimal, days: int | Decimal) -> Decimal:
    """Effective rate for ``days`` days from the annual effective rate (40 digits)."""
    with localcontext() as ctx:
        ctx.prec = _RATE_PRECISION
        return (Decimal(1) + tea) ** (Decimal(days) / DAYS_IN_YEAR) - Decimal(1)


def round_cents(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def round_rate(value: Decimal) -> Decimal:
    return value.quantize(RATE_QUANTUM, rounding=ROUND_HALF_UP)


def is_cents(value: Decimal) -> bool:
    """A non-negative amount with at most two decimals."""
    return value >= 0 and value == value.quantize(CENT)


def check_amount(value: Decimal) -> Decimal:
    """A movable amount: positive, at most two decimals, within range."""
    if not value.is_finite() or value <= 0:
        raise AmountInvalid(reason="debe ser mayor que cero")
    if value != value.quantize(CENT):
        raise AmountInvalid(reason="admite como máximo dos decimales")
    if value > MAX_AMOUNT:
        raise AmountInvalid(reason=f"excede el máximo permitido ({MAX_AMOUNT})")
    return value


# What a request may write as a number: plain decimal notation with ASCII digits, no sign
# but a leading minus, no exponent ("1e2"), separators ("1_000") or padding. Bounded, so
# that no value overflows the arithmetic. An amount's own rules (positive, two decimals,
# the maximum) come after, as ``amount_invalid``; a rate has at most six decimals.
_AMOUNT_TEXT = re.compile(r"-?[0-9]{1,15}(\.[0-9]{1,10})?")
_RATE_TEXT = re.compile(r"[0-9]{1,2}(\.[0-9]{1,6})?")


def _decimal_parser(pattern: re.Pattern[str], example: str) -> Callable[[Any], Any]:
    def parse(value: Any) -> Any:
        if isinstance(value, int) and not isinstance(value, bool):
            value = str(value)
        if isinstance(value, str) and pattern.fullmatch(value):
            return Decimal(value)
        if isinstance(value, Decimal):
            return value
        raise PydanticCustomError(
            "decimal_string",
            "Se espera un número decimal en texto, como {example}",
            {"example": example},
        )

    return parse


def _amount_text(value: Decimal) -> str:
    # a zero is "0.00", never "-0.00" (a credit rounded away, a negated zero)
    return f"{value.quantize(CENT, rounding=ROUND_HALF_UP) + 0:f}"


def _rate_text(value: Decimal) -> str:
    return f"{value.quantize(RATE_QUANTUM, rounding=ROUND_HALF_UP) + 0:f}"


# An amount: a JSON string with exactly two decimals on the way out; on the way in, up to
# twelve digits and two decimals (the rules of a movement then refuse zero).
Amount = Annotated[
    Decimal,
    BeforeValidator(_decimal_parser(_AMOUNT_TEXT, '"100.00"')),
    PlainSerializer(_amount_text, return_type=str, when_used="json"),
    WithJsonSchema(
        {"type": "string", "pattern": r"^[0-9]{1,12}(\.[0-9]{1,2})?$", "examples": ["100.00"]},
        mode="validation",
    ),
    WithJsonSchema(
        {"type": "string", "pattern": r"^-?[0-9]+\.[0-9]{2}$", "examples": ["100.00"]},
        mode="serialization",
    ),
]

# A rate (TEA and the like) as a decimal fraction: "0.150000" is 15% a year. Six decimals
# on the way out; at most six on the way in.
Rate = Annotated[
    Decimal,
    BeforeValidator(_decimal_parser(_RATE_TEXT, '"0.0350"')),
    PlainSerializer(_rate_text, return_type=str, when_used="json"),
    WithJsonSchema(
        {"type": "string", "pattern": r"^[0-9]{1,2}(\.[0-9]{1,6})?$", "examples": ["0.0350"]},
        mode="validation",
    ),
    WithJsonSchema(
        {"type": "string", "pattern": r"^-?[0-9]+\.[0-9]{6}$", "examples": ["0.035000"]},
        mode="serialization",
    ),
]
