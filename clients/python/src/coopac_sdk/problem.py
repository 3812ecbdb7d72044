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


class GaveUp(Exception):
    """A money call whose answer was lost every time it was sent: it may or may not have
    been done. ``key`` is its Idempotency-Key: call again with ``key=`` to learn which
    (the service replays the first answer, or does it now, once)."""

    def __init__(self, key: str, cause: BaseException | str) -> None:
        self.key = key
        self.cause = cause
        super().__init__(f"no answer after every retry; resume with key={key!r}: {cause}")


class AmountInvalid(ValueError):
    """An amount that is not exactly a decimal number with at most two places: the client
    never rounds money (the service would refuse it too, 422 amount_invalid)."""
