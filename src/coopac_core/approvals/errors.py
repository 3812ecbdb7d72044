from __future__ import annotations

from coopac_core.errors import Conflict, Forbidden


class ApproverIsRequester(Forbidden):
    code = "approver_is_requester"
    template = "Quien pidió la operación no puede aprobarla ni rechazarla: decide otra persona"
    meaning = (
        "Four eyes: another person decides, compared by person (another credential of the "
        "same person is the same person)."
    )
    replaces = (
        "reversal_same_person",
        "adjustment_same_person",
        "withdrawal_approval_same_person",
        "write_off_same_person",
    )


class ApprovalNeedsPerson(Forbidden):
    code = "approval_needs_person"
    template = "Una solicitud la decide una persona con su usuario, no una clave de API"
    replaces = ("reversal_approval_needs_person", "adjustment_approval_needs_person")


class ApprovalRequestExpired(Conflict):
    code = "approval_request_expired"
    template = "La solicitud venció el {expires_at} sin que nadie la decidiera: pídala de nuevo"
    meaning = "A stale request is never approved blind: what it would do is asked for again."


# What deciding any request may answer, beside the kind's own not-found and decided
DECISION_ERRORS = (ApproverIsRequester, ApprovalNeedsPerson, ApprovalRequestExpired)
