"""Repayment schedules and their cost (TCEA). Pure functions, no database.

Rates are TEA (tasa efectiva anual) as fractions. A period of d days has the rate
``(1 + TEA) ** (d / 360) - 1`` (DOMAIN.md): installments use the actual days between due
dates on a 360-day year. Amounts are rounded to céntimos (ROUND_HALF_UP) when they become
an installment; the last installment absorbs the rounding so that the principal repaid
equals the amount disbursed exactly.
"""

from __future__ import annotations

import calendar
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal, localcontext
from enum import StrEnum

from coopac_core.money import DAYS_IN_YEAR, period_rate, round_cents, round_rate

ZERO = Decimal("0.00")
# Working precision for powers and the TCEA search: far beyond the céntimo.
_PRECISION = 40


class Method(StrEnum):
    french = "french"  # cuota fija
    equal_principal = "equal_principal"  # alemán
    single_payment = "single_payment"  # todo al vencimiento
    irregular = "irregular"  # principal by date, as the member's harvests allow


class Frequency(StrEnum):
    monthly = "monthly"
    biweekly = "biweekly"
    weekly = "weekly"
    dates = "dates"


class GraceType(StrEnum):
    none = "none"
    interest_only = "interest_only"  # interest is paid, principal waits
    capitalised = "capitalised"  # nothing is paid, interest joins the principal


def discount_factor(tea: Decimal, days: int) -> Decimal:
    with localcontext() as ctx:
        ctx.prec = _PRECISION
        return (Decimal(1) + tea) ** (-Decimal(days) / DAYS_IN_YEAR)


