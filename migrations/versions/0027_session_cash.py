"""session cash: the cash rules of a till session (open, of today, never below zero or above
the ceiling) are one database function, coopac_session_cash, which the caller's own cash
(coopac_counter_cash) and a supervisor's approval of a waiting withdrawal both run

Revision ID: 0027
Revises: 0026
Create Date: 2026-11-27 01:10:00
"""

from collections.abc import Sequence

from alembic import op
from frozen import rls

revision: str = "0027"
down_revision: str | None = "0026"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

FUNCTIONS = r"""
-- The cash of a till session for an operation that moves p_delta into it (negative: out),
-- its row locked: refused if the session is closed, of a day already closed, or if the
-- till would go below zero or above its ceiling.
CREATE FUNCTION coopac_session_cash(
    p_coop uuid, p_session uuid, p_currency text, p_delta numeric,
    OUT gl_account_id uuid, OUT branch_id uuid, OUT session_id uuid
) LANGUAGE plpgsql AS $$
DECLARE
    v record;
BEGIN
    SELECT s.id, s.status, s.branch_id, s.business_date, c.gl_account_id, c.balance,
        c.ceiling INTO v
    FROM till_session s JOIN till_cash c ON c.cooperative_id = s.cooperative_id
        AND c.till_id = s.till_id AND c.currency = p_currency
    WHERE s.cooperative_id = p_coop AND s.id = p_session
    FOR UPDATE OF c;
    IF v.id IS NULL OR v.status <> 'open' THEN
        PERFORM coopac_refuse('till_session_closed');
    END IF;
    IF v.business_date <> (SELECT c.business_date FROM cooperative c WHERE c.id = p_coop) THEN
        PERFORM coopac_refuse('till_session_required', jsonb_build_object('detail',
            format('La sesión de caja es del %s, un día ya cerrado: ciérrela y abra otra',
                v.business_date)));
    END IF;
    IF p_delta < 0 AND v.balance + p_delta < 0 THEN
        PERFORM coopac_refuse('till_cash_insufficient', jsonb_build_object(
            'available', v.balance::text, 'currency', p_currency));
    END IF;
    IF p_delta > 0 AND v.ceiling IS NOT NULL AND v.balance + p_delta > v.ceiling THEN
        PERFORM coopac_refuse('till_cash_limit', jsonb_build_object(
            'limit', v.ceiling::text, 'currency', p_currency));
    END IF;
    gl_account_id := v.gl_account_id;
    branch_id := v.branch_id;
    session_id := v.id;
END
$$;

-- The caller's cash at the counter: their open session (at the branch asked, if one is),
-- then its cash by the session's rules.
CREATE OR REPLACE FUNCTION coopac_counter_cash(
    p_coop uuid, p_branch uuid, p_currency text, p_actor jsonb, p_delta numeric,
    OUT gl_account_id uuid, OUT branch_id uuid, OUT session_id uuid
) LANGUAGE plpgsql AS $$
DECLARE
    v record;
BEGIN
    SELECT s.id, s.branch_id INTO v FROM till_session s
    WHERE s.cooperative_id = p_coop AND s.teller_id = (p_actor ->> 'person')::uuid
        AND s.status = 'open';
    IF p_branch IS NOT NULL AND (v.branch_id IS NULL OR p_branch <> v.branch_id)
       AND NOT EXISTS (SELECT 1 FROM branch b WHERE b.cooperative_id = p_coop
                       AND b.id = p_branch) THEN
        PERFORM coopac_refuse('branch_not_found');
    END IF;
    IF v.id IS NULL THEN
        PERFORM coopac_refuse('till_session_required');
    END IF;
    IF p_branch IS NOT NULL AND p_branch <> v.branch_id THEN
        PERFORM coopac_refuse('till_session_required', jsonb_build_object('detail',
            'Su caja abierta es de otra agencia: opere en la agencia de su caja'));
    END IF;
    SELECT * INTO gl_account_id, branch_id, session_id
    FROM coopac_session_cash(p_coop, v.id, p_currency, p_delta);
END
$$;
"""

NAME = "coopac_session_cash(uuid, uuid, text, numeric)"
# Back to 0021: its coopac_counter_cash.
PREVIOUS_COUNTER_CASH = r"""CREATE OR REPLACE FUNCTION coopac_counter_cash(
    p_coop uuid, p_branch uuid, p_currency text, p_actor jsonb, p_delta numeric,
    OUT gl_account_id uuid, OUT branch_id uuid, OUT session_id uuid
) LANGUAGE plpgsql AS $$
DECLARE
    v record;
    v_day date;
BEGIN
    SELECT s.id, s.branch_id, s.business_date, c.gl_account_id, c.balance, c.ceiling INTO v
    FROM till_session s JOIN till_cash c ON c.cooperative_id = s.cooperative_id
        AND c.till_id = s.till_id AND c.currency = p_currency
    WHERE s.cooperative_id = p_coop AND s.teller_id = (p_actor ->> 'person')::uuid
        AND s.status = 'open'
    FOR UPDATE OF c;
    IF p_branch IS NOT NULL AND (v.branch_id IS NULL OR p_branch <> v.branch_id)
       AND NOT EXISTS (SELECT 1 FROM branch b WHERE b.cooperative_id = p_coop
                       AND b.id = p_branch) THEN
        PERFORM coopac_refuse('branch_not_found');
    END IF;
    IF v.id IS NULL THEN
        PERFORM coopac_refuse('till_session_required');
    END IF;
    IF p_branch IS NOT NULL AND p_branch <> v.branch_id THEN
        PERFORM coopac_refuse('till_session_required', jsonb_build_object('detail',
            'Su caja abierta es de otra agencia: opere en la agencia de su caja'));
    END IF;
    SELECT c.business_date INTO v_day FROM cooperative c WHERE c.id = p_coop;
    IF v.business_date <> v_day THEN
        PERFORM coopac_refuse('till_session_required', jsonb_build_object('detail',
            format('Su sesión de caja es del %s, un día ya cerrado: ciérrela y abra otra',
                v.business_date)));
    END IF;
    IF p_delta < 0 AND v.balance + p_delta < 0 THEN
        PERFORM coopac_refuse('till_cash_insufficient', jsonb_build_object(
            'available', v.balance::text, 'currency', p_currency));
    END IF;
    IF p_delta > 0 AND v.ceiling IS NOT NULL AND v.balance + p_delta > v.ceiling THEN
        PERFORM coopac_refuse('till_cash_limit', jsonb_build_object(
            'limit', v.ceiling::text, 'currency', p_currency));
    END IF;
    gl_account_id := v.gl_account_id;
    branch_id := v.branch_id;
    session_id := v.id;
END
$$;
"""


def upgrade() -> None:
    op.execute(FUNCTIONS)
    op.execute(f"REVOKE ALL ON FUNCTION {NAME} FROM PUBLIC")
    op.execute(f"GRANT EXECUTE ON FUNCTION {NAME} TO {rls.app_role()}")


def downgrade() -> None:
    op.execute(PREVIOUS_COUNTER_CASH)
    op.execute(f"DROP FUNCTION {NAME}")
