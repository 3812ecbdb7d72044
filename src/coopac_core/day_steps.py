"""What a step of a closed day is. Each product defines its own (savings: accrual, booking,
capitalisation, dormancy); ``cob.schedule`` lists them all, in the order they run.

A step works through one day in chunks: ``run_chunk`` does up to ``limit`` items of its
``span`` of keys (accounts by id) and answers how many it did and where to go on (``None``:
the span is done). Each chunk is committed with the step's progress, so a crash resumes at
the next chunk; what a chunk writes is keyed so that doing it twice writes it once. A
``parallel`` step's keys are split in spans done at once, one database connection each:
on two cores, a step's PostgreSQL work then uses both."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TypeVar

from sqlmodel import Session

from coopac_core.security.principal import CoopContext

_KEYS = 1 << 128
T = TypeVar("T")


def read_once(session: Session, key: tuple[object, ...], load: Callable[[], T]) -> T:
    """What a step reads that close of business never changes (a cooperative's products,
    its credit policy), read once a transaction: a small cooperative's day is one
    transaction for every step, and these reads were a tenth of its statements. Kept in
    ``session.info``, which goes with the session."""
    kept = session.info.setdefault("day_steps.read_once", {})
    if key not in kept:
        kept[key] = load()
    value: T = kept[key]
    return value


@dataclass(frozen=True)
class Span:
    """Keys greater than ``after`` and at most ``upto``."""

    after: uuid.UUID
    upto: uuid.UUID


def spans(parts: int) -> list[Span]:
    """The key space of uuids in ``parts`` equal spans."""
    bounds = [_KEYS * i // parts for i in range(parts + 1)]
    return [
        Span(uuid.UUID(int=max(bounds[i] - 1, 0)), uuid.UUID(int=bounds[i + 1] - 1))
        for i in range(parts)
    ]


@dataclass(frozen=True)
class Chunk:
    processed: int
    cursor: str | None  # None: the day is done


@dataclass(frozen=True)
class Step:
    name: str
    position: int
    # How many items the day has (for the progress shown), before its first chunk.
    total: Callable[[Session, CoopContext, date], int]
    run_chunk: Callable[[Session, CoopContext, date, Span, int], Chunk]
    # Whether the step runs on a day at all (capitalisation: the last of the month).
    applies: Callable[[date], bool] = lambda day: True
    # Whether its spans of accounts may be done at once, each on its own connection.
    parallel: bool = False
    # Whether the run goes on to the next steps while this one works (on connections of
    # its own): for work that only reads what earlier steps left and that no step but
    # those naming it in ``waits_for`` reads, so that it fills the cores the next steps
    # leave idle. The day ends only when it has.
    background: bool = False
    # Background steps this one must see finished before it starts.
    waits_for: tuple[str, ...] = ()


def is_month_end(day: date) -> bool:
    return (day + timedelta(days=1)).day == 1
