"""Rules that live in the database, and calling them.

A deposit, a transfer, the account rules they check and the caller's limits are database
functions (sql/functions/): one call does the whole movement, so a deposit costs one round
trip, and every writer (the API's two paths, the services that check an account before
their own entry) runs the same rules. They refuse with SQLSTATE KR001 (the operation's
refusal, kept as the Idempotency-Key's answer) or KA001 (the caller's, not kept): the error
code as the message, its fields as JSON in the detail. ``errors.refusal`` turns one into
the DomainError of that code, so the client gets the same problem+json whichever path ran.
"""

from __future__ import annotations

import json
import uuid
from decimal import Decimal
from functools import cache
from typing import Any

from sqlalchemy import TextClause
from sqlmodel import Session

from coopac_core.channels import origin_of
from coopac_core.errors import CALLER_REFUSED as CALLER_REFUSED
from coopac_core.errors import REFUSED as REFUSED
from coopac_core.errors import refusal as refusal
from coopac_core.errors import refusal_of as refusal_of
from coopac_core.errors import refusals as refusals
from coopac_core.limits.policy import DEFAULTS, LIMITED
from coopac_core.observability import request_id_var
from coopac_core.security.principal import CoopContext
from coopac_core.security.roles import ANY_BRANCH


def call(session: Session, statement: TextClause, params: dict[str, Any]) -> Any:
    """Run a rule's function and answer its value."""
    with refusals():
        return session.execute(statement, params).scalar()


@cache
def policy_json() -> str:
    """The service's limits policy for the database functions: which kinds a limit governs
    and the default limits per role and currency (limits.policy stays the one source)."""

    def amount(value: Decimal | None) -> str | None:
        return None if value is None else f"{value:f}"

    return json.dumps(
        {
            "limited": sorted(kind.value for kind in LIMITED),
            "limits": {
                role.value: {
                    currency.value: [amount(limit.per_operation), amount(limit.per_day)]
                    for currency, limit in by_currency.items()
                }
                for role, by_currency in DEFAULTS.items()
            },
        }
    )


def actor_json(ctx: CoopContext, till_session_id: uuid.UUID | None = None) -> str:
    """Who acts, for the database functions: the person behind the action (whatever the
    credential), the key, the name booked on the entry, the roles and branch that decide
    the limits and which cash they may handle; where the operation came in (channels);
    and the till session whose cash it moves, if it is known already."""
    p = ctx.principal
    branch = p.branches.get(ctx.cooperative_id)
    return json.dumps(
        {
            **origin_of(ctx),
            "till_session": str(till_session_id) if till_session_id else None,
            "person": str(p.person_id) if p.person_id else None,
            "api_key": str(p.api_key_id) if p.api_key_id else None,
            "name": p.name,
            "roles": sorted(r.value for r in ctx.roles),
            "branch": str(branch) if branch else None,
            "any_branch": bool(ctx.roles & ANY_BRANCH),
            "request_id": request_id_var.get(),
        }
    )