def add_months(day: date, months: int, anchor_day: int) -> date:
    """The same day of the month ``months`` later, clamped to the month's last day."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(anchor_day, calendar.monthrange(year, month)[1]))


def due_dates(first_due: date, count: int, frequency: Frequency) -> list[date]:
    if frequency is Frequency.monthly:
        return [add_months(first_due, k, first_due.day) for k in range(count)]
    step = {Frequency.biweekly: 15, Frequency.weekly: 7}.get(frequency)
    if step is None:
        raise ValueError("explicit dates must be given for frequency 'dates'")
    return [first_due + timedelta(days=step * k) for k in range(count)]


@dataclass(frozen=True)
class Installment:
    number: int
    due_date: date
    days: int
    principal: Decimal
    interest: Decimal
    fees: Decimal
    insurance: Decimal
    balance_after: Decimal

    @property
    def total(self) -> Decimal:
        return self.principal + self.interest + self.fees + self.insurance


@dataclass(frozen=True)
class ScheduleRequest:
    amount: Decimal
    tea: Decimal
    disbursement_date: date
    dates: Sequence[date]
    method: Method = Method.french
    grace_periods: int = 0
    grace_type: GraceType = GraceType.none
    # Desgravamen: a monthly rate on the balance outstanding during each period (pro rata
    # by days over 30).
    insurance_monthly_rate: Decimal = Decimal(0)
    # A fee charged with every installment (for example a collection fee).
    installment_fee: Decimal = ZERO
    # Irregular schedules: principal due on each date (the last absorbs any remainder).
    principal_by_date: Sequence[Decimal] = field(default_factory=tuple)


@dataclass(frozen=True)
class Schedule:
    installments: list[Installment]
    # The level installment of the French method before rounding (principal + interest).
    level_installment: Decimal | None

    @property
    def total_principal(self) -> Decimal:
        return sum((i.principal for i in self.installments), ZERO)

    @property
    def total_interest(self) -> Decimal:
        return sum((i.interest for i in self.installments), ZERO)

    @property
    def total_insurance(self) -> Decimal:
        return sum((i.insurance for i in self.installments), ZERO)

    @property
    def total_fees(self) -> Decimal:
        return sum((i.fees for i in self.installments), ZERO)

    @property
    def total_paid(self) -> Decimal:
        return sum((i.total for i in self.installments), ZERO)


def french_installment(principal: Decimal, tea: Decimal, days_from_start: Sequence[int]) -> Decimal:
    """cuota = P / sum_k (1 + TEA)^(-D_k/360), D_k days from the start to installment k."""
    with localcontext() as ctx:
        ctx.prec = _PRECISION
        factor = sum((discount_factor(tea, d) for d in days_from_start), Decimal(0))
        return principal / factor


def build_schedule(req: ScheduleRequest) -> Schedule:
    if req.amount <= 0:
        raise ValueError("amount must be positive")
    dates = list(req.dates)
    if not dates:
        raise ValueError("at least one due date")
    if any(b <= a for a, b in zip([req.disbursement_date, *dates], dates, strict=False)):
        raise ValueError("due dates must be after the disbursement and strictly increasing")
    grace = req.grace_periods if req.grace_type is not GraceType.none else 0
    if grace >= len(dates):
        raise ValueError("grace must leave at least one installment to repay")

    balance = req.amount
    previous = req.disbursement_date
    installments: list[Installment] = []
    # Grace: interest is paid (interest_only) or added to the principal (capitalised).
    for k in range(grace):
        days = (dates[k] - previous).days
        interest = round_cents(balance * period_rate(req.tea, days))
        insurance = _insurance(req, balance, days)
        if req.grace_type is GraceType.capitalised:
            balance += interest
            paid_interest = ZERO
        else:
            paid_interest = interest
        installments.append(
            Installment(
                k + 1, dates[k], days, ZERO, paid_interest, req.installment_fee, insurance, balance
            )
        )
        previous = dates[k]

    repay_dates = dates[grace:]
    start = previous
    level: Decimal | None = None
    if req.method is Method.french:
        level = french_installment(balance, req.tea, [(d - start).days for d in repay_dates])
        target = round_cents(level)
    n = len(repay_dates)
    equal_part = round_cents(balance / n)
    for j, due in enumerate(repay_dates):
        days = (due - previous).days
        interest = round_cents(balance * period_rate(req.tea, days))
        insurance = _insurance(req, balance, days)
        last = j == n - 1
        if last:
            principal = balance
        elif req.method is Method.french:
            principal = min(balance, max(ZERO, target - interest))
        elif req.method is Method.equal_principal:
            principal = min(balance, equal_part)
        elif req.method is Method.single_payment:
            principal = ZERO
        else:
            wanted = req.principal_by_date[j] if j < len(req.principal_by_date) else ZERO
            principal = min(balance, round_cents(wanted))
        balance -= principal
        installments.append(
            Installment(
                len(installments) + 1,
                due,
                days,
                principal,
                interest,
                req.installment_fee,
                insurance,
                balance,
            )
        )
        previous = due
    return Schedule(installments, level)


def _insurance(req: ScheduleRequest, balance: Decimal, days: int) -> Decimal:
    if not req.insurance_monthly_rate:
        return ZERO
    return round_cents(balance * req.insurance_monthly_rate * Decimal(days) / Decimal(30))


def tcea(received: Decimal, start: date, payments: Sequence[tuple[date, Decimal]]) -> Decimal:
    """Tasa de costo efectivo anual: the annual effective rate r at which the payments,
    discounted at (1 + r)^(-days/360), equal what the member actually received.

    Found by bisection in Decimal; returned as a fraction with 6 decimals (e.g. 0.183460).
    """
    if received <= 0 or not payments:
        raise ValueError("nothing received or nothing paid")

    flows = [((d - start).days, amt) for d, amt in payments]

    def npv(rate: Decimal) -> Decimal:
        with localcontext() as ctx:
            ctx.prec = _PRECISION
            # One fractional power per trial rate, then whole-number powers of it: the
            # same value to the context's precision, at a fraction of the cost (a weekly
            # 360-period loan spent most of a second of CPU here).
            daily = (Decimal(1) + rate) ** (-1 / DAYS_IN_YEAR)
            return sum((amt * daily**days for days, amt in flows), Decimal(0)) - received

    low, high = Decimal("-0.99"), Decimal("1")
    while npv(high) > 0:  # the cost may exceed 100% a year on small, short, fee-heavy loans
        high *= 2
        if high > 10**6:
            raise ValueError("no TCEA: payments far exceed what was received")
    for _ in range(200):
        mid = (low + high) / 2
        if npv(mid) > 0:
            low = mid
        else:
            high = mid
        if high - low < Decimal("1e-12"):
            break
    return round_rate((low + high) / 2)
