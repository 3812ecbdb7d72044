"""A cap on request bodies: a 10 MB body must not be read, parsed and validated before it
is refused. A declared length over the cap is refused at once; a body without one is read
only up to the cap."""

from __future__ import annotations

import json

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from coopac_core.errors import PROBLEM_JSON, PayloadTooLarge, problem_body
from coopac_core.observability import request_id_var


class BodyLimitMiddleware:
    def __init__(self, app: ASGIApp, max_bytes: int, import_bytes: int | None = None) -> None:
        self.app = app
        self.max_bytes = max_bytes
        # an import's files (POST .../imports) may be far larger than any other body
        self.import_bytes = import_bytes or max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        cap = self.max_bytes
        if scope.get("method") == "POST" and scope["path"].endswith("/imports"):
            cap = self.import_bytes
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None:
            if not declared.isdigit() or int(declared) > cap:
                await self._refuse(scope, send)
                return
            await self.app(scope, receive, send)
            return
        # No declared length (chunked): read at most the cap, then hand the body on.
        chunks: list[bytes] = []
        size = 0
        more = True
        while more:
            message = await receive()
            if message["type"] != "http.request":
                break
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > cap:
                await self._refuse(scope, send)
                return
            chunks.append(chunk)
            more = message.get("more_body", False)
        body = b"".join(chunks)
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)

    async def _refuse(self, scope: Scope, send: Send) -> None:
        body = problem_body(
            PayloadTooLarge.status,
            PayloadTooLarge.code,
            PayloadTooLarge.template.format(limit=self.max_bytes),
            instance=scope["path"],
            request_id=request_id_var.get(),
        )
        payload = json.dumps(body).encode()
        await send(
            {
                "type": "http.response.start",
                "status": PayloadTooLarge.status,
                "headers": [
                    (b"content-type", PROBLEM_JSON.encode()),
                    (b"content-length", str(len(payload)).encode()),
                    (b"connection", b"close"),
                ],
            }
        )
        await send({"type": "http.response.body", "body": payload})
