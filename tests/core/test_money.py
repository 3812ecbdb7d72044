"""How amounts and rates are read from a request and written in an answer."""

from __future__ import annotations

from decimal import Decimal

import pytest
from pydantic import BaseModel, ValidationError

from coopac_core.money import Amount, Rate


class Sample(BaseModel):
    amount: Amount
    rate: Rate = Decimal("0")


@pytest.mark.parametrize(
    "text", ["1e2", "1E2", "1_000", " 5", "5 ", "５", "+5", "1" + "0" * 30, "0x10", "NaN", ""]
)
def test_only_plain_decimal_text_is_an_amount(text: str) -> None:
    with pytest.raises(ValidationError) as err:
        Sample(amount=text)
    assert err.value.errors()[0]["type"] == "decimal_string"


@pytest.mark.parametrize("value", [1.5, True])
def test_floats_and_booleans_are_refused(value: object) -> None:
    with pytest.raises(ValidationError):
        Sample(amount=value)


@pytest.mark.parametrize(
    ("text", "shown"),
    [("100", "100.00"), ("0.5", "0.50"), ("123456789012.34", "123456789012.34")],
)
def test_amounts_are_shown_with_two_decimals(text: str, shown: str) -> None:
    assert Sample(amount=text).model_dump(mode="json")["amount"] == shown


def test_stored_zero_and_rates_have_one_format() -> None:
    dumped = Sample(amount=Decimal("0E-8"), rate=Decimal("0.18000000")).model_dump(mode="json")
    assert dumped == {"amount": "0.00", "rate": "0.180000"}


@pytest.mark.parametrize("text", ["0.1234567", "-0.1", "100", "1e-3"])
def test_rates_have_at_most_six_decimals_and_no_sign(text: str) -> None:
    with pytest.raises(ValidationError):
        Sample(amount="1", rate=text)
