"""The steps of a closed day, in the order they run: the one list. A step is defined beside
the rule it applies (``day_steps`` says what a step is); it runs because it is named here.
``position`` is what a run's steps are shown in order by, and rises down the list."""

from __future__ import annotations

from datetime import date

from sqlmodel import Session

from coopac_core.day_steps import Chunk, Span, Step
from coopac_core.exchange import revaluation
from coopac_core.idempotency import expire_keys
from coopac_core.loans import close_of_business as loans
from coopac_core.loans import provisions
from coopac_core.models_base import utcnow
from coopac_core.reports import snapshot
from coopac_core.savings import close_of_business as savings
from coopac_core.savings import term_deposits
from coopac_core.security.principal import CoopContext


def _expire_idempotency_keys(
    session: Session, ctx: CoopContext, day: date, span: Span, limit: int
) -> Chunk:
    return Chunk(expire_keys(session, ctx.cooperative_id, utcnow()), None)


IDEMPOTENCY_CLEANUP = Step("idempotency_cleanup", 90, lambda s, c, d: 0, _expire_idempotency_keys)

STEPS: tuple[Step, ...] = (
    savings.ACCRUAL,
    term_deposits.ACCRUAL,
    savings.BOOKING,
    term_deposits.MATURITY,
    savings.CAPITALISATION,
    snapshot.PERIOD_DEPOSITS,  # in the background, beside the loans' steps
    savings.DORMANCY,
    loans.CLASSIFICATION,
    loans.ALIGNMENT,
    loans.OVERDUE,
    loans.ACCRUAL,
    provisions.PROVISIONS,
    revaluation.REVALUATION,
    IDEMPOTENCY_CLEANUP,
    snapshot.PERIOD_SNAPSHOT,
)


def ordered() -> tuple[Step, ...]:
    return STEPS
