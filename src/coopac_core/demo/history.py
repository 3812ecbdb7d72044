"""The demo's months of history: each cooperative's days closed by close of business from
where its books start up to today (a process each), its installments paid as due, its
tills opened and closed each day, its months closed by the accountant as they end, and last
year closed and distributed (demo.year_end)."""

from __future__ import annotations

import multiprocessing
import uuid
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from datetime import date, timedelta
from decimal import Decimal

from sqlmodel import Session, col, select

from coopac_core.cob import execution
from coopac_core.cob import service as cob
from coopac_core.cob.models import RunStatus
from coopac_core.db import ALL_TENANTS, Database
from coopac_core.demo.data import CLI, COOPERATIVES, LOANS
from coopac_core.demo.money import close_tills, open_tills, staff_acting, teller_acting
from coopac_core.demo.year_end import year_end
from coopac_core.federation.models import Cooperative
from coopac_core.federation.service import local_today
from coopac_core.flows import counter
from coopac_core.loans import service as loans
from coopac_core.loans.models import Loan, LoanInstallment, LoanStatus
from coopac_core.loans.schemas import RepaymentRequest
from coopac_core.loans.servicing import owed
from coopac_core.members.models import Member
from coopac_core.reports import periods
from coopac_core.reports.models import PeriodStatus
from coopac_core.security.principal import CoopContext
from coopac_core.security.roles import Role


def history_start() -> date:
    """The first of December of last year, in Lima: the cooperatives brought their books
    from their previous system then, so that the demo holds a year end (last year closed,
    and distributed by the assembly) and every month of this year up to today."""
    return date(local_today().year - 1, 12, 1)


def catch_up(db: Database) -> int:
    """Close every demo cooperative's days up to today (finishing first a run a stopped
    process left), a month at a time: on each first of the month the accountant closes the
    month that ended (and the year, after December), and the members who pay on time pay
    what fell due. The days closed.

    The three cooperatives at once, each run on one connection (a few members need no
    more), each in a process of its own where the system can fork one: a run of a few
    accounts is mostly the service's own Python, which threads would take in turns."""
    codes = [c.code for c in COOPERATIVES]
    if "fork" not in multiprocessing.get_all_start_methods():
        with ThreadPoolExecutor(max_workers=len(codes)) as threads:
            return sum(threads.map(lambda code: _catch_up_one(db, code), codes))
    global _forked_db
    _forked_db = db
    try:
        with ProcessPoolExecutor(
            max_workers=len(codes),
            mp_context=multiprocessing.get_context("fork"),
            initializer=_forked,
        ) as processes:
            return sum(processes.map(_catch_up_forked, codes))
    finally:
        _forked_db = None


_forked_db: Database | None = None


def _forked() -> None:
    """A forked process's first act: its own connections, none of its parent's."""
    assert _forked_db is not None
    _forked_db.engine.dispose(close=False)


def _catch_up_forked(code: str) -> int:
    assert _forked_db is not None
    return _catch_up_one(_forked_db, code)


def _catch_up_one(db: Database, code: str) -> int:
    closed = 0
    while True:
        with db.session(ALL_TENANTS) as session:
            coop = session.exec(select(Cooperative).where(Cooperative.code == code)).one()
            coop_id, today = coop.id, coop.business_date
            left = (local_today(coop.timezone) - today).days
        with db.session(coop_id) as session:
            run = cob.running_run(session, coop_id)
            if run is None:
                _close_months(session, code, coop_id)
                year_end(session, code, coop_id, today, last_day=left == 0)
                open_tills(session, code, coop_id)
            _pay_due(session, code, coop_id, today)
            if run is None and left > 0:
                days = min(left, (_next_first(today) - today).days)
                close_tills(session, coop_id)
                ctx = CoopContext(coop_id, CLI, frozenset({Role.manager}))
                run = cob.start_run(session, ctx, days, workers=1)
                closed += days
            run_id = run.id if run is not None else None
        if run_id is None:
            break
        if execution.execute(db, coop_id, run_id) is not RunStatus.succeeded:
            raise RuntimeError(f"the demo's close of business failed in {code}")
    return closed


def _next_first(day: date) -> date:
    return (day.replace(day=28) + timedelta(days=4)).replace(day=1)


def _pay_due(session: Session, code: str, coop_id: uuid.UUID, today: date) -> None:
    """The punctual members pay, in cash at the teller's till, what is due by ``today``."""
    ctx = teller_acting(session, code, coop_id)
    branch_id = ctx.principal.branches[coop_id]
    punctual = {dni for dni, *_, pays in LOANS[code] if pays}
    rows = session.exec(
        select(Loan, Member)
        .join(
            Member,
            (col(Member.cooperative_id) == col(Loan.cooperative_id))
            & (col(Member.id) == col(Loan.member_id)),
        )
        .where(Loan.cooperative_id == coop_id, Loan.status == LoanStatus.active)
    ).all()
    for loan, member in rows:
        if member.document_number not in punctual:
            continue
        due = sum(
            (
                owed(i)
                for i in session.exec(
                    select(LoanInstallment).where(
                        LoanInstallment.cooperative_id == coop_id,
                        LoanInstallment.loan_id == loan.id,
                        col(LoanInstallment.due_date) <= today,
                    )
                )
            ),
            Decimal(0),
        )
        if due > 0:
            cash = counter.other_side(session, ctx, branch_id=branch_id, account_id=None)
            data = RepaymentRequest(amount=due, branch_id=branch_id)
            loans.repay(session, ctx, loan.id, data, cash)


def _close_months(session: Session, code: str, coop_id: uuid.UUID) -> None:
    """The accountant closes every month taken (by its month-end close of business), in
    order."""
    ctx = staff_acting(session, code, coop_id, Role.accountant)
    provisional = [
        p.period
        for p in reversed(periods.list_periods(session, coop_id, before=None, limit=120))
        if p.status == PeriodStatus.provisional
    ]
    for period in provisional:
        periods.close_period(session, ctx, period)
