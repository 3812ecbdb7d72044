"""Validation messages in the client's language: Spanish, or English when the request says
``Accept-Language: en``.

Our own validators raise ``invalid(kind, **ctx)``: a pydantic error whose type is ``kind``
and whose messages in both languages are in ``CUSTOM``. Pydantic's own errors are English;
``BUILTIN_ES`` says the common ones in Spanish.
"""

from __future__ import annotations

from typing import Any

from pydantic_core import PydanticCustomError

# kind -> (Spanish, English); ``{name}`` fields come from the error's context.
CUSTOM: dict[str, tuple[str, str]] = {
    "decimal_string": (
        "Se espera un número decimal en texto, como {example}",
        "Expected a decimal number as text, such as {example}",
    ),
    "amount_cents": (
        "{field}: un monto no negativo con a lo más dos decimales",
        "{field}: a non-negative amount with at most two decimals",
    ),
    "amount_positive": (
        "{field}: un monto mayor que cero con a lo más dos decimales",
        "{field}: an amount above zero with at most two decimals",
    ),
    "rate_fraction": (
        "{field} es una fracción: 0.24 es 24% anual",
        "{field} is a fraction: 0.24 is 24% a year",
    ),
    "rate_range": (
        "{low} debe ser menor o igual que {high}",
        "{low} must not exceed {high}",
    ),
    "term_days_for_term": (
        "term_days es obligatorio para plazo fijo y solo para él",
        "term_days is required for a term deposit, and only for one",
    ),
    "due_dates_required": (
        "La frecuencia 'dates' requiere due_dates, una por cuota (term)",
        "Frequency 'dates' needs due_dates, one per installment (term)",
    ),
    "due_dates_only_for_dates": (
        "due_dates solo con la frecuencia 'dates'",
        "due_dates only with frequency 'dates'",
    ),
    "principal_by_date_required": (
        "El método 'irregular' requiere principal_by_date para cada cuota de amortización",
        "Method 'irregular' needs principal_by_date for each repayment installment",
    ),
    "target_bound": (
        "Indique min, max o ambos, con min no mayor que max",
        "Give min, max or both, with min not above max",
    ),
    "one_of_two": (
        "Indique {first} o {second}, no ambos",
        "Give either {first} or {second}, not both",
    ),
    "document_number": ("{reason_es}", "{reason_en}"),
    "ruc": ("{reason_es}", "{reason_en}"),
    "ubigeo": ("{reason_es}", "{reason_en}"),
    "legal_name_required": (
        "Una persona jurídica (RUC) requiere legal_name",
        "A legal person (RUC) needs legal_name",
    ),
    "penalty_tea_for_penalty": (
        "penalty_tea va con early_withdrawal = penalty_tea, y solo con él",
        "penalty_tea goes with early_withdrawal = penalty_tea, and only with it",
    ),
    "password_not_settable": (
        "Un administrador no fija contraseñas: use POST .../users/{id}/force-password-change",
        "An administrator does not set passwords: use POST .../users/{id}/force-password-change",
    ),
    "names_required": (
        "Una persona natural requiere first_names y last_names",
        "A natural person needs first_names and last_names",
    ),
    "legal_name_only_ruc": (
        "legal_name es solo para personas jurídicas (RUC)",
        "legal_name is only for legal persons (RUC)",
    ),
    "birth_date": ("Fecha de nacimiento inválida", "Invalid birth date"),
    "password": ("{reason_es}", "{reason_en}"),
    "count_negative": ("Un arqueo no es negativo", "A count is not negative"),
    "denominations_total": (
        "Las denominaciones suman {total}, no {amount}",
        "The denominations add up to {total}, not {amount}",
    ),
    "one_line_per_currency": ("Una sola línea por moneda", "One line per currency"),
    "sell_below_buy": (
        "El precio de venta no puede ser menor que el de compra",
        "The sell rate cannot be below the buy rate",
    ),
    "account_for_deposit_usd": (
        "account_id va con kind = deposit_usd, y solo con él",
        "account_id goes with kind = deposit_usd, and only with it",
    ),
}

