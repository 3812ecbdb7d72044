"""A month as the reports name it ("2025-03"): its first and last days, the one before."""

from __future__ import annotations

from datetime import date, timedelta


def period_of(day: date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def period_start(period: str) -> date:
    year, month = period.split("-")
    return date(int(year), int(month), 1)


def period_end(period: str) -> date:
    first = period_start(period)
    return (first.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)


def previous_period(period: str) -> str:
    return period_of(period_start(period) - timedelta(days=1))
