"""Refusals of the fiscal year's close."""

from __future__ import annotations

from coopac_core.errors import Conflict, NotFound


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
