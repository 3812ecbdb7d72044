"""the UIF's work beside the large-cash register: reports of unusual operations
(suspicious_operation), confidential: the compliance officer reads and decides them, the
federation's role gets nothing of them; the screening lists a cooperative is given
(screening_entry); and a resource's trail in the audit (who read a report)

Revision ID: 0061
Revises: 0060
Create Date: 2026-12-08 01:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from frozen import rls

revision: str = "0061"
down_revision: str | None = "0060"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "screening_entry",
        sa.Column("cooperative_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("list_name", sa.String(length=60), nullable=False),
        sa.Column("document_number", sa.String(length=20), nullable=True),
        sa.Column("names", sa.String(length=300), nullable=False),
        sa.Column("names_key", sa.String(length=300), nullable=False),
        sa.Column("listed_on", sa.Date(), nullable=True),
        sa.Column("loaded_by", sa.String(length=100), nullable=False),
        sa.Column(
            "loaded_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False
        ),
        sa.ForeignKeyConstraint(
            ["cooperative_id"], ["cooperative.id"], name=op.f("screening_entry_cooperative_id_fkey")
        ),
        sa.PrimaryKeyConstraint("cooperative_id", "id", name=op.f("screening_entry_pkey")),
    )
    op.create_index(
        "ix_screening_entry_document",
        "screening_entry",
        ["cooperative_id", "document_number"],
        unique=False,
    )
    op.create_index(
        "ix_screening_entry_names", "screening_entry", ["cooperative_id", "names_key"], unique=False
    )
    op.create_table(
        "suspicious_operation",
        sa.Column("cooperative_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("member_id", sa.Uuid(), nullable=True),
        sa.Column("journal_entry_id", sa.Uuid(), nullable=True),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("reported_by", sa.String(length=100), nullable=False),
        sa.Column("reported_by_id", sa.Uuid(), nullable=True),
        sa.Column(
            "reported_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("decided_by", sa.String(length=100), nullable=True),
        sa.Column("decided_by_id", sa.Uuid(), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("submitted_on", sa.Date(), nullable=True),
        sa.Column("uif_reference", sa.String(length=100), nullable=True),
        sa.Column("dismiss_reason", sa.String(length=500), nullable=True),
        sa.ForeignKeyConstraint(
            ["cooperative_id", "journal_entry_id"],
            ["journal_entry.cooperative_id", "journal_entry.id"],
            name=op.f("suspicious_operation_cooperative_id_journal_entry_id_fkey"),
        ),
        sa.ForeignKeyConstraint(
            ["cooperative_id", "member_id"],
            ["member.cooperative_id", "member.id"],
            name=op.f("suspicious_operation_cooperative_id_member_id_fkey"),
        ),
        sa.ForeignKeyConstraint(
            ["cooperative_id"],
            ["cooperative.id"],
            name=op.f("suspicious_operation_cooperative_id_fkey"),
        ),
        sa.PrimaryKeyConstraint("cooperative_id", "id", name=op.f("suspicious_operation_pkey")),
    )
    op.create_index(
        "ix_suspicious_operation_status",
        "suspicious_operation",
        ["cooperative_id", "status", "reported_at"],
        unique=False,
    )
    op.create_index(
        "ix_audit_event_resource",
        "audit_event",
        ["cooperative_id", "resource_type", "resource_id"],
        unique=False,
    )
    app = rls.app_role()
    federation = '"' + f"{app[1:-1]}_federation" + '"'
    for table, grants in (
        ("suspicious_operation", "SELECT, INSERT, UPDATE"),
        ("screening_entry", "SELECT, INSERT, DELETE"),
    ):
        rls.enable_tenant_rls(table)
        op.execute(f"ALTER TABLE {table} FORCE ROW LEVEL SECURITY")
        op.execute(f"REVOKE ALL ON {table} FROM {app}, {federation}")
        op.execute(f"GRANT {grants} ON {table} TO {app}")


def downgrade() -> None:
    op.drop_index("ix_audit_event_resource", table_name="audit_event")
    op.drop_index("ix_suspicious_operation_status", table_name="suspicious_operation")
    op.drop_table("suspicious_operation")
    op.drop_index("ix_screening_entry_names", table_name="screening_entry")
    op.drop_index("ix_screening_entry_document", table_name="screening_entry")
    op.drop_table("screening_entry")
