"""The steps of a closed day, in order. Each product package registers its own (savings:
accrual, booking, capitalisation, dormancy), so the run knows them without importing them.

A step works through one day in chunks: ``run_chunk`` does up to ``limit`` items after
``cursor`` and answers how many it did and where to go on (``None``: the day is done). Each
chunk is committed with the step's progress, so a crash resumes at the next chunk; what
a chunk writes is keyed so that doing it twice writes it once."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from sqlmodel import Session

from coopac_core.security.principal import CoopContext


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
    run_chunk: Callable[[Session, CoopContext, date, str | None, int], Chunk]
    # Whether the step runs on a day at all (capitalisation: the last of the month).
    applies: Callable[[date], bool] = lambda day: True


STEPS: dict[str, Step] = {}


def register(step: Step) -> Step:
    STEPS[step.name] = step
    return step


def ordered() -> list[Step]:
    return sorted(STEPS.values(), key=lambda s: s.position)


def is_month_end(day: date) -> bool:
    return (day + timedelta(days=1)).day == 1
