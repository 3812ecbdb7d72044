"""Writing events, reading the feed, and the cooperative's webhook endpoints.

The feed is ordered by the writing transaction's id, then by the order of writing, and
shows only what transactions older than every transaction still running wrote. An event
numbered before another may commit after it; a feed by number alone would hand a consumer
the later one and let it skip the earlier for good. By transaction, everything a consumer
has not yet seen sorts after its cursor: the price is that the feed waits for the oldest
running transaction (a request's, or a chunk of close of business: well under a second)."""

from __future__ import annotations

import base64
import json
import secrets
import uuid
from datetime import date
from typing import Any

from sqlalchemy import text
from sqlmodel import Session, col, select

from coopac_core.audit import service as audit_service
from coopac_core.config import Settings
from coopac_core.errors import InvalidCursor
from coopac_core.events.addresses import check_url
from coopac_core.events.errors import (
    EventTypeUnknown,
    WebhookDeliveryDelivered,
    WebhookDeliveryNotFound,
    WebhookEndpointDisabled,
    WebhookEndpointNotFound,
)
from coopac_core.events.models import (
    DeliveryStatus,
    EndpointStatus,
    Event,
    EventType,
    WebhookAttempt,
    WebhookDelivery,
    WebhookEndpoint,
)
from coopac_core.events.schemas import EventOut
from coopac_core.events.sealing import seal
from coopac_core.federation.models import Cooperative
from coopac_core.models_base import utcnow
from coopac_core.pagination import decode_cursor
from coopac_core.security.principal import CoopContext

GROUPS = frozenset(t.value.split(".")[0] for t in EventType)


def emit(
    session: Session,
    cooperative_id: uuid.UUID,
    type: EventType,
    subject_kind: str,
    subject_id: uuid.UUID | str,
    data: dict[str, Any],
    *,
    business_date: date | None = None,
) -> None:
    """Write an event in the caller's transaction: it commits with the change, or not at
    all. ``data`` must be JSON already (``model_dump(mode="json")``). The database function
    ``coopac_emit_events`` writes it, as it writes close of business's."""
    if business_date is None:
        coop = session.get(Cooperative, cooperative_id)
        assert coop is not None
        business_date = coop.business_date
    event = {
        "type": type.value,
        "subject_kind": subject_kind,
        "subject_id": str(subject_id),
        "data": data,
    }
    session.execute(
        text("SELECT coopac_emit_events(:c, :d, CAST(:events AS jsonb))"),
        {"c": cooperative_id, "d": business_date, "events": json.dumps([event])},
    )


# --- the feed ---------------------------------------------------------------------------

_FEED = """
SELECT cooperative_id, id, seq, tx_id, type, subject_kind, subject_id, entry_id,
       business_date, occurred_at, data
FROM event
WHERE cooperative_id = :c
  AND tx_id < (pg_snapshot_xmin(pg_current_snapshot())::text)::bigint
  AND (tx_id, seq) > (:tx, :seq)
  AND (CAST(:types AS text[]) IS NULL OR type = ANY(CAST(:types AS text[])))
ORDER BY tx_id, seq
LIMIT :n
"""


def _position(cursor: str | None) -> tuple[int, int]:
    values = decode_cursor(cursor)
    if values is None:
        return (-1, -1)
    if len(values) != 2 or not all(isinstance(v, int) for v in values):
        raise InvalidCursor()
    return (values[0], values[1])


def expand_types(types: list[str] | None) -> list[str] | None:
    """The feed's filter as a webhook's: exact types, a group (``loan.*``) or ``*``, as
    the known types they name; None: every type."""
    asked = check_types(types, patterns=True)
    if asked is None or "*" in asked:
        return None
    known = sorted(t.value for t in EventType)
    return sorted(
        {
            t
            for name in asked
            for t in known
            if t == name or (name.endswith(".*") and t.startswith(name[:-1]))
        }
    )


