"""one approvals engine: every four-eyes request (a reversal, an entry by hand, a cash
withdrawal above the threshold, a write-off) is a row of approval_request, with its kind,
who asked, what approving it would do, when it expires and who decided it. The three
tables and the loan's columns that held them before are moved into it and dropped.

Revision ID: 0041
Revises: 0040
Create Date: 2026-12-07 09:36:28.168776
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import context, op
from frozen import rls
from sqlalchemy.dialects import postgresql

revision: str = "0041"
down_revision: str | None = "0040"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Moved as they are; a request still pending expires a kind's time after it was asked.
MOVE_IN = """
SELECT set_config('coopac.tenant', '*', true);
INSERT INTO approval_request (cooperative_id, id, kind, status, subject_kind, subject_id,
    pending_key, payload, requested_by, requested_by_id, requested_at, expires_at,
    decided_by, decided_by_id, decided_at, decision_note, journal_entry_id)
SELECT cooperative_id, id, 'reversal', status, 'journal_entry', journal_entry_id,
    CASE WHEN status = 'pending' THEN journal_entry_id::text END,
    jsonb_build_object('reason', reason), requested_by, requested_by_id, requested_at,
    requested_at + interval '7 days', decided_by, decided_by_id, decided_at, decision_note,
    reversal_entry_id
FROM reversal_request
UNION ALL
SELECT cooperative_id, id, 'adjustment', status, NULL, NULL, NULL,
    jsonb_build_object('business_date', business_date, 'description', description,
        'lines', lines),
    requested_by, requested_by_id, requested_at, requested_at + interval '30 days',
    decided_by, decided_by_id, decided_at, decision_note, journal_entry_id
FROM adjustment_request
UNION ALL
SELECT cooperative_id, id, 'withdrawal',
    CASE status WHEN 'pending_approval' THEN 'pending' ELSE status END,
    'savings_account', account_id, NULL,
    jsonb_build_object('amount', amount::text, 'currency', currency,
        'description', description, 'till_session_id', till_session_id::text),
    requested_by, requested_by_id, requested_at, requested_at + interval '12 hours',
    decided_by, decided_by_id, decided_at, decision_note, journal_entry_id
