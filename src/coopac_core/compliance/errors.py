"""Refusals of the compliance officer's work."""

from __future__ import annotations

from coopac_core.errors import Conflict, NotFound, Unprocessable


class SuspiciousReportNotFound(NotFound):
    code = "suspicious_report_not_found"
    template = "Reporte no encontrado"


class SuspiciousReportDecided(Conflict):
    code = "suspicious_report_decided"
    template = "El reporte ya fue {status}"
    meaning = "A report is submitted to the UIF or dismissed once."


class ScreeningListInvalid(Unprocessable):
    code = "screening_list_invalid"
    template = "Lista inválida en la línea {line}: {reason}"
    meaning = (
        "A list is a csv with the columns document_number, names, list and date (or their "
        "Spanish names: numero_documento, nombres, lista, fecha); nothing of it is loaded."
    )


class ScreeningHoldNotFound(NotFound):
    code = "screening_hold_not_found"
    template = "Retención por listas no encontrada"


class ScreeningHoldDecided(Conflict):
    code = "screening_hold_decided"
    template = "La retención ya fue {status}"
