"""Request ids and JSON logs: every log line carries the id of the request it belongs to."""

from __future__ import annotations

import json
import logging
import re
import sys
import time
import uuid
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from coopac_core import metrics
from coopac_core.channels import Channel, ChannelInvalid, Origin, origin_var

request_id_var: ContextVar[str | None] = ContextVar("request_id", default=None)
REQUEST_ID_HEADER = "x-request-id"
_MAX_REQUEST_ID = 64

access_log = logging.getLogger("coopac.access")
log = logging.getLogger(__name__)

_STANDARD_ATTRS = frozenset(
    vars(logging.LogRecord("", 0, "", 0, "", None, None)).keys() | {"message", "asctime"}
)


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        out: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": request_id_var.get(),
        }
        for key, value in vars(record).items():
            if key not in _STANDARD_ATTRS and not key.startswith("_"):
                out[key] = value
        if record.exc_info:
            out["exc_info"] = self.formatException(record.exc_info)
        return json.dumps(out, default=str, ensure_ascii=False)


def configure_logging(level: str = "INFO") -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    for name in ("uvicorn", "uvicorn.error", "uvicorn.access"):
        lg = logging.getLogger(name)
        lg.handlers[:] = []
        lg.propagate = True
    # our own access line carries the request id; uvicorn's would duplicate it without
    logging.getLogger("uvicorn.access").disabled = True


def uvicorn_log_config(level: str = "INFO") -> dict[str, Any]:
    """Uvicorn's dictConfig: route its loggers through the same JSON formatter."""
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"json": {"()": f"{__name__}.JsonFormatter"}},
        "handlers": {
            "default": {
                "class": "logging.StreamHandler",
                "formatter": "json",
                "stream": "ext://sys.stderr",
            }
        },
        "root": {"handlers": ["default"], "level": level.upper()},
        "loggers": {
            "uvicorn": {"level": level.upper()},
            "uvicorn.access": {"level": "WARNING", "propagate": True},
        },
    }


# A client's id is kept only if it is one we can log and echo safely: ASCII letters,
# digits and a few separators (a UUID, a ULID, "pos-puno-000123").
_REQUEST_ID = re.compile(rf"[A-Za-z0-9._:-]{{1,{_MAX_REQUEST_ID}}}")


def _valid_request_id(value: str) -> bool:
    return _REQUEST_ID.fullmatch(value) is not None


# the system posts close of business; no request claims to be it
CHANNELS = frozenset(c.value for c in Channel if c is not Channel.system)


async def _refuse_channel(scope: Scope, send: Send, request_id: str) -> None:
    body = json.dumps(
        {
            "type": "about:blank",
            "title": "Bad Request",
            "status": 400,
            "code": ChannelInvalid.code,
            "detail": ChannelInvalid.template,
            "instance": scope["path"],
            "request_id": request_id,
        }
    ).encode()
    await send(
        {
            "type": "http.response.start",
            "status": 400,
            "headers": [
                (b"content-type", b"application/problem+json"),
                (b"content-length", str(len(body)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


class RequestIdMiddleware:
    """Accept the client's ``X-Request-ID`` (or make one), echo it, log the request, and
    turn an unhandled exception into a 500 problem+json."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        incoming = ""
        channel: str | None = None
        for name, value in scope["headers"]:
            if name == b"x-request-id":
                incoming = value.decode("latin-1")
            elif name == b"x-channel":
                channel = value.decode("latin-1").strip().lower()
        request_id = incoming if _valid_request_id(incoming) else uuid.uuid4().hex
        token = request_id_var.set(request_id)
        origin_token = origin_var.set(Origin(Channel(channel)) if channel in CHANNELS else Origin())
        started = time.perf_counter()
        status = 500

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                headers = list(message.get("headers", []))
                headers.append((b"x-request-id", request_id.encode()))
                message = {**message, "headers": headers}
            await send(message)

        started_response = False

        async def send_tracking(message: Message) -> None:
            nonlocal started_response
            if message["type"] == "http.response.start":
                started_response = True
            await send_with_id(message)

        try:
            if channel is not None and channel not in CHANNELS:
                await _refuse_channel(scope, send_with_id, request_id)
                return
            await self.app(scope, receive, send_tracking)
        except Exception:
            # Last line of defence, inside the request's context so that the log line and
            # the answer carry its id. The client learns nothing of the cause.
            log.exception("unhandled error")
            if started_response:
                raise
            status = 500
            body = json.dumps(
                {
                    "type": "about:blank",
                    "title": "Internal Server Error",
                    "status": 500,
                    "code": "internal_error",
                    "detail": "Error interno; se registró para su revisión",
                    "instance": scope["path"],
                    "request_id": request_id,
                }
            ).encode()
            await send_with_id(
                {
                    "type": "http.response.start",
                    "status": 500,
                    "headers": [
                        (b"content-type", b"application/problem+json"),
                        (b"content-length", str(len(body)).encode()),
                    ],
                }
            )
            await send_with_id({"type": "http.response.body", "body": body})
        finally:
            elapsed = time.perf_counter() - started
            access_log.info(
                "request",
                extra={
                    "method": scope["method"],
                    "path": scope["path"],
                    "status": status,
                    "duration_ms": round(elapsed * 1000, 2),
                },
            )
            # by the route's template (a path names ids): few series, whatever the traffic
            route = getattr(scope.get("route"), "path", None) or "unmatched"
            metrics.HTTP_REQUESTS.labels(scope["method"], route, str(status)).inc()
            metrics.HTTP_LATENCY.labels(scope["method"], route).observe(elapsed)
            request_id_var.reset(token)
            origin_var.reset(origin_token)
