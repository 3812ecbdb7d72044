"""Refusals about cooperatives and branches."""

from __future__ import annotations

from coopac_core.errors import Conflict, NotFound


class CooperativeNotFound(NotFound):
    code = "cooperative_not_found"
    template = "Cooperativa no encontrada"
    meaning = "Also the answer for a cooperative the caller has no role in: other tenants "
    "are not even confirmed to exist."


class CooperativeExists(Conflict):
    code = "cooperative_exists"
    template = "Ya existe una cooperativa con ese código o RUC"


class BranchNotFound(NotFound):
    code = "branch_not_found"
    template = "La agencia no existe en esta cooperativa"


class BranchExists(Conflict):
    code = "branch_exists"
    template = "Ya existe una agencia con el código {code}"
