"""The base of every refusal the API answers (RFC 9457 problem+json)."""

from __future__ import annotations

from typing import Any


class ProblemError(Exception):
    """A refusal: ``code`` is stable, ``detail`` is for people (often in Spanish)."""

    code: str = "unknown"
    status: int = 0

    def __init__(self, body: dict[str, Any], status: int) -> None:
        self.body = body
        self.status = status
        self.code = str(body.get("code", self.code))
        self.detail = str(body.get("detail", ""))
        self.request_id = body.get("request_id")
        self.errors = body.get("errors")
        super().__init__(f"{status} {self.code}: {self.detail}")
