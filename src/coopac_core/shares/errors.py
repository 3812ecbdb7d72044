"""Refusals of share capital."""

from __future__ import annotations

from coopac_core.errors import Conflict, NotFound, Unprocessable


class ShareAccountNotFound(NotFound):
    code = "share_account_not_found"
    template = "Un cliente que no es socio no tiene aportaciones"


class MemberNotWithdrawn(Conflict):
    code = "member_not_withdrawn"
    template = "Las aportaciones se devuelven solo al socio retirado o fallecido"


class ShareAccountClosed(Unprocessable):
    code = "share_account_closed"
    template = "Las aportaciones de este socio ya fueron devueltas"


class NothingToRefund(Unprocessable):
    code = "nothing_to_refund"
    template = "No hay aportaciones que devolver"


class GuarantorOfOutstandingLoan(Conflict):
    code = "guarantor_of_outstanding_loan"
    template = (
        "El socio es aval del crédito {number}, pendiente de pago: sus aportaciones no se devuelven"
    )
