"""Refusals of loan products, applications, decisions and repayments."""

from __future__ import annotations

from coopac_core.errors import Conflict, Forbidden, NotFound, Unprocessable


class LoanNotFound(NotFound):
    code = "loan_not_found"
    template = "Crédito no encontrado"


class InvalidLoanStatus(Conflict):
    code = "invalid_loan_status"
    template = "No se puede {action} un crédito en estado {status}"
    meaning = "The loan's status does not allow this step of its life."


class ApproverIsCreator(Forbidden):
    code = "approver_is_creator"
    template = "Quien registró la solicitud no puede decidirla"


class ApprovalLimitExceeded(Forbidden):
    code = "approval_limit_exceeded"
    template = "El monto {amount} excede su límite de aprobación ({limit})"


class AmountOutOfRange(Unprocessable):
    code = "amount_out_of_range"
    template = "Monto {value} fuera del rango del producto ({low} a {high})"


class TeaOutOfRange(Unprocessable):
    code = "tea_out_of_range"
    template = "TEA {value} fuera del rango del producto ({low} a {high})"


class TermOutOfRange(Unprocessable):
    code = "term_out_of_range"
    template = "Plazo {value} fuera del rango del producto ({low} a {high})"


class GraceOutOfRange(Unprocessable):
    code = "grace_out_of_range"
    template = "El producto admite hasta {limit} periodos de gracia"


class InvalidGuarantor(Unprocessable):
    code = "invalid_guarantor"
    template = "{reason}"
    meaning = "A guarantor must be an active member other than the borrower."


class GuarantorsRequired(Unprocessable):
    code = "guarantors_required"
    template = "Se requieren {needed} aval(es) socio(s){why}"


class ScheduleInvalid(Unprocessable):
    code = "schedule_invalid"
    template = "Cronograma inválido: {reason}"


class Overpayment(Unprocessable):
    code = "overpayment"
    template = "El pago excede lo adeudado ({owed})"


class WriteOffNotAllowed(Conflict):
    code = "write_off_not_allowed"
    template = "Solo se castiga un crédito clasificado en Pérdida"


class WriteOffNotProvisioned(Conflict):
    code = "write_off_not_provisioned"
    template = (
        "El crédito debe estar provisionado al 100% para castigarlo (provisión {provision}, "
        "saldo {balance})"
    )
    meaning = "The month-end provisions booked for the loan do not yet cover its balance."


class WriteOffNotRequested(Conflict):
    code = "write_off_not_requested"
    template = "No hay una solicitud de castigo pendiente para este crédito"


class WriteOffAlreadyRequested(Conflict):
    code = "write_off_already_requested"
    template = "El castigo de este crédito ya fue solicitado por {by}"


class JudicialRequiresOverdue(Conflict):
    code = "judicial_requires_overdue"
    template = "Solo un crédito vencido pasa a cobranza judicial (situación: {status})"


class NotWrittenOff(Conflict):
    code = "loan_not_written_off"
    template = "Solo se registran recuperaciones de un crédito castigado"


class RecoveryExceedsDebt(Unprocessable):
    code = "recovery_exceeds_debt"
    template = "La recuperación excede lo castigado pendiente ({owed})"


class PayoffDateInPast(Unprocessable):
    code = "payoff_date_in_past"
    template = "La fecha {date} es anterior a la fecha de operaciones ({business_date})"
    meaning = (
        "A payoff is quoted for the business date or a later day: what settled the loan on "
        "an earlier day is its statement."
    )


class LoanNotCurrent(Conflict):
    code = "loan_not_current"
    template = "Solo se reprograma un crédito al día y vigente: {reason}"
    meaning = (
        "A reprogramación changes the dates of a loan that owes nothing overdue; a loan in "
        "arrears is refinanced."
    )


class PayoffDateTooFar(Unprocessable):
    code = "payoff_date_too_far"
    template = "Una cancelación se cotiza hasta un año adelante ({latest})"


class RefinanceNotRequested(Conflict):
    code = "refinance_not_requested"
    template = "No hay una solicitud de refinanciación pendiente para este crédito"


class RefinanceAlreadyRequested(Conflict):
    code = "refinance_already_requested"
    template = "La refinanciación de este crédito ya fue solicitada por {by}"
