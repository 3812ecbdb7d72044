"""Refusals at the counter."""

from __future__ import annotations

from coopac_core.errors import Forbidden


class BranchNotAllowed(Forbidden):
    code = "branch_not_allowed"
    template = "Solo puede operar efectivo en su agencia"
    meaning = "A teller handles cash only at the branch of their grant."
