"""The webhook worker: takes due deliveries, sends them signed, records each attempt.

Taking is a short transaction (``FOR UPDATE SKIP LOCKED``) that pushes each delivery a
lease ahead and counts the attempt: several workers never take the same delivery, and none
holds a transaction open while it waits on a receiver. A worker that dies mid-send leaves
its deliveries to reappear when the lease ends; they go out again with the same
``webhook-id`` (the event's id), which is how a receiver knows it has seen one before."""

from __future__ import annotations

import json
import logging
import os
import random
import socket
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import httpx
from sqlalchemy import text
from standardwebhooks.webhooks import Webhook

from coopac_core import metrics
from coopac_core.config import Settings
from coopac_core.db import ALL_TENANTS, Database
from coopac_core.events.addresses import AddressNotAllowed, guarded_client
from coopac_core.events.schemas import EventOut
from coopac_core.events.sealing import unseal

log = logging.getLogger(__name__)

_CLAIM = """
WITH due AS (
    SELECT d.cooperative_id, d.id FROM webhook_delivery d
    JOIN webhook_endpoint w ON w.cooperative_id = d.cooperative_id AND w.id = d.endpoint_id
    WHERE d.status IN ('pending', 'sending') AND d.next_attempt_at <= now()
      AND w.status = 'active'
    ORDER BY d.next_attempt_at
    LIMIT :n
    FOR UPDATE OF d SKIP LOCKED
)
UPDATE webhook_delivery d
SET status = 'sending', attempts = d.attempts + 1,
    next_attempt_at = now() + make_interval(secs => :lease)
FROM due, webhook_endpoint w, event e
WHERE d.cooperative_id = due.cooperative_id AND d.id = due.id
  AND w.cooperative_id = d.cooperative_id AND w.id = d.endpoint_id
  AND e.cooperative_id = d.cooperative_id AND e.id = d.event_id
RETURNING d.cooperative_id, d.id, d.endpoint_id, d.attempts, d.created_at, w.url, w.secret,
    e.id AS event_id, e.seq, e.tx_id, e.type, e.subject_kind, e.subject_id, e.entry_id,
    e.business_date, e.occurred_at, e.data
"""

_ATTEMPT = """
INSERT INTO webhook_attempt (cooperative_id, delivery_id, number, started_at, duration_ms,
    status_code, error, worker)
VALUES (:c, :d, :n, :started, :ms, :code, :error, :worker)
ON CONFLICT DO NOTHING
"""

# Only the attempt this worker took may settle the delivery: if its lease ran out and
# another worker took it meanwhile, the count has moved on and this changes nothing.
_SETTLE = """
UPDATE webhook_delivery
SET status = CAST(:status AS varchar), next_attempt_at = :next, last_status_code = :code,
    last_error = :error,
    delivered_at = CASE WHEN CAST(:status AS varchar) = 'succeeded' THEN now()
                        ELSE delivered_at END
WHERE cooperative_id = :c AND id = :d AND status = 'sending' AND attempts = :n
"""

_HEALTHY = """
UPDATE webhook_endpoint SET failing_since = NULL, last_success_at = now()
WHERE cooperative_id = :c AND id = :e
"""

_FAILING = """
UPDATE webhook_endpoint
SET failing_since = coalesce(failing_since, now()),
    status = CASE WHEN now() - coalesce(failing_since, now()) >= make_interval(secs => :after)
                  THEN 'disabled' ELSE status END,
    disabled_at = CASE WHEN now() - coalesce(failing_since, now()) >= make_interval(secs => :after)
                  THEN now() ELSE disabled_at END,
    disabled_reason = CASE
        WHEN now() - coalesce(failing_since, now()) >= make_interval(secs => :after)
        THEN left('Todas las entregas fallan desde ' || to_char(coalesce(failing_since, now())
             AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI') || ' UTC; la última: '
             || CAST(:error AS text), 500)
        ELSE disabled_reason END
WHERE cooperative_id = :c AND id = :e AND status = 'active'
"""


@dataclass
class Taken:
    cooperative_id: uuid.UUID
    delivery_id: uuid.UUID
    endpoint_id: uuid.UUID
    attempt: int
    created_at: datetime
    url: str
    secret: str
    event: EventOut


