"""Which address a request comes from: the peer's, unless the peer is a proxy the settings
name (COOPAC_TRUSTED_PROXIES). A client that writes its own X-Forwarded-For does not
choose the address the login throttle counts."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import httpx
from sqlalchemy.engine import URL

from tests.support.process import Service


def _guesses(svc: Service) -> list[tuple[int, str]]:
    """Four failed logins, each claiming another address."""
    codes = []
    with httpx.Client(base_url=svc.base, timeout=30) as http:
        for n in range(4):
            r = http.post(
                "/api/v1/auth/token",
                data={"username": f"nadie.{n}", "password": "adivina-123456"},
                headers={"X-Forwarded-For": f"203.0.113.{n}"},
            )
            codes.append((r.status_code, r.json()["code"]))
    return codes


def test_a_forwarded_for_header_is_believed_only_from_a_trusted_proxy(
    new_database: Callable[..., URL], migrated_template: URL, tmp_path: Path
) -> None:
    svc = Service(new_database(migrated_template), tmp_path / "untrusted")
    svc.env["COOPAC_LOGIN_ADDRESS_MAX_FAILURES"] = "3"
    svc.start("--workers", "1")
    try:
        # the header is the client's own: every guess counts against 127.0.0.1
        assert _guesses(svc) == [(401, "invalid_credentials")] * 3 + [(429, "too_many_attempts")]
    finally:
        svc.stop()
    trusted = Service(new_database(migrated_template), tmp_path / "trusted")
    trusted.env["COOPAC_LOGIN_ADDRESS_MAX_FAILURES"] = "3"
    trusted.env["COOPAC_TRUSTED_PROXIES"] = "127.0.0.1"
    trusted.start("--workers", "1")
    try:
        # behind a proxy the settings name, each address is its own
        assert _guesses(trusted) == [(401, "invalid_credentials")] * 4
    finally:
        trusted.stop()
