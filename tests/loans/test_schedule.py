"""Schedules and TCEA to the céntimo. Expected figures come from DOMAIN.md's worked example
and from an independent computation with Decimal ln/exp (not the ** power the code uses)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal as D

import pytest

from coopac_core.loans.schedule import (
    Frequency,
    GraceType,
    Method,
    ScheduleRequest,
    build_schedule,
    due_dates,
    french_installment,
    tcea,
)
from coopac_core.money import period_rate


def test_domain_worked_example_uneven_first_period() -> None:
    start = date(2026, 1, 1)
    dates = [start + timedelta(days=40 + 30 * k) for k in range(12)]
    assert round(period_rate(D("0.15"), 40) * 100, 4) == D("1.5650")
    cuota = french_installment(D("550000.00"), D("0.15"), [(d - start).days for d in dates])
    assert round(D("550000.00") / cuota, 7) == D("11.0909349")
    schedule = build_schedule(ScheduleRequest(D("550000.00"), D("0.15"), start, dates))
    first, *middle, last = schedule.installments
    assert first.days == 40
    assert first.principal + first.interest == D("49590.05")
    assert all(i.principal + i.interest == D("49590.05") for i in middle)
    # the last absorbs the rounding: principal repaid is exactly the amount lent
    assert last.balance_after == D("0.00")
    assert schedule.total_principal == D("550000.00")
    assert abs(last.principal + last.interest - D("49590.05")) <= D("0.05")


def test_equal_principal_with_uneven_months() -> None:
    dates = [date(2026, 2, 15), date(2026, 3, 15), date(2026, 4, 15)]
    s = build_schedule(
        ScheduleRequest(D("3000.00"), D("0.20"), date(2026, 1, 15), dates, Method.equal_principal)
    )
    assert [(i.days, i.principal, i.interest) for i in s.installments] == [
        (31, D("1000.00"), D("47.47")),
        (28, D("1000.00"), D("28.56")),
        (31, D("1000.00"), D("15.82")),
    ]


def test_single_payment_after_the_harvest() -> None:
    s = build_schedule(
        ScheduleRequest(
            D("3000.00"), D("0.24"), date(2026, 3, 1), [date(2026, 8, 28)], Method.single_payment
        )
    )
    (only,) = s.installments
    assert (only.days, only.principal, only.interest, only.total) == (
        180,
        D("3000.00"),
        D("340.66"),
        D("3340.66"),
    )


def test_capitalised_grace_then_french() -> None:
    dates = [date(2026, 1, 31), date(2026, 3, 2), date(2026, 4, 1)]  # 30-day periods
    s = build_schedule(
        ScheduleRequest(
            D("1000.00"),
            D("0.12"),
            date(2026, 1, 1),
            dates,
            grace_periods=1,
            grace_type=GraceType.capitalised,
        )
    )
    grace, first, second = s.installments
    assert (grace.principal, grace.interest, grace.total, grace.balance_after) == (
        D("0.00"),
        D("0.00"),
        D("0.00"),
        D("1009.49"),
    )
    assert (first.interest, first.principal, first.balance_after) == (
        D("9.58"),
        D("502.36"),
        D("507.13"),
    )
    assert (second.interest, second.principal, second.total) == (
        D("4.81"),
        D("507.13"),
        D("511.94"),
    )


def test_interest_only_grace_pays_interest_and_keeps_principal() -> None:
    dates = due_dates(date(2026, 2, 1), 4, Frequency.monthly)
    s = build_schedule(
        ScheduleRequest(
            D("2000.00"),
            D("0.18"),
            date(2026, 1, 1),
            dates,
            grace_periods=2,
            grace_type=GraceType.interest_only,
        )
    )
    assert [i.principal for i in s.installments[:2]] == [D("0.00"), D("0.00")]
    assert all(i.interest > 0 for i in s.installments[:2])
    assert s.installments[1].balance_after == D("2000.00")
    assert s.total_principal == D("2000.00")


def test_irregular_principal_by_date() -> None:
    dates = [date(2026, 5, 1), date(2026, 9, 1), date(2027, 1, 1)]
    s = build_schedule(
        ScheduleRequest(
            D("5000.00"),
            D("0.22"),
            date(2026, 1, 1),
            dates,
            Method.irregular,
            principal_by_date=[D("1000.00"), D("3000.00"), D("0")],
        )
    )
    assert [i.principal for i in s.installments] == [D("1000.00"), D("3000.00"), D("1000.00")]
    assert s.installments[-1].balance_after == D("0.00")


def test_monthly_dates_clamp_to_month_end() -> None:
    assert due_dates(date(2026, 1, 31), 3, Frequency.monthly) == [
        date(2026, 1, 31),
        date(2026, 2, 28),
        date(2026, 3, 31),
    ]
    assert due_dates(date(2026, 1, 1), 3, Frequency.biweekly)[-1] == date(2026, 1, 31)


def test_desgravamen_on_the_outstanding_balance() -> None:
    dates = due_dates(date(2026, 2, 1), 2, Frequency.monthly)
    s = build_schedule(
        ScheduleRequest(
            D("1000.00"), D("0.10"), date(2026, 1, 1), dates, insurance_monthly_rate=D("0.0008")
        )
    )
    first = s.installments[0]
    assert first.insurance == D("0.83")  # 1000 * 0.0008 * 31/30
    assert s.installments[1].insurance < first.insurance


def test_tcea_equals_tea_without_costs_and_exceeds_it_with_them() -> None:
    dates = due_dates(date(2026, 2, 1), 12, Frequency.monthly)
    s = build_schedule(ScheduleRequest(D("3000.00"), D("0.25"), date(2026, 1, 1), dates))
    payments = [(i.due_date, i.total) for i in s.installments]
    assert abs(tcea(D("3000.00"), date(2026, 1, 1), payments) - D("0.25")) < D("0.0001")
    # a S/ 60 commission withheld at disbursement and desgravamen make credit dearer
    s2 = build_schedule(
        ScheduleRequest(
            D("3000.00"), D("0.25"), date(2026, 1, 1), dates, insurance_monthly_rate=D("0.0008")
        )
    )
    cost = tcea(D("2940.00"), date(2026, 1, 1), [(i.due_date, i.total) for i in s2.installments])
    assert cost > D("0.30")


def test_invalid_schedules() -> None:
    with pytest.raises(ValueError, match="after the disbursement"):
        build_schedule(ScheduleRequest(D("100"), D("0.1"), date(2026, 1, 1), [date(2026, 1, 1)]))
    with pytest.raises(ValueError, match="grace"):
        build_schedule(
            ScheduleRequest(
                D("100"),
                D("0.1"),
                date(2026, 1, 1),
                [date(2026, 2, 1)],
                grace_periods=1,
                grace_type=GraceType.capitalised,
            )
        )
