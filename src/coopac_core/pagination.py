"""Cursor pagination: ``limit`` and an opaque ``cursor`` in, ``next_cursor`` out."""

from __future__ import annotations

import base64
import json
import uuid
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Annotated, Any, Generic, TypeVar

from fastapi import Depends, Query
from pydantic import BaseModel

from coopac_core.errors import InvalidCursor

T = TypeVar("T")
K = TypeVar("K")
DEFAULT_LIMIT = 50
MAX_LIMIT = 500


class Page(BaseModel, Generic[T]):
    items: list[T]
    next_cursor: str | None = None


class PageParams(BaseModel):
    limit: int
    cursor: str | None


def page_params(
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = DEFAULT_LIMIT,
    cursor: Annotated[str | None, Query(max_length=512)] = None,
) -> PageParams:
    return PageParams(limit=limit, cursor=cursor)


PageDep = Annotated[PageParams, Depends(page_params)]


def encode_cursor(values: list[Any]) -> str:
    raw = json.dumps(values, default=str, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str | None) -> list[Any] | None:
    if cursor is None:
        return None
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        values = json.loads(raw)
    except (ValueError, TypeError):
        raise InvalidCursor() from None
    if not isinstance(values, list):
        raise InvalidCursor()
    return values


def cursor_key(cursor: str | None, kind: Callable[[Any], K]) -> K | None:
    """The single sort key a cursor carries, converted by ``kind``; None for the first page."""
    values = decode_cursor(cursor)
    if values is None:
        return None
    try:
        (value,) = values
        return kind(value)
    except (ValueError, TypeError):
        raise InvalidCursor() from None


def cursor_time_id(cursor: str | None) -> tuple[datetime, uuid.UUID] | None:
    """A (timestamp, id) sort key, for lists in the order things happened."""
    values = decode_cursor(cursor)
    if values is None:
        return None
    try:
        when, ident = values
        return datetime.fromisoformat(when), uuid.UUID(ident)
    except (ValueError, TypeError):
        raise InvalidCursor() from None


def make_page(rows: Sequence[T], limit: int, key: Callable[[T], list[Any]]) -> Page[T]:
    """``rows`` holds up to ``limit + 1`` items: the extra one only says there is more."""
    items = list(rows[:limit])
    next_cursor = encode_cursor(key(items[-1])) if len(rows) > limit else None
    return Page[T](items=items, next_cursor=next_cursor)
