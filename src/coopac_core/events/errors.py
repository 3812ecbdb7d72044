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


class WebhookUrlNotAllowed(Unprocessable):
    code = "webhook_url_not_allowed"
    template = "URL de webhook no permitida: {reason}"
    meaning = (
        "A webhook reaches the outside only: https, to a host that resolves to no loopback, "
        "private, link-local, unique-local, multicast or unspecified address."
    )


class WebhookDeliveryDelivered(Conflict):
    code = "webhook_delivery_delivered"
    template = "La entrega ya llegó a su destino; para enviarla otra vez, force=true"
    meaning = "A delivered event is sent again only when asked with force (the receiver lost it)."
