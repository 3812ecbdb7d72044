"""Refusals of the limits."""

from __future__ import annotations

from coopac_core.errors import Forbidden


class LimitExceeded(Forbidden):
    code = "limit_exceeded"
    template = "El monto excede su límite {scope} para {operation} ({limit} {currency})"
    meaning = "Above the caller's per-operation or per-day limit for this operation and "
    "currency (GET operation-limits shows them): a role with a higher limit must do it."