@dataclass
class Outcome:
    taken: Taken
    started_at: datetime
    duration_ms: int
    status_code: int | None
    error: str | None

    @property
    def succeeded(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


def failure_reason(exc: httpx.HTTPError) -> str:
    """What a failed delivery records: a fixed reason, never the receiver's answer or the
    library's text (which names addresses and ports of whatever it reached)."""
    if isinstance(exc, httpx.TimeoutException):
        return "timeout"
    if isinstance(exc.__cause__ or exc.__context__, AddressNotAllowed):
        return "address not allowed"
    if isinstance(exc, httpx.ConnectError):
        return "connection failed"
    if isinstance(exc, httpx.RemoteProtocolError | httpx.LocalProtocolError):
        return "protocol error"
    return "request failed"


def body_of(event: EventOut) -> str:
    """The payload, as Standard Webhooks shapes it: the type, a timestamp, and the event."""
    return json.dumps(
        {
            "type": event.type,
            "timestamp": event.occurred_at.isoformat(),
            "data": event.model_dump(mode="json"),
        },
        separators=(",", ":"),
        ensure_ascii=False,
    )


def signed_headers(secret: str, message_id: str, body: str, now: datetime) -> dict[str, str]:
    return {
        "webhook-id": message_id,
        "webhook-timestamp": str(int(now.timestamp())),
        "webhook-signature": Webhook(secret).sign(message_id, now, body),
        "content-type": "application/json",
        "user-agent": "coopac-core-webhooks",
    }


def retry_delay(settings: Settings, attempt: int) -> float:
    """Exponential backoff with jitter: the n-th failure waits between half and all of
    first * 2^(n-1), capped; receivers that fell over together do not come back together."""
    ceiling: float = min(
        settings.webhook_first_retry_seconds * 2 ** min(attempt - 1, 30),
        settings.webhook_max_delay_seconds,
    )
    return ceiling / 2 + random.uniform(0, ceiling / 2)  # noqa: S311 - jitter, not a secret


class WebhookWorker:
    def __init__(
        self, db: Database, settings: Settings, name: str | None = None, batch: int = 32
    ) -> None:
        self.db = db
        self.batch = batch
        self.settings = settings
        self.name = name or f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"
        self.http = guarded_client(settings)
        self.pool = ThreadPoolExecutor(max_workers=8, thread_name_prefix="webhook")

    def close(self) -> None:
        self.pool.shutdown(wait=True)
        self.http.close()

    def claim(self, limit: int) -> list[Taken]:
        with self.db.session(ALL_TENANTS) as session:
            rows = session.execute(
                text(_CLAIM), {"n": limit, "lease": self.settings.webhook_lease_seconds}
            ).mappings()
            return [
                Taken(
                    cooperative_id=r["cooperative_id"],
                    delivery_id=r["id"],
                    endpoint_id=r["endpoint_id"],
                    attempt=r["attempts"],
                    created_at=r["created_at"],
                    url=r["url"],
                    secret=unseal(r["secret"], self.settings),
                    event=EventOut.of_row(r),
                )
                for r in rows
            ]

    def send(self, taken: Taken) -> Outcome:
        now = datetime.now(UTC)
        body = body_of(taken.event)
        headers = signed_headers(taken.secret, str(taken.event.id), body, now)
        start = time.monotonic()
        code: int | None = None
        error: str | None = None
        try:
            answer = self.http.post(taken.url, content=body.encode(), headers=headers)
            code = answer.status_code
            if not 200 <= code < 300:
                error = f"HTTP {code}"
        except httpx.HTTPError as exc:
            error = failure_reason(exc)
        return Outcome(taken, now, int((time.monotonic() - start) * 1000), code, error)

    def settle(self, outcome: Outcome) -> None:
        t = outcome.taken
        s = self.settings
        now = datetime.now(UTC)
        if outcome.succeeded:
            status, next_at = "succeeded", now
        elif (now - t.created_at).total_seconds() >= s.webhook_retry_window_seconds:
            status, next_at = "failed", now
        else:
            delay = retry_delay(s, t.attempt)
            window_end = t.created_at.timestamp() + s.webhook_retry_window_seconds
            next_at = datetime.fromtimestamp(min(now.timestamp() + delay, window_end), UTC)
            status = "pending"
        metrics.WEBHOOK_DELIVERIES.labels("retry" if status == "pending" else status).inc()
        if outcome.succeeded:  # from the event's delivery being made to its arrival
            metrics.WEBHOOK_LAG.observe((now - t.created_at).total_seconds())
        params: dict[str, Any] = {"c": t.cooperative_id, "d": t.delivery_id, "n": t.attempt}
        with self.db.session(ALL_TENANTS) as session:
            session.execute(
                text(_ATTEMPT),
                {
                    **params,
                    "started": outcome.started_at,
                    "ms": outcome.duration_ms,
                    "code": outcome.status_code,
                    "error": outcome.error,
                    "worker": self.name[:100],
                },
            )
            session.execute(
                text(_SETTLE),
                {
                    **params,
                    "status": status,
                    "next": next_at,
                    "code": outcome.status_code,
                    "error": outcome.error,
                },
            )
            endpoint = {"c": t.cooperative_id, "e": t.endpoint_id}
            if outcome.succeeded:
                session.execute(text(_HEALTHY), endpoint)
            else:
                session.execute(
                    text(_FAILING),
                    {
                        **endpoint,
                        "after": s.webhook_disable_after_seconds,
                        "error": outcome.error or "",
                    },
                )

    def run_once(self) -> int:
        """Take what is due, send it (several at once), record it; how many were sent."""
        taken = self.claim(self.batch)
        for outcome in self.pool.map(self.send, taken):
            self.settle(outcome)
        return len(taken)

    def run(self, stop: threading.Event) -> None:
        log.info("webhook worker %s started", self.name)
        while not stop.is_set():
            try:
                sent = self.run_once()
            except Exception:  # the database away: try again later, do not die
                log.exception("webhook worker: a round failed")
                sent = 0
            if not sent:
                stop.wait(self.settings.worker_poll_seconds)
        log.info("webhook worker %s stopped", self.name)


def start_in_background(
    db: Database, settings: Settings
) -> tuple[threading.Event, threading.Thread]:
    """The worker inside ``coopac serve``: a daemon thread, stopped with the app."""
    stop = threading.Event()
    worker = WebhookWorker(db, settings)

    def run() -> None:
        try:
            worker.run(stop)
        finally:
            worker.close()

    thread = threading.Thread(target=run, name="webhook-worker", daemon=True)
    thread.start()
    return stop, thread
