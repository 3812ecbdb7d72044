"""Reading and setting a cooperative's credit policy (``loans.policy``)."""

from __future__ import annotations

import uuid

from sqlmodel import Session

from coopac_core.federation.service import get_cooperative, set_policy
from coopac_core.loans.policy import CreditPolicy, policy_of
from coopac_core.security.principal import CoopContext


def credit_policy(session: Session, cooperative_id: uuid.UUID) -> CreditPolicy:
    return policy_of(get_cooperative(session, cooperative_id).credit_policy)


def set_credit_policy(session: Session, ctx: CoopContext, policy: CreditPolicy) -> CreditPolicy:
    set_policy(session, ctx, "credit_policy", policy.model_dump(mode="json"))
    return policy
