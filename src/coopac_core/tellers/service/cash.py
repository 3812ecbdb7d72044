"""The counter's cash, for every cash operation: the caller's open session's till
(``counter_cash``, the database function ``coopac_counter_cash``), a session's cash rules
(``session_cash``) and the receipt an operation gets."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import text
from sqlmodel import Session, select

from coopac_core import database_rules as rules
from coopac_core.ledger import service as ledger
from coopac_core.ledger.models import GlAccount
from coopac_core.security.principal import CoopContext
from coopac_core.tellers.models import (
    Receipt,
)

BANK_GL = "11{c}3"
ZERO = Decimal("0.00")

# --- the counter's cash, for every cash operation ----------------------------------------

COUNTER_CASH = text(
    "SELECT gl_account_id, branch_id, session_id FROM coopac_counter_cash(:c, :b, :cur, "
    "CAST(:actor AS jsonb), :delta)"
)


@dataclass(frozen=True)
class CounterCash:
    """The till a cash operation moves: its GL sub-account, its branch, the session."""

    gl_account: GlAccount
    branch_id: uuid.UUID
    session_id: uuid.UUID


def counter_cash(
    session: Session,
    ctx: CoopContext,
    branch_id: uuid.UUID | None,
    currency: str,
    delta: Decimal,
) -> CounterCash:
    """The caller's till for a cash operation that moves ``delta`` into it (negative: out).

    Refused without an open session of today (409 till_session_required), at another
    branch than ``branch_id`` if one is named, below zero (till_cash_insufficient) or above
    the till's ceiling (till_cash_limit). The rule is ``coopac_counter_cash`` (migration
    0021), which the one-call deposit and share payment run too. The till's cash row stays
    locked until the transaction ends.
    """
    with rules.refusals():
        row = session.execute(
            COUNTER_CASH,
            {
                "c": ctx.cooperative_id,
                "b": branch_id,
                "cur": currency,
                "actor": rules.actor_json(ctx),
                "delta": delta,
            },
        ).one()
    gl = ledger.get_gl_account(session, ctx.cooperative_id, row.gl_account_id)
    return CounterCash(gl, row.branch_id, row.session_id)


SESSION_CASH = text(
    "SELECT gl_account_id, branch_id, session_id FROM coopac_session_cash(:c, :s, :cur, :delta)"
)


def session_cash(
    session: Session, ctx: CoopContext, session_id: uuid.UUID, currency: str, delta: Decimal
) -> CounterCash:
    """The cash of a given till session (a supervisor pays a withdrawal another asked at
    it), by the session's rules (``coopac_session_cash``, sql/functions/): open, of today,
    never below zero or above the ceiling; its row locked."""
    with rules.refusals():
        row = session.execute(
            SESSION_CASH,
            {"c": ctx.cooperative_id, "s": session_id, "cur": currency, "delta": delta},
        ).one()
    gl = ledger.get_gl_account(session, ctx.cooperative_id, row.gl_account_id)
    return CounterCash(gl, row.branch_id, row.session_id)


def receipt_number_of(
    session: Session, cooperative_id: uuid.UUID, entry_id: uuid.UUID
) -> str | None:
    number: str | None = session.exec(
        select(Receipt.number).where(
            Receipt.cooperative_id == cooperative_id, Receipt.journal_entry_id == entry_id
        )
    ).first()
    return number
