"""Refusals of imports."""

from __future__ import annotations

from coopac_core.errors import NotFound, Unprocessable


class ImportNotFound(NotFound):
    code = "import_not_found"
    template = "Importación no encontrada"


class ImportFileUnknown(Unprocessable):
    code = "import_file_unknown"
    template = "Archivo '{name}' desconocido: se esperan {kinds} (.csv)"


class ImportEmpty(Unprocessable):
    code = "import_empty"
    template = "No se envió ningún archivo: se esperan {kinds} (.csv)"