def check_types(types: list[str] | None, *, patterns: bool = False) -> list[str] | None:
    """Known event types; with ``patterns``, also ``group.*`` and ``*`` (an endpoint's)."""
    if not types:
        return None
    known = {t.value for t in EventType}
    for name in types:
        if name in known:
            continue
        if patterns and (name == "*" or (name.endswith(".*") and name[:-2] in GROUPS)):
            continue
        raise EventTypeUnknown(type=name)
    return sorted(set(types))


def feed(
    session: Session,
    cooperative_id: uuid.UUID,
    *,
    after: str | None,
    types: list[str] | None,
    limit: int,
) -> list[EventOut]:
    tx, seq = _position(after)
    rows = session.execute(
        text(_FEED),
        {"c": cooperative_id, "tx": tx, "seq": seq, "types": expand_types(types), "n": limit},
    ).mappings()
    return [EventOut.of_row(r) for r in rows]


# --- endpoints --------------------------------------------------------------------------


def new_secret() -> str:
    """A Standard Webhooks signing key: ``whsec_`` and 32 random bytes in base64."""
    return "whsec_" + base64.b64encode(secrets.token_bytes(32)).decode()


def create_endpoint(
    session: Session,
    ctx: CoopContext,
    settings: Settings,
    url: str,
    event_types: list[str],
    description: str | None,
) -> tuple[WebhookEndpoint, str]:
    """The endpoint, and its signing secret (stored sealed: answered this once)."""
    secret = new_secret()
    endpoint = WebhookEndpoint(
        cooperative_id=ctx.cooperative_id,
        url=check_url(url, settings),
        event_types=check_types(event_types, patterns=True) or ["*"],
        description=description,
        secret=seal(secret, settings),
        created_by=ctx.principal.name,
    )
    session.add(endpoint)
    session.flush()
    _audit(session, ctx, "webhook_endpoint.create", endpoint)
    return endpoint, secret


def _audit(
    session: Session, ctx: CoopContext, action: str, endpoint: WebhookEndpoint, **extra: Any
) -> None:
    """Where the cooperative's events go is configuration an auditor reads back."""
    audit_service.record(
        session,
        ctx.principal,
        action,
        "webhook_endpoint",
        endpoint.id,
        cooperative_id=ctx.cooperative_id,
        details={
            "url": endpoint.url,
            "event_types": endpoint.event_types,
            "status": endpoint.status,
            **extra,
        },
    )


def get_endpoint(
    session: Session, cooperative_id: uuid.UUID, endpoint_id: uuid.UUID, *, lock: bool = False
) -> WebhookEndpoint:
    query = select(WebhookEndpoint).where(
        WebhookEndpoint.cooperative_id == cooperative_id, WebhookEndpoint.id == endpoint_id
    )
    if lock:
        query = query.with_for_update()
    endpoint = session.exec(query).first()
    if endpoint is None:
        raise WebhookEndpointNotFound()
    return endpoint


def list_endpoints(session: Session, cooperative_id: uuid.UUID) -> list[WebhookEndpoint]:
    return list(
        session.exec(
            select(WebhookEndpoint)
            .where(WebhookEndpoint.cooperative_id == cooperative_id)
            .order_by(col(WebhookEndpoint.created_at), col(WebhookEndpoint.id))
        ).all()
    )


def update_endpoint(
    session: Session,
    ctx: CoopContext,
    settings: Settings,
    endpoint_id: uuid.UUID,
    changes: dict[str, Any],
) -> WebhookEndpoint:
    endpoint = get_endpoint(session, ctx.cooperative_id, endpoint_id, lock=True)
    if "url" in changes and changes["url"] is not None:
        endpoint.url = check_url(changes["url"], settings)
    if "event_types" in changes and changes["event_types"] is not None:
        endpoint.event_types = check_types(changes["event_types"], patterns=True) or ["*"]
    if "description" in changes:
        endpoint.description = changes["description"]
    status = changes.get("status")
    if status == EndpointStatus.active and endpoint.status != EndpointStatus.active:
        # a fresh start: what failed while it was off is not held against it
        endpoint.status = EndpointStatus.active
        endpoint.disabled_reason = None
        endpoint.disabled_at = None
        endpoint.failing_since = None
    elif status == EndpointStatus.disabled and endpoint.status != EndpointStatus.disabled:
        endpoint.status = EndpointStatus.disabled
        endpoint.disabled_reason = "Deshabilitado por el administrador"
        endpoint.disabled_at = utcnow()
    session.add(endpoint)
    session.flush()
    _audit(session, ctx, "webhook_endpoint.update", endpoint)
    return endpoint


