"""coopac-sdk: the Python client of coopac-core."""

from coopac_sdk import errors, models
from coopac_sdk.client import AsyncCoopac, Coopac
from coopac_sdk.problem import AmountInvalid, GaveUp, ProblemError

__all__ = ["AmountInvalid", "AsyncCoopac", "Coopac", "GaveUp", "ProblemError", "errors", "models"]
