"""Money rules: Decimal only, two decimals (céntimos) on postings, ROUND_HALF_UP.

Amounts travel in JSON as strings ("1500.00") next to an ISO 4217 currency. A float is
never accepted for an amount: 0.1 + 0.2 is not 0.3, and every sol is a member's.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from enum import StrEnum
from typing import Annotated, Any

from pydantic import BeforeValidator, PlainSerializer, WithJsonSchema

from coopac_core.errors import Unprocessable

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


def round_cents(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def round_rate(value: Decimal) -> Decimal:
    return value.quantize(RATE_QUANTUM, rounding=ROUND_HALF_UP)


def check_amount(value: Decimal) -> Decimal:
    """A movable amount: positive, at most two decimals, within range."""
    if not value.is_finite() or value <= 0:
        raise Unprocessable("El monto debe ser mayor que cero", code="amount_invalid")
    if value != value.quantize(CENT):
        raise Unprocessable("El monto admite como máximo dos decimales", code="amount_invalid")
    if value > MAX_AMOUNT:
        raise Unprocessable("El monto excede el máximo permitido", code="amount_invalid")
    return value.quantize(CENT)


def _parse_decimal(value: Any) -> Any:
    if isinstance(value, bool | float):
        raise ValueError('amounts are decimal strings such as "100.00", never floats')
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, str):
        try:
            return Decimal(value.strip())
        except InvalidOperation:
            raise ValueError("not a decimal number") from None
    return value


def _format(value: Decimal) -> str:
    return str(value)


# An amount in a request or response: a JSON string, parsed to Decimal exactly.
Amount = Annotated[
    Decimal,
    BeforeValidator(_parse_decimal),
    PlainSerializer(_format, return_type=str, when_used="json"),
    WithJsonSchema({"type": "string", "pattern": r"^-?\d+(\.\d+)?$", "examples": ["100.00"]}),
]

# A rate (TEA and the like) as a decimal fraction: "0.1500" is 15% a year.
Rate = Annotated[
    Decimal,
    BeforeValidator(_parse_decimal),
    PlainSerializer(_format, return_type=str, when_used="json"),
    WithJsonSchema({"type": "string", "pattern": r"^\d+(\.\d+)?$", "examples": ["0.0350"]}),
]
