"""repair: a database migrated at an earlier commit of main reaches the schema of a fresh
install

Revision ID: 0038
Revises: 0037
Create Date: 2026-12-07 08:00:00

Eight released migrations were edited after they had been on main (0015, 0016, 0017, 0019,
0020, 0028, 0031, 0035), so a database migrated at one of those commits differs from a
fresh install. Each repair below finds its drift and leaves anything else alone, so any
combination of them, and a fresh install, end alike. Migrated at the commit before:
- 84cf014 (0015): cob_step without part and parts; savings_accrual and
  savings_capitalisation with foreign keys to savings_account; no fillfactor on the member
  accounts' tables.
- a1edaeb, f3f87eb (0015, 0016): no ix_savings_account_product.
- a53c298 (0017): no ix_loan_collateral_loan, ix_loan_installment_paid or _unpaid.
- ea2eadc, ae8f5fb, 85364bb (0019): no adjustment_request; period_member_deposit a row per
  currency, without sex and branch, its month end refused (no DELETE granted); foreign
  keys from the month's loan and debtor classifications.
- c4ce256 (0020): see migrations/frozen/history.py, which puts it back before 0021.
- 4bd57f4 (0028): coopac_entry_events as it was; 5698bdf (0035): coopac_session_cash.
(0031's edit changed no schema.) A table rebuilt keeps its rows: cob_step's steps become
their single part; period_member_deposit's rows per currency become one per member with
the member's sex and branch of today, the nearest the old rows allow.
"""

from collections.abc import Sequence

from alembic import context, op
from frozen import rls
from sqlalchemy import text

revision: str = "0038"
down_revision: str | None = "0037"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ENTRY_EVENTS = r"""
CREATE OR REPLACE FUNCTION public.coopac_entry_events()
 RETURNS trigger
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'public', 'pg_temp'
AS $function$
BEGIN
    INSERT INTO event (cooperative_id, id, type, subject_kind, subject_id, entry_id,
        business_date, data)
    SELECT e.cooperative_id, gen_random_uuid(),
        CASE e.kind WHEN 'loan_disbursement' THEN 'loan.disbursed'
                    WHEN 'loan_repayment' THEN 'loan.repaid'
                    WHEN 'loan_write_off' THEN 'loan.written_off'
                    ELSE 'money.' || e.kind END,
        CASE WHEN e.kind IN ('loan_disbursement', 'loan_repayment', 'loan_write_off')
                  AND c.loan_id IS NOT NULL THEN 'loan' ELSE 'journal_entry' END,
        CASE WHEN e.kind IN ('loan_disbursement', 'loan_repayment', 'loan_write_off')
                  AND c.loan_id IS NOT NULL THEN c.loan_id ELSE e.id END::text,
        e.id, e.business_date,
        jsonb_build_object(
            'entry_id', e.id, 'kind', e.kind, 'business_date', e.business_date,
            'branch_id', e.branch_id, 'channel', e.channel, 'reversal_of', e.reversal_of,
            'description', e.description, 'actor', e.actor_name,
            'amounts', coalesce(a.amounts, '{}'::jsonb),
            'accounts', coalesce(m.accounts, '[]'::jsonb), 'accounts_total', c.n)
    FROM (SELECT DISTINCT cooperative_id, entry_id FROM new_postings) n
    JOIN journal_entry e ON e.cooperative_id = n.cooperative_id AND e.id = n.entry_id
    CROSS JOIN LATERAL (
        SELECT jsonb_object_agg(t.currency, coopac_amount_json(t.total)) AS amounts
        FROM (SELECT p.currency, sum(p.amount) AS total FROM new_postings p
              WHERE p.cooperative_id = n.cooperative_id AND p.entry_id = n.entry_id
                AND p.amount > 0
              GROUP BY p.currency) t
    ) a
    CROSS JOIN LATERAL (
        SELECT count(*) AS n,
            (array_agg(p.account_id) FILTER (WHERE p.account_kind = 'loan'))[1] AS loan_id
        FROM new_postings p
        WHERE p.cooperative_id = n.cooperative_id AND p.entry_id = n.entry_id
          AND p.account_id IS NOT NULL
    ) c
    -- the accounts' numbers and members, looked up for the first 100 lines only
    CROSS JOIN LATERAL (
        SELECT jsonb_agg(jsonb_build_object(
                'account_kind', l.account_kind, 'account_id', l.account_id,
                'member_id', coalesce(s.member_id, h.member_id, o.member_id),
                'number', coalesce(s.number, o.number), 'currency', l.currency,
                'change', coopac_amount_json(
                    CASE l.account_kind WHEN 'loan' THEN l.amount ELSE -l.amount END),
                'balance_after', coopac_amount_json(l.balance_after))
                ORDER BY l.id) AS accounts
        FROM (
            SELECT p.* FROM new_postings p
            WHERE p.cooperative_id = n.cooperative_id AND p.entry_id = n.entry_id
              AND p.account_id IS NOT NULL
            ORDER BY p.id LIMIT 100
        ) l
        LEFT JOIN savings_account s ON l.account_kind = 'savings'
            AND s.cooperative_id = l.cooperative_id AND s.id = l.account_id
        LEFT JOIN share_account h ON l.account_kind = 'share'
            AND h.cooperative_id = l.cooperative_id AND h.id = l.account_id
        LEFT JOIN loan o ON l.account_kind = 'loan'
            AND o.cooperative_id = l.cooperative_id AND o.id = l.account_id
    ) m
    ON CONFLICT DO NOTHING;
    RETURN NULL;
END
$function$
;
"""

