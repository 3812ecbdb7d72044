"""Servicing a loan, as plain functions of its installments: what is owed, moratory
interest, days past due, how a payment is allocated and how a prepayment reschedules what
is not yet due. No database: tested directly, like the schedule."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Protocol

from coopac_core.loans.schedule import (
    Method,
    Schedule,
    ScheduleRequest,
    build_schedule,
)
from coopac_core.money import period_rate, round_cents

ZERO = Decimal("0.00")


class PrepaymentMode(StrEnum):
    """What an amount beyond the installments due does: the member's choice."""

    reduce_installment = "reduce_installment"
    reduce_term = "reduce_term"


class Installment(Protocol):
    """An installment as servicing sees it (``LoanInstallment`` rows satisfy it)."""

    due_date: date
    principal: Decimal
    interest: Decimal
    fees: Decimal
    insurance: Decimal
    principal_paid: Decimal
    interest_paid: Decimal
    fees_paid: Decimal
    insurance_paid: Decimal
    interest_accrued: Decimal
    moratory_due: Decimal
    moratory_accrued: Decimal
    moratory_paid: Decimal
    moratory_through: date | None
    # compensatory interest on the overdue principal that close of business added to
    # ``interest`` (and recognised) since the arrears were last settled
    overdue_interest_accrued: Decimal
    paid_on: date | None


class LoanTerms(Protocol):
    """What rescheduling needs of a loan (``Loan`` rows satisfy it)."""

    tea: Decimal
    method: str
    disbursement_date: date
    insurance_monthly_rate: Decimal


def owed(i: Installment) -> Decimal:
    """What is still owed on an installment, moratory interest accrued so far included."""
    return (
        (i.principal - i.principal_paid)
        + (i.interest - i.interest_paid)
        + (i.fees - i.fees_paid)
        + (i.insurance - i.insurance_paid)
        + (i.moratory_due + i.moratory_accrued - i.moratory_paid)
    )


def moratory_since(i: Installment, rate: Decimal, today: date) -> Decimal:
    """Interest at ``rate`` (a TEA) on the installment's overdue principal since its arrears
    were last settled (its due date, or the last payment): the moratory rate for moratory
    interest, the loan's own for the compensatory interest that keeps running on it
    (DOMAIN.md). It runs on principal only: never on interest, so it never compounds (Ley
    31143)."""
    base = i.principal - i.principal_paid
    start = i.moratory_through or i.due_date
    days = (today - start).days
    if base <= 0 or days <= 0 or rate <= 0:
        return ZERO
    return round_cents(base * period_rate(rate, days))


def moratory_pending(i: Installment, moratory_tea: Decimal, today: date) -> Decimal:
    """Moratory interest owed through ``today`` beyond what close of business accrued."""
    return max(moratory_since(i, moratory_tea, today) - i.moratory_accrued, ZERO)


def overdue_interest_pending(i: Installment, tea: Decimal, today: date) -> Decimal:
    """Compensatory interest on the overdue principal owed through ``today`` beyond what
    close of business added to the installment."""
    return max(moratory_since(i, tea, today) - i.overdue_interest_accrued, ZERO)


@dataclass
class Settled:
    """What settling the arrears recognised for the first time (close of business had not
    accrued it): compensatory interest on overdue principal, and moratory interest."""

    interest: Decimal = ZERO
    moratory: Decimal = ZERO


def accrue_moratory(
    installments: Sequence[Installment], tea: Decimal, moratory_tea: Decimal, today: date
) -> Settled:
    """Bring the arrears of every overdue installment up to ``today`` and settle them (a
    payment is about to be allocated): the compensatory interest its overdue principal kept
    earning, added to what the installment asks for, and its moratory interest; what close
    of business accrued since the last settlement is recomputed whole, never added day by
    day."""
    new = Settled()
    for i in installments:
        if i.due_date < today:
            interest = max(moratory_since(i, tea, today), i.overdue_interest_accrued)
            added = interest - i.overdue_interest_accrued
            i.interest += added
            i.interest_accrued += added
            i.overdue_interest_accrued = ZERO
            new.interest += added
            segment = max(moratory_since(i, moratory_tea, today), i.moratory_accrued)
            new.moratory += segment - i.moratory_accrued
            i.moratory_due += segment
            i.moratory_accrued = ZERO
            i.moratory_through = today
    return new


def days_past_due(installments: Sequence[Installment], today: date) -> int:
    oldest = next((i for i in installments if i.due_date < today and owed(i) > 0), None)
    return (today - oldest.due_date).days if oldest else 0


@dataclass
class Arrears:
    days: int
    overdue: Decimal


def arrears(
    installments: Sequence[Installment], tea: Decimal, moratory_tea: Decimal, today: date
) -> Arrears:
    """Days past due and what is overdue (its interest and moratory interest to ``today``
    included)."""
    overdue = sum(
        (
            owed(i)
            + moratory_pending(i, moratory_tea, today)
            + overdue_interest_pending(i, tea, today)
            for i in installments
            if i.due_date < today
        ),
        ZERO,
    )
    return Arrears(days_past_due(installments, today), overdue)


