"""Servicing a loan as plain functions of its installments: no database, figures by hand."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal as D

from coopac_core.loans.servicing import (
    ZERO,
    PrepaymentMode,
    accrue_moratory,
    allocate,
    arrears,
    days_past_due,
    moratory_since,
    owed,
    payoff,
    prepayment_interest,
    reschedule,
    split_prepayment,
)


@dataclass
class Inst:
    due_date: date
    principal: D
    interest: D
    fees: D = ZERO
    insurance: D = ZERO
    principal_paid: D = ZERO
    interest_paid: D = ZERO
    fees_paid: D = ZERO
    insurance_paid: D = ZERO
    interest_accrued: D = ZERO
    moratory_due: D = ZERO
    moratory_accrued: D = ZERO
    moratory_paid: D = ZERO
    moratory_through: date | None = None
    overdue_interest_accrued: D = ZERO
    paid_on: date | None = None


@dataclass
class Terms:
    tea: D
    method: str
    disbursement_date: date
    insurance_monthly_rate: D = ZERO


def test_owed_counts_every_part_still_unpaid() -> None:
    i = Inst(date(2026, 2, 1), D("100.00"), D("20.00"), D("1.00"), D("0.50"))
    i.principal_paid, i.moratory_due = D("30.00"), D("2.00")
    assert owed(i) == D("70.00") + D("20.00") + D("1.00") + D("0.50") + D("2.00")


def test_moratory_runs_on_overdue_principal_at_the_moratory_tea() -> None:
    # 1,000 overdue 30 days at 12% a year: 1000 x (1.12^(30/360) - 1) = 9.4888 -> 9.49
    i = Inst(date(2026, 1, 1), D("1000.00"), D("50.00"))
    assert moratory_since(i, D("0.12"), date(2026, 1, 31)) == D("9.49")
    # never on interest: with the principal paid, nothing accrues (Ley 31143)
    i.principal_paid = D("1000.00")
    assert moratory_since(i, D("0.12"), date(2026, 1, 31)) == ZERO


def test_moratory_accrues_once_per_day_however_often_it_is_brought_up_to_date() -> None:
    i = Inst(date(2026, 1, 1), D("1000.00"), D("50.00"))
    accrue_moratory([i], ZERO, D("0.12"), date(2026, 1, 31))
    accrue_moratory([i], ZERO, D("0.12"), date(2026, 1, 31))
    assert (i.moratory_due, i.moratory_through) == (D("9.49"), date(2026, 1, 31))


def test_overdue_principal_keeps_earning_its_interest_with_moratory_on_top() -> None:
    # 1,000 overdue 30 days, the loan at TEA 30%: 1000 x (1.30^(30/360) - 1) = 22.1045...
    i = Inst(date(2026, 1, 1), D("1000.00"), D("50.00"))
    settled = accrue_moratory([i], D("0.30"), D("0.12"), date(2026, 1, 31))
    assert (settled.interest, settled.moratory) == (D("22.10"), D("9.49"))
    assert (i.interest, i.interest_accrued, i.moratory_due) == (D("72.10"), D("22.10"), D("9.49"))
    # what close of business had added since the last settlement is not added again
    j = Inst(date(2026, 1, 1), D("1000.00"), D("50.00"), interest_accrued=D("50.00"))
    j.interest, j.interest_accrued, j.overdue_interest_accrued = (
        D("71.30"),
        D("71.30"),
        D("21.30"),
    )
    settled = accrue_moratory([j], D("0.30"), D("0.12"), date(2026, 1, 31))
    assert settled.interest == D("0.80") and j.interest == D("72.10")
    assert (j.overdue_interest_accrued, j.moratory_through) == (ZERO, date(2026, 1, 31))
    # the arrears and the payoff count it to the day
    k = Inst(date(2026, 1, 1), D("1000.00"), D("50.00"))
    assert arrears([k], D("0.30"), ZERO, date(2026, 1, 31)).overdue == D("1072.10")


def test_days_past_due_count_from_the_oldest_unpaid_installment() -> None:
    paid = Inst(date(2026, 1, 1), D("100.00"), D("10.00"), principal_paid=D("100.00"))
    paid.interest_paid = D("10.00")
    late = Inst(date(2026, 2, 1), D("100.00"), D("10.00"))
    later = Inst(date(2026, 3, 1), D("100.00"), D("10.00"))
    assert days_past_due([paid, late, later], date(2026, 3, 11)) == 38
    assert days_past_due([paid, late, later], date(2026, 2, 1)) == 0  # due today is not late
    state = arrears([paid, late, later], ZERO, ZERO, date(2026, 3, 11))
    assert (state.days, state.overdue) == (38, D("220.00"))


def test_a_payment_goes_to_the_oldest_installment_fees_first_principal_last() -> None:
    first = Inst(date(2026, 1, 1), D("100.00"), D("10.00"), D("2.00"), D("1.00"))
    first.moratory_due = D("3.00")
    second = Inst(date(2026, 2, 1), D("100.00"), D("9.00"), D("2.00"), D("1.00"))
    applied, left = allocate([first, second], D("20.00"), date(2026, 2, 15))
    # insurance 1 + fees 2 + moratory 3 + interest 10 = 16, then 4 of principal
    assert (applied.insurance, applied.fees, applied.moratory) == (D("1.00"), D("2.00"), D("3.00"))
    assert (applied.interest, applied.principal, left) == (D("10.00"), D("4.00"), ZERO)
    assert second.interest_paid == ZERO and first.paid_on is None
    applied, left = allocate([first, second], D("500.00"), date(2026, 2, 15))
    assert first.paid_on == second.paid_on == date(2026, 2, 15)
    assert applied.total == D("96.00") + D("112.00") and left == D("292.00")


def test_nothing_not_yet_due_is_taken_and_the_rest_is_left_over() -> None:
    future = Inst(date(2026, 5, 1), D("100.00"), D("10.00"))
    applied, left = allocate([future], D("50.00"), date(2026, 4, 1))
    assert applied.total == ZERO and left == D("50.00")


def _future(start: date) -> list[Inst]:
    return [
        Inst(date(2026, m, 1), D("100.00"), D("5.00"))
        for m in range(start.month + 1, start.month + 5)
    ]


def test_prepayment_reduce_installment_keeps_the_dates_and_lowers_the_installment() -> None:
    terms = Terms(D("0.24"), "french", date(2026, 1, 1))
    rows = _future(date(2026, 1, 1))
    reschedule(terms, rows, date(2026, 1, 10), D("200.00"), PrepaymentMode.reduce_installment)
    assert [r.due_date for r in rows] == [date(2026, m, 1) for m in range(2, 6)]
    # the prepaid 200 is recorded, paid, on the first installment not yet due
    assert rows[0].principal_paid == D("200.00")
    assert sum((r.principal - r.principal_paid for r in rows), ZERO) == D("200.00")
    # 200 left over four months at 24% a year: a level installment of about 52.6
    level = [r.principal + r.interest for r in rows[1:]]
    assert all(D("52.00") < x < D("53.50") for x in level), level


def test_prepayment_reduce_term_settles_the_last_installments() -> None:
    terms = Terms(D("0.24"), "french", date(2026, 1, 1))
    rows = _future(date(2026, 1, 1))
    reschedule(terms, rows, date(2026, 1, 10), D("200.00"), PrepaymentMode.reduce_term)
    remaining = [r for r in rows if r.principal - r.principal_paid > 0]
    assert len(remaining) < 4
    assert sum((r.principal - r.principal_paid for r in rows), ZERO) == D("200.00")
    assert rows[-1].paid_on == date(2026, 1, 10)


def test_prepaying_everything_settles_every_future_installment() -> None:
    terms = Terms(D("0.24"), "french", date(2026, 1, 1))
    rows = _future(date(2026, 1, 1))
    reschedule(terms, rows, date(2026, 1, 10), D("400.00"), PrepaymentMode.reduce_installment)
    assert all(owed(r) == ZERO for r in rows)
    assert sum((r.principal for r in rows), ZERO) == D("400.00")


def test_a_prepayment_pays_the_interest_of_the_principal_it_repays_to_the_day() -> None:
    # the case: 2,000 prepaid on 07-15, the last due date 07-01, TEA 30%:
    # 2000 x (1.30^(14/360) - 1) = 20.5106... -> 20.51
    since, today = date(2026, 7, 1), date(2026, 7, 15)
    assert prepayment_interest(D("2000.00"), D("0.30"), since, today) == D("20.51")
    assert split_prepayment(D("2020.51"), D("0.30"), since, today) == (D("2000.00"), D("20.51"))
    # an amount that is not a principal and its interest: the principal it can repay
    principal, interest = split_prepayment(D("2000.00"), D("0.30"), since, today)
    assert (principal, interest) == (D("1979.70"), D("20.30"))
    assert prepayment_interest(principal, D("0.30"), since, today) == interest
    # on the due date itself, nothing has run yet
    assert split_prepayment(D("500.00"), D("0.30"), today, today) == (D("500.00"), ZERO)


def test_a_payoff_is_what_is_due_with_moratory_and_the_rest_of_the_principal_to_the_day() -> None:
    rows = _future(date(2026, 1, 1))  # 100 + 5 due on the first of each month, Feb to May
    rows[0].principal_paid, rows[0].interest_paid = D("100.00"), D("5.00")
    rows[1].moratory_accrued = D("0.40")
    day = date(2026, 3, 11)  # March's installment 10 days overdue
    quote = payoff(rows, D("0.24"), D("0.12"), date(2026, 1, 1), day)
    # March: 100 + 5, the interest its 100 kept earning for 10 days at 24% (0.5993), and its
    # moratory (10 days on 100 at 12%: 0.32, less than accrued: 0.40); April and May: 200
    # of principal and its interest since March 1st (10 days at 24%)
    assert quote.principal == D("300.00")
    assert quote.interest == D("5.00") + D("0.60") + D("1.20")  # 200 x 0.005993 = 1.1986
    assert quote.moratory == D("0.40")
    assert quote.total == D("307.20")
