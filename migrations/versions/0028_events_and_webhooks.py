"""events and webhooks: a transactional outbox (each journal entry writes its event in the
posting trigger, whoever posts; the services write the others), and one delivery per active
webhook endpoint that wants an event, made by a trigger on the outbox in the same transaction

Revision ID: 0028
Revises: 0027
Create Date: 2026-11-27 01:38:04.647903
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import context, op
from frozen import rls
from sqlalchemy.dialects import postgresql

revision: str = "0028"
down_revision: str | None = "0027"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = ("event", "webhook_endpoint", "webhook_delivery", "webhook_attempt")

FUNCTIONS = r"""
-- One event per journal entry, from the postings of the statement that posts it: the kind
-- of entry names it, its amounts per currency (the debits), and each member account it
-- moves (the change as the member sees it, and the balance after), up to 100 of them (a
-- close of business's entry moves thousands: the consumer reads the entry for the rest).
CREATE FUNCTION coopac_entry_events() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = public, pg_temp
AS $$
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
$$;

-- Each new event, to every active endpoint of its cooperative that wants it: by its exact
-- type, its group (``money.*``) or everything (``*``).
CREATE FUNCTION coopac_event_deliveries() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = public, pg_temp
AS $$
BEGIN
    INSERT INTO webhook_delivery (cooperative_id, id, endpoint_id, event_id, status, attempts,
        next_attempt_at, created_at)
    SELECT n.cooperative_id, gen_random_uuid(), w.id, n.id, 'pending', 0, now(), now()
    FROM new_events n
    JOIN webhook_endpoint w ON w.cooperative_id = n.cooperative_id AND w.status = 'active'
    WHERE '*' = ANY(w.event_types) OR n.type = ANY(w.event_types)
       OR split_part(n.type, '.', 1) || '.*' = ANY(w.event_types);
    RETURN NULL;
END
$$;
"""


def upgrade() -> None:
    # ### commands auto generated by Alembic - please adjust! ###
    op.create_table(
        "event",
        sa.Column("cooperative_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("seq", sa.BigInteger(), sa.Identity(always=True), nullable=False),
        sa.Column(
            "tx_id",
            sa.BigInteger(),
            server_default=sa.text("(pg_current_xact_id()::text)::bigint"),
            nullable=False,
        ),
        sa.Column("type", sa.String(length=64), nullable=False),
        sa.Column("subject_kind", sa.String(length=32), nullable=False),
        sa.Column("subject_id", sa.String(length=64), nullable=False),
        sa.Column("entry_id", sa.Uuid(), nullable=True),
        sa.Column("business_date", sa.Date(), nullable=False),
        sa.Column(
            "occurred_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column("data", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.ForeignKeyConstraint(
            ["cooperative_id"], ["cooperative.id"], name=op.f("event_cooperative_id_fkey")
        ),
        sa.PrimaryKeyConstraint("cooperative_id", "id", name=op.f("event_pkey")),
    )
    op.create_index("ix_event_feed", "event", ["cooperative_id", "tx_id", "seq"], unique=False)
    op.create_index(
        "uq_event_entry",
        "event",
        ["cooperative_id", "entry_id"],
        unique=True,
        postgresql_where=sa.text("entry_id IS NOT NULL"),
    )
    op.create_table(
        "webhook_attempt",
        sa.Column("cooperative_id", sa.Uuid(), nullable=False),
        sa.Column("delivery_id", sa.Uuid(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column(
            "started_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column("duration_ms", sa.Integer(), nullable=False),
        sa.Column("status_code", sa.Integer(), nullable=True),
        sa.Column("error", sa.String(length=500), nullable=True),
        sa.Column("worker", sa.String(length=100), nullable=False),
        sa.ForeignKeyConstraint(
            ["cooperative_id"], ["cooperative.id"], name=op.f("webhook_attempt_cooperative_id_fkey")
        ),
        sa.PrimaryKeyConstraint(
            "cooperative_id", "delivery_id", "number", name=op.f("webhook_attempt_pkey")
        ),
    )
    op.create_table(
        "webhook_delivery",
        sa.Column("cooperative_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("endpoint_id", sa.Uuid(), nullable=False),
        sa.Column("event_id", sa.Uuid(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column(
            "next_attempt_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column("last_status_code", sa.Integer(), nullable=True),
        sa.Column("last_error", sa.String(length=500), nullable=True),
        sa.Column("delivered_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.CheckConstraint(
            "status IN ('pending', 'sending', 'succeeded', 'failed')",
            name=op.f("delivery_status_valid"),
        ),
        sa.ForeignKeyConstraint(
            ["cooperative_id"],
            ["cooperative.id"],
            name=op.f("webhook_delivery_cooperative_id_fkey"),
        ),
        sa.PrimaryKeyConstraint("cooperative_id", "id", name=op.f("webhook_delivery_pkey")),
    )
    op.create_index(
        "ix_webhook_delivery_due",
        "webhook_delivery",
        ["next_attempt_at"],
        unique=False,
        postgresql_where=sa.text("status IN ('pending', 'sending')"),
    )
    op.create_index(
        "ix_webhook_delivery_endpoint",
        "webhook_delivery",
        ["cooperative_id", "endpoint_id", "created_at"],
        unique=False,
    )
    op.create_index(
        "uq_webhook_delivery_event",
        "webhook_delivery",
        ["cooperative_id", "endpoint_id", "event_id"],
        unique=True,
    )
    op.create_table(
        "webhook_endpoint",
        sa.Column("cooperative_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("url", sa.String(length=2000), nullable=False),
        sa.Column("event_types", postgresql.ARRAY(sa.String(length=64)), nullable=False),
        sa.Column("description", sa.String(length=500), nullable=True),
        sa.Column("secret", sa.String(length=100), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("disabled_reason", sa.String(length=500), nullable=True),
        sa.Column("disabled_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("failing_since", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_success_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_by", sa.String(length=100), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.CheckConstraint("status IN ('active', 'disabled')", name=op.f("endpoint_status_valid")),
        sa.ForeignKeyConstraint(
            ["cooperative_id"],
            ["cooperative.id"],
            name=op.f("webhook_endpoint_cooperative_id_fkey"),
        ),
        sa.PrimaryKeyConstraint("cooperative_id", "id", name=op.f("webhook_endpoint_pkey")),
    )
    # ### end Alembic commands ###
    op.execute(FUNCTIONS)
    op.execute(
        "CREATE TRIGGER posting_events AFTER INSERT ON posting "
        "REFERENCING NEW TABLE AS new_postings "
        "FOR EACH STATEMENT EXECUTE FUNCTION coopac_entry_events()"
    )
    op.execute(
        "CREATE TRIGGER event_deliveries AFTER INSERT ON event "
        "REFERENCING NEW TABLE AS new_events "
        "FOR EACH STATEMENT EXECUTE FUNCTION coopac_event_deliveries()"
    )
    app: str = context.config.attributes.get("app_role") or "coopac_app"
    for table in TABLES:
        rls.enable_tenant_rls(table)
        op.execute(f"ALTER TABLE {table} FORCE ROW LEVEL SECURITY")
    for role in (app, f"{app}_federation"):
        quoted = '"' + role.replace('"', '""') + '"'
        # the worker (federation-wide) moves deliveries and endpoints' health; the admin
        # edits an endpoint; events are append-only
        op.execute(f"GRANT UPDATE ON webhook_delivery, webhook_endpoint TO {quoted}")
        op.execute(f"REVOKE UPDATE, DELETE, TRUNCATE ON event, webhook_attempt FROM {quoted}")
    for name in ("coopac_entry_events()", "coopac_event_deliveries()"):
        op.execute(f"REVOKE EXECUTE ON FUNCTION {name} FROM PUBLIC")


def downgrade() -> None:
    op.execute("DROP TRIGGER IF EXISTS event_deliveries ON event")
    op.execute("DROP TRIGGER IF EXISTS posting_events ON posting")
    op.execute("DROP FUNCTION IF EXISTS coopac_event_deliveries()")
    op.execute("DROP FUNCTION IF EXISTS coopac_entry_events()")
    # ### commands auto generated by Alembic - please adjust! ###
    op.drop_table("webhook_endpoint")
    op.drop_index("uq_webhook_delivery_event", table_name="webhook_delivery")
    op.drop_index("ix_webhook_delivery_endpoint", table_name="webhook_delivery")
    op.drop_index(
        "ix_webhook_delivery_due",
        table_name="webhook_delivery",
        postgresql_where=sa.text("status IN ('pending', 'sending')"),
    )
    op.drop_table("webhook_delivery")
    op.drop_table("webhook_attempt")
    op.drop_index(
        "uq_event_entry", table_name="event", postgresql_where=sa.text("entry_id IS NOT NULL")
    )
    op.drop_index("ix_event_feed", table_name="event")
    op.drop_table("event")
    # ### end Alembic commands ###
