"""A range of business dates and an order, for statements and exports."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Annotated

from fastapi import Depends, Query

from coopac_core.errors import Unprocessable


class DateRangeInvalid(Unprocessable):
    code = "date_range_invalid"
    template = "Rango de fechas inválido: 'from' ({since}) es posterior a 'to' ({until})"


class StatementOrder(StrEnum):
    oldest = "oldest"  # oldest first: a passbook
    newest = "newest"  # newest first: what a teller looks at


@dataclass(frozen=True)
class DateRange:
    since: date | None = None
    until: date | None = None
    order: StatementOrder = StatementOrder.oldest


def date_range(
    since: Annotated[
        date | None, Query(alias="from", description="First business date (inclusive)")
    ] = None,
    until: Annotated[
        date | None, Query(alias="to", description="Last business date (inclusive)")
    ] = None,
    order: Annotated[StatementOrder, Query(description="oldest or newest first")] = (
        StatementOrder.oldest
    ),
) -> DateRange:
    if since is not None and until is not None and since > until:
        raise DateRangeInvalid(since=since.isoformat(), until=until.isoformat())
    return DateRange(since, until, order)


DateRangeDep = Annotated[DateRange, Depends(date_range)]
