"""Where an operation came in: its channel, and, for one recorded offline, when and where.

Every journal entry records its channel (``counter``, ``agent``, ``mobile``, ``batch``,
``system``), so the federation can measure how much goes through digital channels. A
request names its own with the ``X-Channel`` header; without one a person's request is the
counter's and an API key's a batch's. Close of business is the system's. An operation of a
sync batch also carries when the device recorded it and which device.
"""

from __future__ import annotations

from contextvars import ContextVar
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from coopac_core.errors import BadRequest
from coopac_core.security.principal import CoopContext


class Channel(StrEnum):
    counter = "counter"
    agent = "agent"
    mobile = "mobile"
    batch = "batch"
    system = "system"


CHANNEL_HEADER = "X-Channel"


class ChannelInvalid(BadRequest):
    code = "channel_invalid"
    template = "Cabecera X-Channel inválida: counter, agent, mobile o batch"


@dataclass(frozen=True)
class Origin:
    channel: Channel | None = None
    recorded_at: datetime | None = None
    device_id: str | None = None


origin_var: ContextVar[Origin] = ContextVar("origin", default=Origin())  # noqa: B039


def origin_of(ctx: CoopContext) -> dict[str, Any]:
    """The origin of the operation ``ctx`` does, for the entry it posts."""
    return origin_json(by_api_key=ctx.principal.api_key_id is not None)


def origin_json(*, by_api_key: bool) -> dict[str, Any]:
    origin = origin_var.get()
    channel = origin.channel or (Channel.batch if by_api_key else Channel.counter)
    return {
        "channel": channel.value,
        "recorded_at": origin.recorded_at.isoformat() if origin.recorded_at else None,
        "device_id": origin.device_id,
    }