FROM withdrawal_request
UNION ALL
-- a write-off asked for: approved if the loan is written off (by whom, from the audit
-- trail; the entry, from the loan's operations), else still waiting
SELECT l.cooperative_id, gen_random_uuid(), 'write_off',
    CASE WHEN l.status = 'written_off' THEN 'approved' ELSE 'pending' END,
    'loan', l.id, CASE WHEN l.status = 'written_off' THEN NULL ELSE l.id::text END,
    CASE WHEN l.status = 'written_off' THEN '{}'::jsonb
         ELSE jsonb_build_object('balance', l.balance::text) END,
    l.write_off_requested_by, l.write_off_requested_by_id, l.write_off_requested_at,
    l.write_off_requested_at + interval '30 days',
    d.actor_name, d.actor_user_id, d.occurred_at, NULL, w.journal_entry_id
FROM loan l
LEFT JOIN LATERAL (
    SELECT a.actor_name, a.actor_user_id, a.occurred_at FROM audit_event a
    WHERE l.status = 'written_off' AND a.cooperative_id = l.cooperative_id
        AND a.action = 'loan.write_off' AND a.resource_type = 'loan'
        AND a.resource_id = l.id::text
    ORDER BY a.occurred_at DESC LIMIT 1
) d ON true
LEFT JOIN LATERAL (
    SELECT o.journal_entry_id FROM loan_operation o JOIN journal_entry e
        ON e.cooperative_id = o.cooperative_id AND e.id = o.journal_entry_id
    WHERE l.status = 'written_off' AND o.cooperative_id = l.cooperative_id
        AND o.loan_id = l.id AND e.kind = 'loan_write_off'
    ORDER BY e.seq DESC LIMIT 1
) w ON true
WHERE l.write_off_requested_at IS NOT NULL;
"""

# Back to the tables of 0040: an expired request was never decided, and they knew no such
# status, so it goes back as rejected. Only the kinds they held leave approval_request; any
# other kind stays, and dropping the table then refuses (migrations/env.py).
MOVE_OUT = """
SELECT set_config('coopac.tenant', '*', true);
INSERT INTO reversal_request (cooperative_id, id, journal_entry_id, status, reason,
    requested_by, requested_by_id, requested_at, decided_by, decided_by_id, decided_at,
    decision_note, reversal_entry_id)
SELECT cooperative_id, id, subject_id,
    CASE status WHEN 'expired' THEN 'rejected' ELSE status END, payload ->> 'reason',
    requested_by, requested_by_id, requested_at, decided_by, decided_by_id, decided_at,
    decision_note, journal_entry_id
FROM approval_request WHERE kind = 'reversal';
INSERT INTO adjustment_request (cooperative_id, id, status, business_date, description, lines,
    requested_by, requested_by_id, requested_at, decided_by, decided_by_id, decided_at,
    decision_note, journal_entry_id)
SELECT cooperative_id, id, CASE status WHEN 'expired' THEN 'rejected' ELSE status END,
    (payload ->> 'business_date')::date, payload ->> 'description', payload -> 'lines',
    requested_by, requested_by_id, requested_at, decided_by, decided_by_id, decided_at,
    decision_note, journal_entry_id
FROM approval_request WHERE kind = 'adjustment';
INSERT INTO withdrawal_request (cooperative_id, id, account_id, amount, currency, description,
    status, till_session_id, requested_by, requested_by_id, requested_at, decided_by,
    decided_by_id, decided_at, decision_note, journal_entry_id)
SELECT cooperative_id, id, subject_id, (payload ->> 'amount')::numeric,
    payload ->> 'currency', payload ->> 'description',
    CASE status WHEN 'pending' THEN 'pending_approval' WHEN 'expired' THEN 'rejected'
        ELSE status END,
    (payload ->> 'till_session_id')::uuid, requested_by, requested_by_id, requested_at,
    decided_by, decided_by_id, decided_at, decision_note, journal_entry_id
FROM approval_request WHERE kind = 'withdrawal';
UPDATE loan l SET write_off_requested_by = r.requested_by,
    write_off_requested_by_id = r.requested_by_id, write_off_requested_at = r.requested_at
FROM (
    SELECT DISTINCT ON (cooperative_id, subject_id) cooperative_id, subject_id, requested_by,
        requested_by_id, requested_at
    FROM approval_request WHERE kind = 'write_off' AND status IN ('pending', 'approved')
    ORDER BY cooperative_id, subject_id, requested_at DESC
) r
WHERE l.cooperative_id = r.cooperative_id AND l.id = r.subject_id;
DELETE FROM approval_request
WHERE kind IN ('reversal', 'adjustment', 'withdrawal', 'write_off');
"""


def upgrade() -> None:
    op.create_table(
        "approval_request",
        sa.Column("cooperative_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("subject_kind", sa.String(length=32), nullable=True),
        sa.Column("subject_id", sa.Uuid(), nullable=True),
        sa.Column("pending_key", sa.String(length=64), nullable=True),
        sa.Column(
            "payload",
            postgresql.JSONB(astext_type=sa.Text()),
            server_default=sa.text("'{}'::jsonb"),
            nullable=False,
        ),
        sa.Column("requested_by", sa.String(length=100), nullable=False),
        sa.Column("requested_by_id", sa.Uuid(), nullable=True),
        sa.Column(
            "requested_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("decided_by", sa.String(length=100), nullable=True),
        sa.Column("decided_by_id", sa.Uuid(), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("decision_note", sa.String(length=300), nullable=True),
        sa.Column("journal_entry_id", sa.Uuid(), nullable=True),
        sa.CheckConstraint(
            "status IN ('pending', 'approved', 'rejected', 'expired')", name=op.f("status_valid")
        ),
        sa.CheckConstraint(
            "decided_by_id IS NULL OR decided_by_id <> requested_by_id",
            name=op.f("decided_by_another_person"),
        ),
        sa.ForeignKeyConstraint(
            ["cooperative_id"],
            ["cooperative.id"],
            name=op.f("approval_request_cooperative_id_fkey"),
        ),
        sa.PrimaryKeyConstraint("cooperative_id", "id", name=op.f("approval_request_pkey")),
    )
    op.create_index(
        "ix_approval_request_queue",
        "approval_request",
        ["cooperative_id", "kind", "status", "requested_at"],
        unique=False,
    )
    op.create_index(
        "uq_approval_request_pending",
        "approval_request",
        ["cooperative_id", "kind", "pending_key"],
        unique=True,
        postgresql_where=sa.text("status = 'pending' AND pending_key IS NOT NULL"),
    )
    rls.enable_tenant_rls("approval_request")
    op.execute("ALTER TABLE approval_request FORCE ROW LEVEL SECURITY")
    op.execute(f"GRANT UPDATE ON approval_request TO {rls.app_role()}")
    op.execute(MOVE_IN)
    op.drop_index(op.f("ix_reversal_request_status"), table_name="reversal_request")
    op.drop_index(
        op.f("uq_reversal_request_pending"),
        table_name="reversal_request",
        postgresql_where="((status)::text = 'pending'::text)",
    )
    op.drop_table("reversal_request")
    op.drop_index(op.f("ix_withdrawal_request_status"), table_name="withdrawal_request")
    op.drop_table("withdrawal_request")
    op.drop_index(op.f("ix_adjustment_request_status"), table_name="adjustment_request")
    op.drop_table("adjustment_request")
    op.drop_column("loan", "write_off_requested_by_id")
    op.drop_column("loan", "write_off_requested_at")
    op.drop_column("loan", "write_off_requested_by")


def downgrade() -> None:
    op.add_column(
        "loan",
        sa.Column(
            "write_off_requested_by", sa.VARCHAR(length=100), autoincrement=False, nullable=True
        ),
    )
    op.add_column(
        "loan",
        sa.Column(
            "write_off_requested_at",
            postgresql.TIMESTAMP(timezone=True),
            autoincrement=False,
            nullable=True,
        ),
    )
    op.add_column(
        "loan",
        sa.Column("write_off_requested_by_id", sa.UUID(), autoincrement=False, nullable=True),
    )
    op.create_table(
        "adjustment_request",
        sa.Column("cooperative_id", sa.UUID(), autoincrement=False, nullable=False),
        sa.Column("id", sa.UUID(), autoincrement=False, nullable=False),
        sa.Column("status", sa.VARCHAR(length=8), autoincrement=False, nullable=False),
        sa.Column("business_date", sa.DATE(), autoincrement=False, nullable=False),
        sa.Column("description", sa.VARCHAR(length=300), autoincrement=False, nullable=False),
        sa.Column(
            "lines", postgresql.JSONB(astext_type=sa.Text()), autoincrement=False, nullable=False
        ),
        sa.Column("requested_by", sa.VARCHAR(length=100), autoincrement=False, nullable=False),
        sa.Column("requested_by_id", sa.UUID(), autoincrement=False, nullable=True),
        sa.Column(
            "requested_at",
            postgresql.TIMESTAMP(timezone=True),
            server_default=sa.text("now()"),
            autoincrement=False,
            nullable=False,
        ),
        sa.Column("decided_by", sa.VARCHAR(length=100), autoincrement=False, nullable=True),
        sa.Column("decided_by_id", sa.UUID(), autoincrement=False, nullable=True),
        sa.Column(
            "decided_at", postgresql.TIMESTAMP(timezone=True), autoincrement=False, nullable=True
        ),
        sa.Column("decision_note", sa.VARCHAR(length=300), autoincrement=False, nullable=True),
        sa.Column("journal_entry_id", sa.UUID(), autoincrement=False, nullable=True),
        sa.CheckConstraint(
            "status IN ('pending', 'approved', 'rejected')",
            name=op.f("status_valid"),
        ),
        sa.CheckConstraint(
            "decided_by_id IS NULL OR decided_by_id <> requested_by_id",
            name=op.f("decided_by_another_person"),
        ),
        sa.ForeignKeyConstraint(
            ["cooperative_id"],
            ["cooperative.id"],
            name=op.f("adjustment_request_cooperative_id_fkey"),
        ),
        sa.PrimaryKeyConstraint("cooperative_id", "id", name=op.f("adjustment_request_pkey")),
    )
    op.create_index(
        op.f("ix_adjustment_request_status"),
        "adjustment_request",
        ["cooperative_id", "status", "requested_at"],
        unique=False,
    )
    op.create_table(
        "withdrawal_request",
        sa.Column("cooperative_id", sa.UUID(), autoincrement=False, nullable=False),
        sa.Column("id", sa.UUID(), autoincrement=False, nullable=False),
        sa.Column("account_id", sa.UUID(), autoincrement=False, nullable=False),
        sa.Column("amount", sa.NUMERIC(precision=18, scale=2), autoincrement=False, nullable=False),
        sa.Column("currency", sa.VARCHAR(length=3), autoincrement=False, nullable=False),
        sa.Column("description", sa.VARCHAR(length=300), autoincrement=False, nullable=True),
        sa.Column("status", sa.VARCHAR(length=16), autoincrement=False, nullable=False),
        sa.Column("till_session_id", sa.UUID(), autoincrement=False, nullable=False),
        sa.Column("requested_by", sa.VARCHAR(length=100), autoincrement=False, nullable=False),
        sa.Column("requested_by_id", sa.UUID(), autoincrement=False, nullable=False),
        sa.Column(
            "requested_at",
            postgresql.TIMESTAMP(timezone=True),
            server_default=sa.text("now()"),
            autoincrement=False,
            nullable=False,
        ),
        sa.Column("decided_by", sa.VARCHAR(length=100), autoincrement=False, nullable=True),
        sa.Column("decided_by_id", sa.UUID(), autoincrement=False, nullable=True),
        sa.Column(
            "decided_at", postgresql.TIMESTAMP(timezone=True), autoincrement=False, nullable=True
        ),
        sa.Column("decision_note", sa.VARCHAR(length=300), autoincrement=False, nullable=True),
        sa.Column("journal_entry_id", sa.UUID(), autoincrement=False, nullable=True),
        sa.CheckConstraint(
            "status IN ('pending_approval', 'approved', 'rejected')",
            name=op.f("status_valid"),
        ),
        sa.CheckConstraint("amount > 0::numeric", name=op.f("amount_positive")),
        sa.CheckConstraint(
            "decided_by_id IS NULL OR decided_by_id <> requested_by_id",
            name=op.f("decided_by_another_person"),
        ),
        sa.ForeignKeyConstraint(
            ["cooperative_id"],
            ["cooperative.id"],
            name=op.f("withdrawal_request_cooperative_id_fkey"),
        ),
        sa.PrimaryKeyConstraint("cooperative_id", "id", name=op.f("withdrawal_request_pkey")),
    )
    op.create_index(
        op.f("ix_withdrawal_request_status"),
        "withdrawal_request",
        ["cooperative_id", "status", "requested_at"],
        unique=False,
    )
    op.create_table(
        "reversal_request",
        sa.Column("cooperative_id", sa.UUID(), autoincrement=False, nullable=False),
        sa.Column("id", sa.UUID(), autoincrement=False, nullable=False),
        sa.Column("journal_entry_id", sa.UUID(), autoincrement=False, nullable=False),
        sa.Column("status", sa.VARCHAR(length=8), autoincrement=False, nullable=False),
        sa.Column("reason", sa.VARCHAR(length=300), autoincrement=False, nullable=True),
        sa.Column("requested_by", sa.VARCHAR(length=100), autoincrement=False, nullable=False),
        sa.Column("requested_by_id", sa.UUID(), autoincrement=False, nullable=True),
        sa.Column(
            "requested_at",
            postgresql.TIMESTAMP(timezone=True),
            server_default=sa.text("now()"),
            autoincrement=False,
            nullable=False,
        ),
        sa.Column("decided_by", sa.VARCHAR(length=100), autoincrement=False, nullable=True),
        sa.Column("decided_by_id", sa.UUID(), autoincrement=False, nullable=True),
        sa.Column(
            "decided_at", postgresql.TIMESTAMP(timezone=True), autoincrement=False, nullable=True
        ),
        sa.Column("decision_note", sa.VARCHAR(length=300), autoincrement=False, nullable=True),
        sa.Column("reversal_entry_id", sa.UUID(), autoincrement=False, nullable=True),
        sa.CheckConstraint(
            "status IN ('pending', 'approved', 'rejected')",
            name=op.f("status_valid"),
        ),
        sa.CheckConstraint(
            "decided_by_id IS NULL OR decided_by_id <> requested_by_id",
            name=op.f("decided_by_another_person"),
        ),
        sa.ForeignKeyConstraint(
            ["cooperative_id", "journal_entry_id"],
            ["journal_entry.cooperative_id", "journal_entry.id"],
            name=op.f("reversal_request_cooperative_id_journal_entry_id_fkey"),
        ),
        sa.ForeignKeyConstraint(
            ["cooperative_id", "reversal_entry_id"],
            ["journal_entry.cooperative_id", "journal_entry.id"],
            name=op.f("reversal_request_cooperative_id_reversal_entry_id_fkey"),
        ),
        sa.ForeignKeyConstraint(
            ["cooperative_id"],
            ["cooperative.id"],
            name=op.f("reversal_request_cooperative_id_fkey"),
        ),
        sa.PrimaryKeyConstraint("cooperative_id", "id", name=op.f("reversal_request_pkey")),
    )
    op.create_index(
        op.f("uq_reversal_request_pending"),
        "reversal_request",
        ["cooperative_id", "journal_entry_id"],
        unique=True,
        postgresql_where="((status)::text = 'pending'::text)",
    )
    op.create_index(
        op.f("ix_reversal_request_status"),
        "reversal_request",
        ["cooperative_id", "status", "requested_at"],
        unique=False,
    )
    app = rls.app_role()
    role = context.config.attributes.get("app_role") or "coopac_app"
    federation = '"' + f"{role}_federation".replace('"', '""') + '"'
    for table, federation_grants in (
        ("reversal_request", "SELECT, INSERT, UPDATE"),
        ("adjustment_request", "SELECT, INSERT"),
        ("withdrawal_request", "SELECT, INSERT"),
    ):
        rls.enable_tenant_rls(table)
        op.execute(f"ALTER TABLE {table} FORCE ROW LEVEL SECURITY")
        op.execute(f"REVOKE ALL ON {table} FROM {app}, {federation}")
        op.execute(f"GRANT SELECT, INSERT, UPDATE ON {table} TO {app}")
        op.execute(f"GRANT {federation_grants} ON {table} TO {federation}")
    op.execute(MOVE_OUT)
    op.drop_index(
        "uq_approval_request_pending",
        table_name="approval_request",
        postgresql_where=sa.text("status = 'pending' AND pending_key IS NOT NULL"),
    )
    op.drop_index("ix_approval_request_queue", table_name="approval_request")
    op.drop_table("approval_request")