@dataclass
class Allocation:
    principal: Decimal = ZERO
    interest: Decimal = ZERO
    moratory: Decimal = ZERO
    fees: Decimal = ZERO
    insurance: Decimal = ZERO

    @property
    def total(self) -> Decimal:
        return self.principal + self.interest + self.moratory + self.fees + self.insurance

    def add(self, other: Allocation) -> None:
        self.principal += other.principal
        self.interest += other.interest
        self.moratory += other.moratory
        self.fees += other.fees
        self.insurance += other.insurance


# --- prepayment and payoff ---------------------------------------------------------------


def last_due_date(installments: Sequence[Installment], today: date, disbursed: date) -> date:
    """The day interest was last charged to: the last due date by ``today``, else the day
    the loan was paid out."""
    past = [i.due_date for i in installments if i.due_date <= today]
    return past[-1] if past else disbursed


def prepayment_interest(principal: Decimal, tea: Decimal, since: date, today: date) -> Decimal:
    """Interest on principal repaid before its due date, from the last due date to the day
    of payment (DOMAIN.md): P × ((1 + TEA)^(d/360) − 1), half-up."""
    days = (today - since).days
    if principal <= 0 or days <= 0:
        return ZERO
    return round_cents(principal * period_rate(tea, days))


def split_prepayment(
    amount: Decimal, tea: Decimal, since: date, today: date
) -> tuple[Decimal, Decimal]:
    """An amount paid beyond what is due, as (principal, interest): the principal it repays
    and that principal's interest to the day, together the amount. P = amount / (1 + i),
    half-up; so P + prepayment_interest(P) is the amount, and a payoff's principal comes
    back exactly."""
    days = (today - since).days
    if days <= 0:
        return amount, ZERO
    principal = round_cents(amount / (1 + period_rate(tea, days)))
    return principal, amount - principal


def payoff(
    installments: Sequence[Installment],
    tea: Decimal,
    moratory_tea: Decimal,
    disbursed: date,
    day: date,
) -> Allocation:
    """What settles a loan on ``day``, part by part (as a payment of that total is
    allocated): everything due by then, moratory interest to that day included, the
    principal not yet due and that principal's interest since the last due date."""
    out = Allocation()
    future_principal = ZERO
    for i in installments:
        if i.due_date > day:
            future_principal += i.principal - i.principal_paid
            continue
        out.principal += i.principal - i.principal_paid
        out.interest += i.interest - i.interest_paid + overdue_interest_pending(i, tea, day)
        out.fees += i.fees - i.fees_paid
        out.insurance += i.insurance - i.insurance_paid
        out.moratory += i.moratory_due + i.moratory_accrued - i.moratory_paid
        out.moratory += moratory_pending(i, moratory_tea, day)
    out.principal += future_principal
    since = last_due_date(installments, day, disbursed)
    out.interest += prepayment_interest(future_principal, tea, since, day)
    return out


def charge_prepayment_interest(
    installments: Sequence[Installment], today: date, interest: Decimal
) -> None:
    """After ``reschedule``: the interest a prepayment paid to the day is asked for, and
    paid, on the first installment not yet due (the period it ran in)."""
    if interest <= 0:
        return
    first = next(i for i in installments if i.due_date > today)
    first.interest += interest
    first.interest_paid += interest


def _take(available: Decimal, due: Decimal) -> Decimal:
    return min(available, max(due, ZERO))


def allocate(
    installments: Sequence[Installment],
    amount: Decimal,
    today: date,
    *,
    paid_on: date | None = None,
) -> tuple[Allocation, Decimal]:
    """Apply a payment to the installments due by ``today``, oldest first; within each:
    insurance and fees, then moratory, then compensatory interest, then principal.
    Returns what was applied and what is left over (a prepayment). Advancing installments
    not yet due is the same with ``today`` beyond them and ``paid_on`` the day it is paid."""
    settled_on = paid_on or today
    applied = Allocation()
    left = amount
    for i in installments:
        if i.due_date > today or left <= 0:
            continue
        for owed_attr, paid_attr, bucket in (
            ("insurance", "insurance_paid", "insurance"),
            ("fees", "fees_paid", "fees"),
            ("moratory_due", "moratory_paid", "moratory"),
            ("interest", "interest_paid", "interest"),
            ("principal", "principal_paid", "principal"),
        ):
            part = _take(left, getattr(i, owed_attr) - getattr(i, paid_attr))
            if part:
                setattr(i, paid_attr, getattr(i, paid_attr) + part)
                setattr(applied, bucket, getattr(applied, bucket) + part)
                left -= part
        if owed(i) == 0 and i.paid_on is None:
            i.paid_on = settled_on
    return applied, left


