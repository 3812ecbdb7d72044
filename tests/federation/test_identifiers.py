from __future__ import annotations

import pytest

from coopac_core.federation.identifiers import ruc_check_digit, ruc_error, ubigeo_error


@pytest.mark.parametrize("ruc", ["20100070970", "20131312955", "20100047218", "20100130204"])
def test_valid_rucs(ruc: str) -> None:
    assert ruc_error(ruc) is None


@pytest.mark.parametrize(
    ("ruc", "reason"),
    [
        ("20100070971", "dígito verificador"),
        ("2010007097", "11 dígitos"),
        ("2010007097A", "11 dígitos"),
        ("30100070970", "empezar con"),
    ],
)
def test_invalid_rucs(ruc: str, reason: str) -> None:
    err = ruc_error(ruc)
    assert err is not None and reason in err


def test_check_digit_wraps_10_to_0_and_11_to_1() -> None:
    # 2010007097: weighted sum 89, 89 % 11 = 1, 11 - 1 = 10 -> 0
    assert ruc_check_digit("2010007097") == 0
    assert ruc_check_digit("2013131295") == 5


@pytest.mark.parametrize(
    ("ubigeo", "ok"),
    [("210101", True), ("150101", True), ("260101", False), ("210001", False), ("21010", False)],
)
def test_ubigeo(ubigeo: str, ok: bool) -> None:
    assert (ubigeo_error(ubigeo) is None) is ok