SESSION_CASH = r"""
CREATE OR REPLACE FUNCTION public.coopac_session_cash(
    p_coop uuid, p_session uuid, p_currency text, p_delta numeric,
    OUT gl_account_id uuid, OUT branch_id uuid, OUT session_id uuid)
 RETURNS record
 LANGUAGE plpgsql
AS $function$
DECLARE
    v record;
    v_read boolean := false;  -- the till read as its rules need it
BEGIN
    -- cash brought into a till without a ceiling needs nothing of its balance: read
    -- unlocked; a rule that reads the balance reads it locked
    IF p_delta >= 0 THEN
        SELECT s.id, s.status, s.branch_id, s.business_date, c.gl_account_id, c.balance,
            c.ceiling INTO v
        FROM till_session s JOIN till_cash c ON c.cooperative_id = s.cooperative_id
            AND c.till_id = s.till_id AND c.currency = p_currency
        WHERE s.cooperative_id = p_coop AND s.id = p_session;
        v_read := v.ceiling IS NULL;
    END IF;
    IF NOT v_read THEN
        SELECT s.id, s.status, s.branch_id, s.business_date, c.gl_account_id, c.balance,
            c.ceiling INTO v
        FROM till_session s JOIN till_cash c ON c.cooperative_id = s.cooperative_id
            AND c.till_id = s.till_id AND c.currency = p_currency
        WHERE s.cooperative_id = p_coop AND s.id = p_session
        FOR UPDATE OF c;
    END IF;
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
$function$
;
"""

TENANT_POLICY = (
    "CREATE POLICY tenant_isolation ON {table} "
    "USING (coopac_tenant_all() OR cooperative_id = coopac_tenant()) "
    "WITH CHECK (coopac_tenant_all() OR cooperative_id = coopac_tenant())"
)


def _exists(sql: str, **params: str) -> bool:
    return bool(op.get_bind().execute(text(sql), params).scalar())


def _column(table: str, column: str) -> bool:
    return _exists(
        "SELECT EXISTS (SELECT 1 FROM information_schema.columns WHERE table_schema = "
        "'public' AND table_name = :t AND column_name = :c)",
        t=table,
        c=column,
    )


def _roles() -> tuple[str, str]:
    app = context.config.attributes.get("app_role") or "coopac_app"
    return rls.app_role(), '"' + f"{app}_federation".replace('"', '""') + '"'


