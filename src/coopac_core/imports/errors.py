"""Refusals of imports."""

from __future__ import annotations

from coopac_core.errors import Conflict, Forbidden, NotFound, Unprocessable


class ImportNotFound(NotFound):
    code = "import_not_found"
    template = "Importación no encontrada"


class ImportFileUnknown(Unprocessable):
    code = "import_file_unknown"
    template = "Archivo '{name}' desconocido: se esperan {kinds} (.csv)"


class ImportEmpty(Unprocessable):
    code = "import_empty"
    template = "No se envió ningún archivo: se esperan {kinds} (.csv)"


class ImportUnbalanced(Unprocessable):
    code = "import_unbalanced"
    template = (
        "La importación no cuadra: la cuenta puente de migración (19x8) quedaría en "
        "{suspense}. El archivo gl_balances trae el balance del sistema anterior y la salda a "
        "cero por moneda; nada se cargó"
    )
    meaning = (
        "An import creates no money: what it posts to the migration suspense account (19x8) "
        "nets to zero per currency, or none of it loads. ``suspense`` has the balances."
    )


class ImportRowsRefused(Unprocessable):
    code = "import_rows_refused"
    template = (
        "Al aprobarla, {count} filas fueron rechazadas (los datos cambiaron desde la "
        "verificación): nada se cargó; vea la importación"
    )


class ImportNotAwaitingApproval(Conflict):
    code = "import_not_awaiting_approval"
    template = (
        "La importación está '{status}': solo una verificada y en espera de aprobación se "
        "aprueba o rechaza"
    )


class ImportNeedsManager(Forbidden):
    code = "import_needs_manager"
    template = (
        "La cooperativa ya opera (tiene asientos además de saldos de apertura): una "
        "importación la aprueba el gerente"
    )
