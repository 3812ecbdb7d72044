"""The demo's year end: once December is closed, the accountant closes the year; the general
assembly's agreement on it is recorded by the accountant and approved by the manager in
April (after the assembly of March), or on the demo's last day if its history ends sooner."""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal

from sqlmodel import Session, col, select

from coopac_core.demo.money import staff_acting
from coopac_core.fiscal_years import distribution
from coopac_core.fiscal_years import service as fiscal_years
from coopac_core.fiscal_years.models import FiscalYear, FiscalYearStatus
from coopac_core.fiscal_years.schemas import Distribution
from coopac_core.fiscal_years.surplus import CreditTo
from coopac_core.money import round_cents
from coopac_core.reports.models import PeriodSnapshot, PeriodStatus
from coopac_core.security.roles import Role

# The demo assembly's agreement: the reserve's legal minimum, a modest interest on shares,
# and the education and previsión social funds as shares of the surplus (DOMAIN.md: 10% to
# education is common, to confirm; 5% to previsión social is the demo's choice).
RESERVE_PERCENT = Decimal(20)
SHARE_INTEREST_RATE = Decimal("0.04")
EDUCATION_SHARE = Decimal("0.10")
SOCIAL_SHARE = Decimal("0.05")


def year_end(session: Session, code: str, coop_id: uuid.UUID, today: date, last_day: bool) -> None:
    """Close every year whose December the accountant closed, and distribute a closed
    year once its assembly has met (``today`` in April or later) or the history ends."""
    closed_decembers = session.exec(
        select(PeriodSnapshot.period).where(
            PeriodSnapshot.cooperative_id == coop_id,
            PeriodSnapshot.status == PeriodStatus.closed,
            col(PeriodSnapshot.period).like("%-12"),
        )
    ).all()
    accountant = staff_acting(session, code, coop_id, Role.accountant)
    for period in sorted(closed_decembers):
        year = int(period[:4])
        fiscal = session.get(FiscalYear, (coop_id, year))
        if fiscal is None:
            fiscal_years.close_year(session, accountant, year)
            fiscal = session.get(FiscalYear, (coop_id, year))
            assert fiscal is not None
        if fiscal.status == FiscalYearStatus.closed and (last_day or today >= date(year + 1, 4, 1)):
            _distribute(session, code, coop_id, fiscal, today)


def _distribute(
    session: Session, code: str, coop_id: uuid.UUID, fiscal: FiscalYear, today: date
) -> None:
    result = fiscal.in_soles
    agreement = f"Acta de asamblea general ordinaria del {today:%d-%m-%Y}"
    if result < 0:  # the reserve the cooperative brought covers a first year's loss
        data = Distribution(cover_loss=True, agreement=agreement)
    else:
        data = Distribution(
            reserve_percent=RESERVE_PERCENT,
            share_interest_rate=SHARE_INTEREST_RATE,
            education_fund=round_cents(result * EDUCATION_SHARE),
            social_fund=round_cents(result * SOCIAL_SHARE),
            credit_to=CreditTo.share,
            agreement=agreement,
        )
    accountant = staff_acting(session, code, coop_id, Role.accountant)
    manager = staff_acting(session, code, coop_id, Role.manager)
    distribution.request_distribution(session, accountant, fiscal.year, data)
    distribution.approve_distribution(
        session, manager, fiscal.year, "Aprobado según el acta de la asamblea"
    )
