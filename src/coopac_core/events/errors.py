"""Refusals of the event feed and the webhooks."""

from __future__ import annotations

from coopac_core.errors import Conflict, NotFound, Unprocessable


class EventTypeUnknown(Unprocessable):
    code = "event_type_unknown"
    template = "Tipo de evento desconocido: {type}"


class WebhookUrlInvalid(Unprocessable):
    code = "webhook_url_invalid"
    template = "URL de webhook inválida: {reason}"


class WebhookEndpointNotFound(NotFound):
    code = "webhook_endpoint_not_found"
    template = "Endpoint de webhook no encontrado"


class WebhookDeliveryNotFound(NotFound):
    code = "webhook_delivery_not_found"
    template = "Entrega de webhook no encontrada"


class WebhookEndpointDisabled(Conflict):
    code = "webhook_endpoint_disabled"
    template = "El endpoint está deshabilitado ({reason}): vuelva a activarlo antes de reenviar"
