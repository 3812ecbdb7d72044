"""Sending a money request as a front-end on a rural link does: the same Idempotency-Key
again after any transport failure or a 503, until the service answers."""

from __future__ import annotations

import time
from typing import Any

import httpx


def post_until_answered(
    http: httpx.Client, url: str, *, json: Any, headers: dict[str, str], attempts: int = 30
) -> httpx.Response:
    assert "Idempotency-Key" in headers, "only an idempotent request may be sent again"
    for _ in range(attempts):
        try:
            r = http.post(url, json=json, headers=headers)
        except httpx.TransportError:  # timed out, dropped, refused: the same key again
            time.sleep(0.1)
            continue
        if r.status_code not in (409, 503) or r.json().get("code") not in (
            "idempotency_key_in_progress",
            "database_unavailable",
        ):
            return r
        time.sleep(0.1)
    raise AssertionError(f"no answer from {url} after {attempts} attempts")
