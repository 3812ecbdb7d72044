"""Schedules: a simulation as the member would sign it, and the schedule of a loan's
agreed terms. The arithmetic itself is ``loans.schedule``; this turns requests and loans
into its input and refuses what it cannot build."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from decimal import Decimal

from coopac_core.loans.errors import ScheduleInvalid
from coopac_core.loans.models import Loan
from coopac_core.loans.schedule import (
    Frequency,
    GraceType,
    Method,
    Schedule,
    ScheduleRequest,
    add_months,
    build_schedule,
    due_dates,
    tcea,
)
from coopac_core.loans.schemas import (
    InstallmentOut,
    LoanSimulationOut,
    LoanSimulationRequest,
    ScheduleTotals,
)
from coopac_core.money import round_cents

_PERIOD_DAYS = {Frequency.biweekly: 15, Frequency.weekly: 7}


def _first_due(disbursed: date, frequency: Frequency) -> date:
    if frequency is Frequency.monthly:
        return add_months(disbursed, 1, disbursed.day)
    return disbursed + timedelta(days=_PERIOD_DAYS[frequency])


def _dates(
    frequency: Frequency,
    term: int,
    disbursed: date,
    first: date | None,
    explicit: list[date] | None,
) -> list[date]:
    if frequency is Frequency.dates:
        return sorted(explicit or [])
    return due_dates(first or _first_due(disbursed, frequency), term, frequency)


@contextmanager
def refusing_impossible_schedules() -> Iterator[None]:
    """A schedule or a TCEA that cannot be computed (dates past the year 9999, fees that
    no rate can discount, arithmetic out of range) is the request's fault: 422, never 500."""
    try:
        yield
    except (ValueError, OverflowError, ArithmeticError) as exc:
        raise ScheduleInvalid(reason=str(exc)) from None


def schedule_for(data: LoanSimulationRequest, disbursed: date) -> Schedule:
    with refusing_impossible_schedules():
        return build_schedule(
            ScheduleRequest(
                amount=data.amount,
                tea=data.tea,
                disbursement_date=disbursed,
                dates=_dates(
                    data.frequency, data.term, disbursed, data.first_due_date, data.due_dates
                ),
                method=data.method,
                grace_periods=data.grace_periods,
                grace_type=data.grace_type,
                insurance_monthly_rate=data.insurance_monthly_rate,
                installment_fee=data.installment_fee,
                principal_by_date=tuple(data.principal_by_date or ()),
            )
        )


def simulate(data: LoanSimulationRequest, business_date: date) -> LoanSimulationOut:
    """The schedule and its cost as the member would sign it. Nothing is stored."""
    disbursed = data.disbursement_date or business_date
    schedule = schedule_for(data, disbursed)
    received = data.amount - data.commission
    if received <= 0:
        raise ScheduleInvalid(reason="la comisión no puede igualar o superar el monto")
    with refusing_impossible_schedules():
        cost = tcea(received, disbursed, [(i.due_date, i.total) for i in schedule.installments])
    return LoanSimulationOut(
        amount=data.amount,
        amount_received=received,
        currency=data.currency,
        tea=data.tea,
        tcea=cost,
        disbursement_date=disbursed,
        installment=round_cents(schedule.level_installment) if schedule.level_installment else None,
        installments=[
            InstallmentOut(
                number=i.number,
                due_date=i.due_date,
                days=i.days,
                principal=i.principal,
                interest=i.interest,
                fees=i.fees,
                insurance=i.insurance,
                total=i.total,
                balance_after=i.balance_after,
            )
            for i in schedule.installments
        ],
        totals=ScheduleTotals(
            principal=schedule.total_principal,
            interest=schedule.total_interest,
            fees=schedule.total_fees,
            insurance=schedule.total_insurance,
            commission=data.commission,
            total_paid=schedule.total_paid,
        ),
    )


def loan_schedule_from(loan: Loan, disbursed: date) -> Schedule:
    """The schedule of a loan's agreed terms, run from ``disbursed``."""
    terms = loan.terms
    explicit = [date.fromisoformat(d) for d in terms.get("due_dates") or []]
    with refusing_impossible_schedules():
        return build_schedule(
            ScheduleRequest(
                amount=loan.amount,
                tea=loan.tea,
                disbursement_date=disbursed,
                dates=_dates(
                    Frequency(loan.frequency), loan.term, disbursed, loan.first_due_date, explicit
                ),
                method=Method(loan.method),
                grace_periods=int(terms.get("grace_periods", 0)),
                grace_type=GraceType(terms.get("grace_type", "none")),
                insurance_monthly_rate=loan.insurance_monthly_rate,
                principal_by_date=tuple(Decimal(p) for p in terms.get("principal_by_date") or ()),
            )
        )
