"""What the service measures, in Prometheus' format at /metrics (``prometheus-client``):
requests by route and status and their latency, the database pool, money operations by kind
and outcome, close of business's steps, webhook deliveries and import rows.

Each process keeps its own figures; under several uvicorn workers, ``coopac serve`` points
``PROMETHEUS_MULTIPROC_DIR`` at a folder of the data directory and /metrics adds them up
(the library's multiprocess mode)."""

from __future__ import annotations

import hmac
import os
from collections.abc import Callable

from fastapi import APIRouter, Request
from fastapi.responses import Response
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
    multiprocess,
)

from coopac_core.errors import NotAuthenticated

HTTP_REQUESTS = Counter(
    "coopac_http_requests", "Requests answered, by route template and status",
    ["method", "route", "status"],
)  # fmt: skip
HTTP_LATENCY = Histogram(
    "coopac_http_request_duration_seconds", "Time to answer a request, by route template",
    ["method", "route"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)  # fmt: skip
MONEY_OPERATIONS = Counter(
    "coopac_money_operations", "Money POSTs by operation and outcome (done, refused, replayed)",
    ["operation", "outcome"],
)  # fmt: skip
DB_POOL_IN_USE = Gauge(
    "coopac_db_pool_connections_in_use", "Connections of the service's pool checked out",
    multiprocess_mode="livesum",
)  # fmt: skip
COB_STEP_SECONDS = Histogram(
    "coopac_cob_step_duration_seconds", "Close of business: a step's time for one day",
    ["step"], buckets=(0.01, 0.05, 0.1, 0.5, 1, 5, 15, 60, 300),
)  # fmt: skip
COB_STEP_ROWS = Counter(
    "coopac_cob_step_rows", "Close of business: the rows a step processed", ["step"]
)
WEBHOOK_DELIVERIES = Counter(
    "coopac_webhook_deliveries", "Webhook delivery attempts by outcome", ["outcome"]
)
WEBHOOK_LAG = Histogram(
    "coopac_webhook_delivery_lag_seconds", "From an event to its delivery",
    buckets=(0.1, 0.5, 1, 5, 15, 60, 300, 1800, 3600),
)  # fmt: skip
IMPORT_ROWS = Counter("coopac_import_rows", "Rows loaded by imports, by file", ["file"])

_pool_size: Callable[[], int] | None = None


def watch_pool(checked_out: Callable[[], int]) -> None:
    """The pool whose connections in use /metrics reports (the service's own)."""
    global _pool_size
    _pool_size = checked_out


router = APIRouter(tags=["health"])


@router.get(
    "/metrics",
    include_in_schema=False,  # Prometheus' text format, not the API's JSON
)
def metrics(request: Request) -> Response:
    settings = request.app.state.settings
    if not settings.metrics_public:
        token = settings.metrics_token
        given = request.headers.get("authorization", "")
        if token is None or not hmac.compare_digest(
            given.encode(), f"Bearer {token.get_secret_value()}".encode()
        ):
            raise NotAuthenticated()
    if _pool_size is not None:
        DB_POOL_IN_USE.set(_pool_size())
    registry = REGISTRY
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
    return Response(generate_latest(registry), media_type=CONTENT_TYPE_LATEST)
