"""Close of business: the cooperative's business date moves only when its day is closed."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import Session

from coopac_core.audit import service as audit_service
from coopac_core.federation.models import Cooperative
from coopac_core.security.principal import CoopContext


def close_business_days(session: Session, ctx: CoopContext, days: int) -> Cooperative:
    """Close ``days`` business days in a row (a weekend, a holiday). Today there is no
    end-of-day accounting to run (interest on savings and provisioning come later): closing
    a day advances the date that days past due, maturities and postings are counted on."""
    coop = session.get(Cooperative, ctx.cooperative_id, with_for_update=True)
    assert coop is not None
    previous = coop.business_date
    coop.business_date = previous + timedelta(days=days)
    session.add(coop)
    audit_service.record(
        session,
        ctx.principal,
        "business_day.close",
        "cooperative",
        coop.id,
        cooperative_id=coop.id,
        details={"from": previous.isoformat(), "to": coop.business_date.isoformat()},
    )
    session.flush()
    return coop
