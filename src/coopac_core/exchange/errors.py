"""Refusals of the exchange counter."""

from __future__ import annotations

from coopac_core.errors import Conflict, NotFound, Unprocessable


class ExchangeRateMissing(Conflict):
    code = "exchange_rate_missing"
    template = "No hay tipo de cambio publicado para hoy ({business_date}): publíquelo primero"


class ExchangeRateInvalid(Unprocessable):
    code = "exchange_rate_invalid"
    template = "Tipo de cambio inválido: {reason}"


class ExchangeAccountInvalid(Conflict):
    code = "exchange_account_invalid"
    template = "La cuenta no recibe dólares convertidos: {reason}"


class RateRequestNotFound(NotFound):
    code = "exchange_rate_request_not_found"
    template = "Solicitud de tipo de cambio no encontrada"


class RateRequestDecided(Conflict):
    code = "exchange_rate_request_decided"
    template = "La solicitud de tipo de cambio ya fue {status}"