@dataclass
class Recognition:
    """How the interest of a payment meets what had been recognised: ``collected`` clears
    interest already accrued (a receivable, or in suspense); ``beyond`` is interest paid
    before it accrued, recognised now."""

    collected: Decimal = ZERO
    beyond: Decimal = ZERO


def uncollected_interest(installments: Sequence[Installment]) -> list[Decimal]:
    return [i.interest_accrued - i.interest_paid for i in installments]


def recognise_payment(
    installments: Sequence[Installment],
    paid_before: Sequence[Decimal],
    uncollected: Sequence[Decimal],
) -> Recognition:
    """After ``allocate``: split each installment's interest just paid into what had accrued
    and what had not, and count the latter as accrued now."""
    out = Recognition()
    for i, before, open_ in zip(installments, paid_before, uncollected, strict=True):
        paid_now = i.interest_paid - before
        if paid_now <= 0:
            continue
        collected = min(paid_now, max(open_, ZERO))
        out.collected += collected
        out.beyond += paid_now - collected
        i.interest_accrued += paid_now - collected
    return out


def cap_recognised(installments: Sequence[Installment]) -> Decimal:
    """After a reschedule: interest recognised beyond what an installment now asks for is
    no longer owed. Returns how much recognition is undone."""
    excess = ZERO
    for i in installments:
        if i.interest_accrued > i.interest:
            excess += i.interest_accrued - i.interest
            i.interest_accrued = i.interest
    return excess


def _settle(i: Installment, today: date) -> None:
    """Nothing more is owed on ``i``: what it asks for becomes what was paid."""
    i.principal, i.interest = i.principal_paid, i.interest_paid
    i.fees, i.insurance = i.fees_paid, i.insurance_paid
    i.paid_on = today


def reschedule(
    loan: LoanTerms,
    installments: Sequence[Installment],
    today: date,
    prepaid: Decimal,
    mode: PrepaymentMode,
) -> None:
    """Apply a prepayment to principal and rebuild the installments not yet due: the same
    dates with a lower installment, or the same installment over fewer dates."""
    future = [i for i in installments if i.due_date > today]
    if not future:
        return
    remaining = sum((i.principal - i.principal_paid for i in future), ZERO) - prepaid
    past = [i for i in installments if i.due_date <= today]
    start = past[-1].due_date if past else loan.disbursement_date
    if remaining <= 0:
        for i in future:
            _settle(i, today)
        future[0].principal += prepaid
        future[0].principal_paid += prepaid
        return
    dates = [i.due_date for i in future]
    method = Method(loan.method)
    if method in (Method.irregular, Method.single_payment):
        method = Method.single_payment if len(dates) == 1 else Method.french

    def build(k: int) -> Schedule:
        return build_schedule(
            ScheduleRequest(
                amount=remaining,
                tea=loan.tea,
                disbursement_date=start,
                dates=dates[:k],
                method=method,
                insurance_monthly_rate=loan.insurance_monthly_rate,
            )
        )

    chosen = build(len(dates))
    if mode is PrepaymentMode.reduce_term:
        current = future[0].principal + future[0].interest
        for k in range(1, len(dates) + 1):
            candidate = build(k)
            if max(i.principal + i.interest for i in candidate.installments) <= current:
                chosen = candidate
                break
    rebuilt = {i.due_date: i for i in chosen.installments}
    for i in future:
        new = rebuilt.get(i.due_date)
        if new is None:  # dropped by a shorter term: nothing more is owed on it
            _settle(i, today)
        else:
            i.principal = new.principal + i.principal_paid
            i.interest = new.interest + i.interest_paid
            i.insurance = new.insurance + i.insurance_paid
    # The prepaid principal is recorded, paid, on the first installment not yet due, so that
    # the installments' principal still adds up to the amount lent.
    future[0].principal += prepaid
    future[0].principal_paid += prepaid


def _rebuilt_method(method: str, count: int) -> Method:
    """The method a rebuilt schedule keeps: an irregular or single-payment schedule becomes
    a level one over several dates (a single payment over one)."""
    kept = Method(method)
    if kept in (Method.irregular, Method.single_payment):
        return Method.single_payment if count == 1 else Method.french
    return kept


def reprogrammed(
    loan: LoanTerms,
    installments: Sequence[Installment],
    today: date,
    dates: Sequence[date],
) -> Schedule:
    """The new installments of a reprogramación: the principal not yet due over ``dates``,
    at the loan's rate, its interest running from the last due date (none capitalised)."""
    remaining = sum(
        (i.principal - i.principal_paid for i in installments if i.due_date > today), ZERO
    )
    start = last_due_date(installments, today, loan.disbursement_date)
    return build_schedule(
        ScheduleRequest(
            amount=remaining,
            tea=loan.tea,
            disbursement_date=start,
            dates=dates,
            method=_rebuilt_method(loan.method, len(dates)),
            insurance_monthly_rate=loan.insurance_monthly_rate,
        )
    )
