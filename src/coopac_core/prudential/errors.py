"""Refusals of the prudential limits."""

from __future__ import annotations

from coopac_core.errors import Conflict, Unprocessable


class ConcentrationLimit(Unprocessable):
    code = "concentration_limit"
    template = (
        "El crédito llevaría la exposición del deudor a {exposure} soles, más que el límite "
        "de {limit} soles ({share} del patrimonio efectivo de {period}); requiere acuerdo "
        "del consejo de administración (board_agreement)"
    )
    meaning = (
        "A debtor's loans may not exceed the single-borrower limit (a share of the effective "
        "equity of the last month the accountant closed: the federation's prudential "
        "settings), unless the approval gives the board's agreement number."
    )


class DayNotClosed(Conflict):
    code = "day_not_closed"
    template = (
        "El día {day} aún no pasó por el cierre diario (fecha de operaciones: {business_date})"
    )
    meaning = (
        "A day's figures are those close of business left: ask for a day before the business date."
    )