def _tenant_table(table: str, app_grants: str, federation_grants: str) -> None:
    """Row-level security and the grants a fresh install gives ``table``."""
    app, federation = _roles()
    op.execute(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
    op.execute(f"ALTER TABLE {table} FORCE ROW LEVEL SECURITY")
    op.execute(TENANT_POLICY.format(table=table))
    op.execute(f"REVOKE ALL ON {table} FROM {app}, {federation}")
    op.execute(f"GRANT {app_grants} ON {table} TO {app}")
    op.execute(f"GRANT {federation_grants} ON {table} TO {federation}")


def _rebuild_cob_step() -> None:
    op.execute("ALTER TABLE cob_step RENAME TO cob_step_before_repair")
    op.execute(
        "ALTER TABLE cob_step_before_repair RENAME CONSTRAINT cob_step_pkey "
        "TO cob_step_before_repair_pkey"
    )
    op.execute(
        "ALTER TABLE cob_step_before_repair RENAME CONSTRAINT cob_step_cooperative_id_run_id_fkey "
        "TO cob_step_before_repair_fkey"
    )
    op.execute(
        """
        CREATE TABLE cob_step (
            cooperative_id uuid NOT NULL,
            run_id uuid NOT NULL,
            name character varying(40) NOT NULL,
            part integer NOT NULL,
            parts integer NOT NULL,
            "position" integer NOT NULL,
            status character varying(10) NOT NULL,
            processed integer NOT NULL,
            total integer NOT NULL,
            done_through date,
            cursor character varying(200),
            CONSTRAINT status_valid CHECK (status IN ('pending', 'running', 'succeeded', 'failed')),
            CONSTRAINT cob_step_pkey PRIMARY KEY (cooperative_id, run_id, name, part),
            CONSTRAINT cob_step_cooperative_id_run_id_fkey FOREIGN KEY (cooperative_id, run_id)
                REFERENCES cob_run (cooperative_id, id)
        )
        """
    )
    # the owner reads every cooperative's rows while it copies them
    op.execute("ALTER TABLE cob_step_before_repair NO FORCE ROW LEVEL SECURITY")
    op.execute(
        "INSERT INTO cob_step SELECT cooperative_id, run_id, name, 0, 1, position, status, "
        "processed, total, done_through, cursor FROM cob_step_before_repair"
    )
    op.execute("DROP TABLE cob_step_before_repair")
    _tenant_table("cob_step", "SELECT, INSERT, UPDATE", "SELECT, INSERT, UPDATE")


def _rebuild_period_member_deposit() -> None:
    op.execute("ALTER TABLE period_member_deposit RENAME TO period_member_deposit_before_repair")
    op.execute(
        "ALTER TABLE period_member_deposit_before_repair RENAME CONSTRAINT "
        "period_member_deposit_pkey TO period_member_deposit_before_repair_pkey"
    )
    op.execute(
        """
        CREATE TABLE period_member_deposit (
            cooperative_id uuid NOT NULL,
            period character varying(7) NOT NULL,
            member_id uuid NOT NULL,
            sex character varying(1),
            branch_id uuid,
            accounts integer NOT NULL,
            balance_pen numeric(18,2) NOT NULL,
            accrued_pen numeric(18,2) NOT NULL,
            balance_usd numeric(18,2) NOT NULL,
            accrued_usd numeric(18,2) NOT NULL,
            CONSTRAINT period_member_deposit_pkey PRIMARY KEY (cooperative_id, period, member_id)
        )
        """
    )
    op.execute("ALTER TABLE period_member_deposit_before_repair NO FORCE ROW LEVEL SECURITY")
    op.execute("ALTER TABLE member NO FORCE ROW LEVEL SECURITY")
    op.execute(
        """
        INSERT INTO period_member_deposit
        SELECT d.cooperative_id, d.period, d.member_id, m.sex, m.branch_id, sum(d.accounts),
            coalesce(sum(d.balance) FILTER (WHERE d.currency = 'PEN'), 0),
            coalesce(sum(d.accrued_interest) FILTER (WHERE d.currency = 'PEN'), 0),
            coalesce(sum(d.balance) FILTER (WHERE d.currency = 'USD'), 0),
            coalesce(sum(d.accrued_interest) FILTER (WHERE d.currency = 'USD'), 0)
        FROM period_member_deposit_before_repair d
        LEFT JOIN member m ON m.cooperative_id = d.cooperative_id AND m.id = d.member_id
        GROUP BY d.cooperative_id, d.period, d.member_id, m.sex, m.branch_id
        """
    )
    op.execute("ALTER TABLE member FORCE ROW LEVEL SECURITY")
    op.execute("DROP TABLE period_member_deposit_before_repair")
    _tenant_table("period_member_deposit", "SELECT, INSERT, DELETE", "SELECT, INSERT")
    # as 0019 has them (after the rows are in: a closed month refuses new rows)
    op.execute(
        "CREATE TRIGGER period_member_deposit_closed_change BEFORE DELETE OR UPDATE ON "
        "period_member_deposit FOR EACH ROW "
        "EXECUTE FUNCTION coopac_refuse_change_of_closed_period()"
    )
    op.execute(
        "CREATE TRIGGER period_member_deposit_closed_insert AFTER INSERT ON "
        "period_member_deposit REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT "
        "EXECUTE FUNCTION coopac_refuse_rows_of_closed_period()"
    )


def _create_adjustment_request() -> None:
    op.execute(
        """
        CREATE TABLE adjustment_request (
            cooperative_id uuid NOT NULL,
            id uuid NOT NULL,
            status character varying(8) NOT NULL,
            business_date date NOT NULL,
            description character varying(300) NOT NULL,
            lines jsonb NOT NULL,
            requested_by character varying(100) NOT NULL,
            requested_by_id uuid,
            requested_at timestamp with time zone DEFAULT now() NOT NULL,
            decided_by character varying(100),
            decided_by_id uuid,
            decided_at timestamp with time zone,
            decision_note character varying(300),
            journal_entry_id uuid,
            CONSTRAINT decided_by_another_person
                CHECK (decided_by_id IS NULL OR decided_by_id <> requested_by_id),
            CONSTRAINT status_valid CHECK (status IN ('pending', 'approved', 'rejected')),
            CONSTRAINT adjustment_request_pkey PRIMARY KEY (cooperative_id, id),
            CONSTRAINT adjustment_request_cooperative_id_fkey FOREIGN KEY (cooperative_id)
                REFERENCES cooperative (id)
        )
        """
    )
    op.execute(
        "CREATE INDEX ix_adjustment_request_status ON adjustment_request "
        "(cooperative_id, status, requested_at)"
    )
    _tenant_table("adjustment_request", "SELECT, INSERT, UPDATE", "SELECT, INSERT")


def upgrade() -> None:
    # 0015
    if not _column("cob_step", "part"):
        _rebuild_cob_step()
    for table in ("savings_accrual", "savings_capitalisation"):
        op.execute(
            f"ALTER TABLE {table} DROP CONSTRAINT IF EXISTS {table}_cooperative_id_account_id_fkey"
        )
    for table in ("savings_account", "share_account", "loan"):
        op.execute(f"ALTER TABLE {table} SET (fillfactor = 80)")
    # 0016
    op.execute(
        "CREATE INDEX IF NOT EXISTS ix_savings_account_product ON savings_account "
        "(cooperative_id, product_id, id)"
    )
    # 0017
    op.execute(
        "CREATE INDEX IF NOT EXISTS ix_loan_collateral_loan ON loan_collateral "
        "(cooperative_id, loan_id)"
    )
    op.execute(
        "CREATE INDEX IF NOT EXISTS ix_loan_installment_paid ON loan_installment "
        "(cooperative_id, paid_on) WHERE paid_on IS NOT NULL"
    )
    op.execute(
        "CREATE INDEX IF NOT EXISTS ix_loan_installment_unpaid ON loan_installment "
        "(cooperative_id, due_date) WHERE paid_on IS NULL"
    )
    # 0019
    if not _exists("SELECT to_regclass('adjustment_request') IS NOT NULL"):
        _create_adjustment_request()
    if _column("period_member_deposit", "currency"):
        _rebuild_period_member_deposit()
    op.execute(
        "ALTER TABLE loan_classification DROP CONSTRAINT IF EXISTS "
        "loan_classification_cooperative_id_loan_id_fkey"
    )
    op.execute(
        "ALTER TABLE debtor_classification DROP CONSTRAINT IF EXISTS "
        "debtor_classification_cooperative_id_member_id_fkey"
    )
    op.execute(f"GRANT DELETE ON period_member_deposit TO {rls.app_role()}")
    # 0028 and 0035: the functions as a fresh install has them (the same text again there)
    op.execute(ENTRY_EVENTS)
    op.execute(SESSION_CASH)


def downgrade() -> None:
    # Nothing to undo: a fresh install at 0037 already has all of this.
    pass
