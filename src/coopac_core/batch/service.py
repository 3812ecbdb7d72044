"""Close of business: the cooperative's business date moves only when its day is closed,
and never past the calendar date where the cooperative is."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import Session

from coopac_core.audit import service as audit_service
from coopac_core.batch.errors import BusinessDateAheadOfCalendar, MultiDayCloseNeedsManager
from coopac_core.federation.models import Cooperative
from coopac_core.federation.service import local_today
from coopac_core.idempotency import expire_keys
from coopac_core.models_base import utcnow
from coopac_core.security.principal import CoopContext
from coopac_core.security.roles import Role


def close_business_days(
    session: Session, ctx: CoopContext, days: int, *, pre_holiday: bool = False
) -> Cooperative:
    """Close ``days`` business days in a row (a weekend, a holiday). Today there is no
    end-of-day accounting to run (interest on savings and provisioning come later): closing
    a day advances the date that days past due, maturities and postings are counted on.

    The date never passes today in the cooperative's time zone, except by one day when the
    manager closes the eve of a holiday in advance (``pre_holiday``). More than one day at
    once, or a pre-holiday close, is the manager's decision (DOMAIN.md is silent; the
    prudent rule: a wrong multi-day close moves every due date and past-due count)."""
    if (days > 1 or pre_holiday) and Role.manager not in ctx.roles:
        raise MultiDayCloseNeedsManager()
    coop = session.get(Cooperative, ctx.cooperative_id, with_for_update=True)
    assert coop is not None
    previous = coop.business_date
    target = previous + timedelta(days=days)
    today = local_today(coop.timezone)
    if target > today + timedelta(days=1 if pre_holiday else 0):
        raise BusinessDateAheadOfCalendar(today=today.isoformat(), target=target.isoformat())
    coop.business_date = target
    session.add(coop)
    expired = expire_keys(session, coop.id, utcnow())
    audit_service.record(
        session,
        ctx.principal,
        "business_day.close",
        "cooperative",
        coop.id,
        cooperative_id=coop.id,
        details={
            "from": previous.isoformat(),
            "to": coop.business_date.isoformat(),
            "pre_holiday": pre_holiday,
            "idempotency_keys_expired": expired,
        },
    )
    session.flush()
    return coop
