"""Loan rules that need the cooperative: simulation today; the credit workflow next."""

from __future__ import annotations

from datetime import date, timedelta

from coopac_core.errors import Unprocessable
from coopac_core.loans.schedule import (
    Frequency,
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


def schedule_for(data: LoanSimulationRequest, disbursed: date) -> Schedule:
    if data.frequency is Frequency.dates:
        dates = sorted(data.due_dates or [])
    else:
        first = data.first_due_date or _first_due(disbursed, data.frequency)
        dates = due_dates(first, data.term, data.frequency)
    try:
        return build_schedule(
            ScheduleRequest(
                amount=data.amount,
                tea=data.tea,
                disbursement_date=disbursed,
                dates=dates,
                method=data.method,
                grace_periods=data.grace_periods,
                grace_type=data.grace_type,
                insurance_monthly_rate=data.insurance_monthly_rate,
                installment_fee=data.installment_fee,
                principal_by_date=tuple(data.principal_by_date or ()),
            )
        )
    except ValueError as exc:
        raise Unprocessable(f"Cronograma inválido: {exc}", code="schedule_invalid") from None


def simulate(data: LoanSimulationRequest, business_date: date) -> LoanSimulationOut:
    """The schedule and its cost as the member would sign it. Nothing is stored."""
    disbursed = data.disbursement_date or business_date
    schedule = schedule_for(data, disbursed)
    received = data.amount - data.commission
    if received <= 0:
        raise Unprocessable(
            "La comisión no puede igualar o superar el monto", code="schedule_invalid"
        )
    cost = tcea(received, disbursed, [(i.due_date, i.total) for i in schedule.installments])
    return LoanSimulationOut(
        amount=data.amount,
        amount_received=received,
        currency=data.currency.value,
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
