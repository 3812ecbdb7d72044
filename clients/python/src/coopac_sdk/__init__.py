"""coopac-sdk: the Python client of coopac-core."""

from coopac_sdk import errors, models
from coopac_sdk.client import AsyncCoopac, Coopac
from coopac_sdk.problem import ProblemError

__all__ = ["AsyncCoopac", "Coopac", "ProblemError", "errors", "models"]
