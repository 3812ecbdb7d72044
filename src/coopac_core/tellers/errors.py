"""Refusals at the counter."""

from __future__ import annotations

from coopac_core.errors import Forbidden


class BranchNotAllowed(Forbidden):
    code = "branch_not_allowed"
    template = "Solo puede operar efectivo en su agencia"
    meaning = "A teller handles cash only at the branch of their grant."


class MemberOfOtherBranch(Forbidden):
    code = "member_of_other_branch"
    template = (
        "La cuenta es de un socio de otra agencia: transferir desde ella lo hace su agencia "
        "o la gerencia"
    )
    meaning = "A teller moves money out of an account by transfer only for members of their "
    "own branch (cash at the counter, with the member there, is served at any branch)."
