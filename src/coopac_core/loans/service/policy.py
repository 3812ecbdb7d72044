"""Reading and setting a cooperative's credit policy (``loans.policy``)."""

from __future__ import annotations

import uuid

from sqlmodel import Session

from coopac_core.audit import service as audit_service
from coopac_core.federation.service import get_cooperative
from coopac_core.loans.policy import CreditPolicy, policy_of
from coopac_core.models_base import utcnow
from coopac_core.security.principal import CoopContext


def credit_policy(session: Session, cooperative_id: uuid.UUID) -> CreditPolicy:
    return policy_of(get_cooperative(session, cooperative_id).credit_policy)


def set_credit_policy(session: Session, ctx: CoopContext, policy: CreditPolicy) -> CreditPolicy:
    coop = get_cooperative(session, ctx.cooperative_id)
    stored = policy.model_dump(mode="json")
    coop.credit_policy = stored
    coop.updated_at = utcnow()
    session.add(coop)
    audit_service.record(
        session,
        ctx.principal,
        "cooperative.credit_policy",
        "cooperative",
        coop.id,
        cooperative_id=coop.id,
        details=stored,
    )
    session.flush()
    return policy
