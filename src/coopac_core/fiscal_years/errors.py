"""Refusals of the fiscal year's close."""

from __future__ import annotations

from coopac_core.errors import Conflict, NotFound, Unprocessable


class PeriodOpen(Conflict):
    code = "period_open"
    template = "El periodo {period} no está cerrado: se cierra antes que el ejercicio"
    meaning = "A year is closed once its December is: its figures no longer change."


class FiscalYearClosed(Conflict):
    code = "fiscal_year_closed"
    template = "El ejercicio {year} ya está cerrado"


class PreviousYearOpen(Conflict):
    code = "previous_year_open"
    template = (
        "El ejercicio {year} tiene resultados y no está cerrado: los ejercicios se cierran en orden"
    )


class LaterPeriodClosed(Conflict):
    code = "later_period_closed"
    template = (
        "El periodo {period} del ejercicio siguiente ya está cerrado: el ejercicio {year} "
        "se cierra antes que los meses que lo siguen"
    )
    meaning = (
        "A month of the next year, once closed, keeps the balances it was closed with: the "
        "year's closing entry must come before."
    )


class FiscalYearNotFound(NotFound):
    code = "fiscal_year_not_found"
    template = "El ejercicio {year} no ha empezado"


class FiscalYearNotClosed(Conflict):
    code = "fiscal_year_not_closed"
    template = "El ejercicio {year} no está cerrado: se distribuye lo que su cierre dejó"


class FiscalYearDistributed(Conflict):
    code = "fiscal_year_distributed"
    template = "El resultado del ejercicio {year} ya fue distribuido"


class ReserveBelowMinimum(Unprocessable):
    code = "reserve_below_minimum"
    template = "La reserva cooperativa no puede ser menor al {minimum}% del remanente"
    meaning = "Ley General de Cooperativas, art. 42: at least 20% of the surplus."


class ShareInterestAboveCap(Unprocessable):
    code = "share_interest_above_cap"
    template = "El interés a las aportaciones ({rate}) excede el tope del estatuto ({cap})"


class DistributionExceedsResult(Unprocessable):
    code = "distribution_exceeds_result"
    template = (
        "La reserva, los intereses a las aportaciones y los fondos suman {needed}, más que el "
        "remanente ({result})"
    )


class LossToCover(Unprocessable):
    code = "loss_to_cover"
    template = (
        "El ejercicio {year} cerró con pérdida ({result}): se cubre con la reserva (cover_loss)"
    )


class NoLossToCover(Unprocessable):
    code = "no_loss_to_cover"
    template = "El ejercicio {year} no cerró con pérdida: su remanente se distribuye"


class ReserveInsufficient(Unprocessable):
    code = "reserve_insufficient"
    template = "La reserva cooperativa ({reserve}) no cubre la pérdida ({loss})"


class DistributionNotRequested(Conflict):
    code = "distribution_not_requested"
    template = "No hay un acuerdo de distribución pendiente para este ejercicio"


class DistributionRequestDecided(Conflict):
    code = "distribution_request_decided"
    template = "El acuerdo de distribución ya fue {status}"


class DistributionAlreadyRequested(Conflict):
    code = "distribution_already_requested"
    template = "El acuerdo {request_id} de {by} espera decisión"


class DistributionNotFound(NotFound):
    code = "distribution_not_found"
    template = "El ejercicio {year} no tiene un acuerdo de distribución"