# Pydantic's own error types, in Spanish. Anything else falls back to a generic message.
BUILTIN_ES: dict[str, str] = {
    "missing": "Campo obligatorio",
    "extra_forbidden": "Campo no admitido",
    "json_invalid": "JSON inválido",
    "json_type": "Se espera JSON",
    "model_type": "Se espera un objeto",
    "model_attributes_type": "Se espera un objeto",
    "dict_type": "Se espera un objeto",
    "list_type": "Se espera una lista",
    "string_type": "Se espera un texto",
    "string_too_short": "Debe tener al menos {min_length} caracter(es)",
    "string_too_long": "Debe tener como máximo {max_length} caracter(es)",
    "string_pattern_mismatch": "No tiene el formato esperado",
    "string_unicode": "Texto inválido",
    "too_short": "Debe tener al menos {min_length} elemento(s)",
    "too_long": "Debe tener como máximo {max_length} elemento(s)",
    "int_type": "Se espera un número entero",
    "int_parsing": "Se espera un número entero",
    "int_from_float": "Se espera un número entero",
    "greater_than": "Debe ser mayor que {gt}",
    "greater_than_equal": "Debe ser mayor o igual que {ge}",
    "less_than": "Debe ser menor que {lt}",
    "less_than_equal": "Debe ser menor o igual que {le}",
    "bool_type": "Se espera verdadero o falso",
    "bool_parsing": "Se espera verdadero o falso",
    "uuid_type": "Se espera un UUID",
    "uuid_parsing": "Se espera un UUID",
    "uuid_version": "Se espera un UUID",
    "date_type": "Se espera una fecha AAAA-MM-DD",
    "date_parsing": "Se espera una fecha AAAA-MM-DD",
    "date_from_datetime_parsing": "Se espera una fecha AAAA-MM-DD",
    "date_from_datetime_inexact": "Se espera una fecha AAAA-MM-DD",
    "datetime_type": "Se espera una fecha y hora ISO 8601",
    "datetime_parsing": "Se espera una fecha y hora ISO 8601",
    "datetime_from_date_parsing": "Se espera una fecha y hora ISO 8601",
    "enum": "Debe ser uno de: {expected}",
    "literal_error": "Debe ser uno de: {expected}",
    "decimal_type": "Se espera un número decimal en texto",
    "decimal_parsing": "Se espera un número decimal en texto",
}
GENERIC_ES = "Valor inválido"


def invalid(kind: str, **ctx: Any) -> PydanticCustomError:
    """The error a validator raises: ``raise invalid("names_required")``."""
    return PydanticCustomError(kind, CUSTOM[kind][0], ctx)


def preferred_language(accept_language: str | None) -> str:
    """``en`` when the client prefers English to Spanish; Spanish otherwise."""
    best, best_q = "es", 0.0
    for part in (accept_language or "").split(","):
        tag, _, params = part.strip().partition(";")
        lang = tag.strip().lower().split("-")[0]
        if lang not in ("es", "en"):
            continue
        q = 1.0
        for param in params.split(";"):
            key, _, value = param.strip().partition("=")
            if key == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        if q > best_q:
            best, best_q = lang, q
    return best


def message(error: dict[str, Any], language: str) -> str:
    """One pydantic error as a sentence in ``language``."""
    kind = str(error.get("type", ""))
    ctx = error.get("ctx") or {}
    if kind in CUSTOM:
        template = CUSTOM[kind][0 if language == "es" else 1]
    elif language == "en":
        return str(error.get("msg", ""))
    else:
        template = BUILTIN_ES.get(kind, GENERIC_ES)
    try:
        return template.format(**ctx)
    except (KeyError, IndexError, ValueError):
        return template
