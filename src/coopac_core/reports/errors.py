"""Refusals about periods and reports."""

from __future__ import annotations

from coopac_core.errors import Conflict, NotFound, Unprocessable


class PeriodNotFound(NotFound):
    code = "period_not_found"
    template = "No hay cierre de mes para el periodo {period}"
    meaning = "Close of business takes a month's snapshot on its last day; until then (or "
    "for a month before the cooperative's books) there is nothing to report. Without "
    "?period=, no month has been closed by the accountant yet."


class PeriodInFuture(Unprocessable):
    code = "period_in_future"
    template = "El periodo {period} aún no termina (fecha de operaciones: {business_date})"
    meaning = "A report says what was true in a month: not of a month still running."


class PeriodAlreadyClosed(Conflict):
    code = "period_already_closed"
    template = "El periodo {period} ya está cerrado"


class PreviousPeriodOpen(Conflict):
    code = "previous_period_open"
    template = "Antes hay que cerrar el periodo {previous}"
    meaning = "Months close in order: a month's balances carry the one before."


class PeriodRangeInvalid(Unprocessable):
    code = "period_range_invalid"
    template = "El rango de periodos {start} a {end} no es válido (como mucho {months} meses)"
