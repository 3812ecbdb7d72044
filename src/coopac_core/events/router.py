"""The event feed and the webhook endpoints over HTTP."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request, status

from coopac_core.events import service
from coopac_core.events.errors import (
    EventTypeUnknown,
    WebhookDeliveryDelivered,
    WebhookDeliveryNotFound,
    WebhookEndpointDisabled,
    WebhookEndpointNotFound,
    WebhookUrlInvalid,
    WebhookUrlNotAllowed,
)
from coopac_core.events.models import DeliveryStatus, WebhookDelivery, WebhookEndpoint
from coopac_core.events.schemas import (
    AttemptOut,
    DeliveryOut,
    EventFeed,
    WebhookEndpointCreate,
    WebhookEndpointCreated,
    WebhookEndpointOut,
    WebhookEndpointUpdate,
)
from coopac_core.openapi import coop_responses, list_responses
from coopac_core.pagination import MAX_LIMIT, Page, PageDep, cursor_time_id, make_page
from coopac_core.security.deps import SessionDep, coop_access
from coopac_core.security.principal import CoopContext
from coopac_core.security.roles import MANAGE_WEBHOOKS, READ_EVENTS, READ_WEBHOOKS

router = APIRouter(prefix="/api/v1/cooperatives/{cooperative_id}", tags=["events"])


@router.get(
    "/events",
    response_model=EventFeed,
    responses=list_responses(EventTypeUnknown),
    summary="The cooperative's business events in order, from a cursor (a polling consumer "
    "keeps next_cursor and resumes from it)",
)
def list_events(
    ctx: Annotated[CoopContext, Depends(coop_access(READ_EVENTS))],
    session: SessionDep,
    after: Annotated[str | None, Query(description="The cursor to resume after")] = None,
    types: Annotated[
        list[str] | None, Query(description="Only these types (repeat, or comma-separated)")
    ] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = 100,
) -> EventFeed:
    wanted = [t.strip() for group in types or [] for t in group.split(",") if t.strip()]
    rows = service.feed(
        session, ctx.cooperative_id, after=after, types=wanted or None, limit=limit + 1
    )
    items = rows[:limit]
    return EventFeed(
        items=items,
        next_cursor=items[-1].cursor if items else after,
        has_more=len(rows) > limit,
    )


def _endpoint_out(endpoint: WebhookEndpoint) -> WebhookEndpointOut:
    return WebhookEndpointOut.model_validate(endpoint, from_attributes=True)


@router.post(
    "/webhook-endpoints",
    status_code=status.HTTP_201_CREATED,
    response_model=WebhookEndpointCreated,
    responses=coop_responses(WebhookUrlInvalid, WebhookUrlNotAllowed, EventTypeUnknown),
    summary="Register a webhook endpoint; its signing secret is answered this once",
)
def create_webhook_endpoint(
    request: Request,
    body: WebhookEndpointCreate,
    ctx: Annotated[CoopContext, Depends(coop_access(MANAGE_WEBHOOKS, money=True))],
    session: SessionDep,
) -> WebhookEndpointCreated:
    endpoint, secret = service.create_endpoint(
        session, ctx, request.app.state.settings, body.url, body.event_types, body.description
    )
    return WebhookEndpointCreated(
        **WebhookEndpointOut.model_validate(endpoint, from_attributes=True).model_dump(),
        secret=secret,
    )


@router.get(
    "/webhook-endpoints",
    response_model=Page[WebhookEndpointOut],
    responses=list_responses(),
    summary="The cooperative's webhook endpoints, with why any was disabled",
)
def list_webhook_endpoints(
    ctx: Annotated[CoopContext, Depends(coop_access(READ_WEBHOOKS))],
    session: SessionDep,
    page: PageDep,
) -> Page[WebhookEndpointOut]:
    # a cooperative keeps a handful: paged here, in their order (created_at, id)
    after = cursor_time_id(page.cursor)
    endpoints = [
        e for e in service.list_endpoints(session, ctx.cooperative_id)
        if after is None or (e.created_at, e.id) > after
    ]  # fmt: skip
    return make_page(
        [_endpoint_out(e) for e in endpoints[: page.limit + 1]],
        page.limit,
        lambda e: [e.created_at.isoformat(), str(e.id)],
    )


@router.get(
    "/webhook-endpoints/{endpoint_id}",
    response_model=WebhookEndpointOut,
    responses=coop_responses(WebhookEndpointNotFound),
    summary="A webhook endpoint: its health, and why it was disabled",
)
def get_webhook_endpoint(
    endpoint_id: uuid.UUID,
    ctx: Annotated[CoopContext, Depends(coop_access(READ_WEBHOOKS))],
    session: SessionDep,
) -> WebhookEndpointOut:
    return _endpoint_out(service.get_endpoint(session, ctx.cooperative_id, endpoint_id))


@router.patch(
    "/webhook-endpoints/{endpoint_id}",
    response_model=WebhookEndpointOut,
    responses=coop_responses(
        WebhookEndpointNotFound, WebhookUrlInvalid, WebhookUrlNotAllowed, EventTypeUnknown
    ),
    summary="Change an endpoint, or turn it off and on again",
)
def update_webhook_endpoint(
    request: Request,
    endpoint_id: uuid.UUID,
    body: WebhookEndpointUpdate,
    ctx: Annotated[CoopContext, Depends(coop_access(MANAGE_WEBHOOKS, money=True))],
    session: SessionDep,
) -> WebhookEndpointOut:
    changes = body.model_dump(exclude_unset=True)
    settings = request.app.state.settings
    return _endpoint_out(service.update_endpoint(session, ctx, settings, endpoint_id, changes))


def _deliveries(
    session: SessionDep, ctx: CoopContext, rows: list[WebhookDelivery]
) -> list[DeliveryOut]:
    attempts = service.attempts_of(session, ctx.cooperative_id, [d.id for d in rows])
    events = service.events_of(session, ctx.cooperative_id, [d.event_id for d in rows])
    return [
        DeliveryOut(
            id=d.id,
            endpoint_id=d.endpoint_id,
            event_id=d.event_id,
            event_type=events[d.event_id].type if d.event_id in events else None,
            status=DeliveryStatus(d.status),
            attempts=d.attempts,
            next_attempt_at=d.next_attempt_at,
            last_status_code=d.last_status_code,
            last_error=d.last_error,
            delivered_at=d.delivered_at,
            created_at=d.created_at,
            attempt_log=[AttemptOut.model_validate(a) for a in attempts[d.id]],
        )
        for d in rows
    ]


@router.get(
    "/webhook-endpoints/{endpoint_id}/deliveries",
    response_model=Page[DeliveryOut],
    responses=list_responses(WebhookEndpointNotFound),
    summary="An endpoint's deliveries, newest first, each with its attempts",
)
def list_webhook_deliveries(
    endpoint_id: uuid.UUID,
    ctx: Annotated[CoopContext, Depends(coop_access(READ_WEBHOOKS))],
    session: SessionDep,
    page: PageDep,
    status: DeliveryStatus | None = None,
) -> Page[DeliveryOut]:
    rows = service.list_deliveries(
        session,
        ctx.cooperative_id,
        endpoint_id,
        before=cursor_time_id(page.cursor),
        limit=page.limit + 1,
        status=status,
    )
    return make_page(
        _deliveries(session, ctx, rows),
        page.limit,
        lambda d: [d.created_at.isoformat(), str(d.id)],
    )


@router.post(
    "/deliveries/{delivery_id}/retry",
    status_code=status.HTTP_202_ACCEPTED,
    response_model=DeliveryOut,
    responses=coop_responses(
        WebhookDeliveryNotFound,
        WebhookEndpointNotFound,
        WebhookEndpointDisabled,
        WebhookDeliveryDelivered,
    ),
    summary="Send a delivery again (same webhook-id), as soon as a worker is free; one "
    "already delivered only with force=true",
)
def retry_webhook_delivery(
    delivery_id: uuid.UUID,
    ctx: Annotated[CoopContext, Depends(coop_access(MANAGE_WEBHOOKS, money=True))],
    session: SessionDep,
    force: bool = False,
) -> DeliveryOut:
    delivery = service.retry_delivery(session, ctx, delivery_id, force)
    return _deliveries(session, ctx, [delivery])[0]