def list_deliveries(
    session: Session,
    cooperative_id: uuid.UUID,
    endpoint_id: uuid.UUID,
    *,
    before: tuple[Any, uuid.UUID] | None,
    limit: int,
    status: DeliveryStatus | None = None,
) -> list[WebhookDelivery]:
    get_endpoint(session, cooperative_id, endpoint_id)
    query = select(WebhookDelivery).where(
        WebhookDelivery.cooperative_id == cooperative_id,
        WebhookDelivery.endpoint_id == endpoint_id,
    )
    if status is not None:
        query = query.where(WebhookDelivery.status == status)
    if before is not None:
        query = query.where(
            text("(webhook_delivery.created_at, webhook_delivery.id) < (:b_at, :b_id)").bindparams(
                b_at=before[0], b_id=before[1]
            )
        )
    query = query.order_by(col(WebhookDelivery.created_at).desc(), col(WebhookDelivery.id).desc())
    return list(session.exec(query.limit(limit)).all())


def attempts_of(
    session: Session, cooperative_id: uuid.UUID, delivery_ids: list[uuid.UUID]
) -> dict[uuid.UUID, list[WebhookAttempt]]:
    found: dict[uuid.UUID, list[WebhookAttempt]] = {d: [] for d in delivery_ids}
    if not delivery_ids:
        return found
    rows = session.exec(
        select(WebhookAttempt)
        .where(
            WebhookAttempt.cooperative_id == cooperative_id,
            col(WebhookAttempt.delivery_id).in_(delivery_ids),
        )
        .order_by(col(WebhookAttempt.delivery_id), col(WebhookAttempt.number))
    ).all()
    for row in rows:
        found[row.delivery_id].append(row)
    return found


def events_of(
    session: Session, cooperative_id: uuid.UUID, event_ids: list[uuid.UUID]
) -> dict[uuid.UUID, Event]:
    if not event_ids:
        return {}
    rows = session.exec(
        select(Event).where(Event.cooperative_id == cooperative_id, col(Event.id).in_(event_ids))
    ).all()
    return {e.id: e for e in rows}


def retry_delivery(
    session: Session, ctx: CoopContext, delivery_id: uuid.UUID, force: bool = False
) -> WebhookDelivery:
    """Send a delivery again as soon as a worker is free: a failed one; a delivered one
    only with ``force`` (an integrator who lost what they received asks for it again, same
    ``webhook-id``)."""
    delivery = session.exec(
        select(WebhookDelivery)
        .where(
            WebhookDelivery.cooperative_id == ctx.cooperative_id,
            WebhookDelivery.id == delivery_id,
        )
        .with_for_update()
    ).first()
    if delivery is None:
        raise WebhookDeliveryNotFound()
    if delivery.status == DeliveryStatus.succeeded and not force:
        raise WebhookDeliveryDelivered()
    endpoint = get_endpoint(session, ctx.cooperative_id, delivery.endpoint_id)
    if endpoint.status != EndpointStatus.active:
        raise WebhookEndpointDisabled(reason=endpoint.disabled_reason or endpoint.status)
    delivery.status = DeliveryStatus.pending
    delivery.next_attempt_at = utcnow()
    session.add(delivery)
    session.flush()
    _audit(session, ctx, "webhook_delivery.retry", endpoint, delivery=str(delivery.id))
    return delivery
