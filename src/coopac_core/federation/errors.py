"""Refusals about cooperatives and branches."""

from __future__ import annotations

from coopac_core.errors import Conflict, Forbidden, NotFound, Unprocessable


class CooperativeNotFound(NotFound):
    code = "cooperative_not_found"
    template = "Cooperativa no encontrada"
    meaning = "Also the answer for a cooperative the caller has no role in: other tenants "
    "are not even confirmed to exist."


class CooperativeExists(Conflict):
    code = "cooperative_exists"
    template = "Ya existe una cooperativa con ese código o RUC"


class CooperativeInactive(Conflict):
    code = "cooperative_inactive"
    template = "La cooperativa está inactiva: no admite operaciones"
    meaning = "The federation deactivated the cooperative: it is read-only until reactivated."


class FederationOnly(Forbidden):
    code = "federation_only"
    template = "Solo la federación puede cambiar {fields}"
    meaning = "A cooperative's RUC, SBS level and whether it is active are the federation's."


class BranchNotFound(NotFound):
    code = "branch_not_found"
    template = "La agencia no existe en esta cooperativa"


class BranchExists(Conflict):
    code = "branch_exists"
    template = "Ya existe una agencia con el código {code}"


class BusinessDateInFuture(Unprocessable):
    code = "business_date_in_future"
    template = "La fecha de negocio inicial no puede ser posterior a hoy ({today})"
