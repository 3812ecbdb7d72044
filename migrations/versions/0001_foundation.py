"""foundation: tenancy, staff, roles, api keys, audit

Revision ID: 0001
Revises:
Create Date: 2026-11-22 11:31:43.872005
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from frozen import rls
from sqlalchemy.dialects import postgresql

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.execute(rls.TENANT_FUNCTIONS)
    op.create_table(
        "cooperative",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("code", sa.String(length=20), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("ruc", sa.String(length=11), nullable=False),
        sa.Column("sbs_level", sa.String(length=2), nullable=False),
        sa.Column("base_currency", sa.String(length=3), nullable=False),
        sa.Column("timezone", sa.String(length=64), nullable=False),
        sa.Column("business_date", sa.Date(), nullable=False),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint("base_currency IN ('PEN', 'USD')", name="base_currency_valid"),
        sa.CheckConstraint("ruc ~ '^[0-9]{11}$'", name="ruc_digits"),
        sa.CheckConstraint("sbs_level IN ('1', '2A', '2B', '3')", name="sbs_level_valid"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("code"),
        sa.UniqueConstraint("ruc"),
    )
    op.create_table(
        "audit_event",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=True), nullable=False),
        sa.Column("cooperative_id", sa.Uuid(), nullable=True),
        sa.Column("actor_user_id", sa.Uuid(), nullable=True),
        sa.Column("actor_api_key_id", sa.Uuid(), nullable=True),
        sa.Column("actor_name", sa.String(length=100), nullable=False),
        sa.Column("action", sa.String(length=64), nullable=False),
        sa.Column("resource_type", sa.String(length=64), nullable=False),
        sa.Column("resource_id", sa.String(length=64), nullable=True),
        sa.Column("request_id", sa.String(length=64), nullable=True),
        sa.Column(
            "occurred_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column("details", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
        sa.ForeignKeyConstraint(
            ["cooperative_id"],
            ["cooperative.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        "ix_audit_event_cooperative", "audit_event", ["cooperative_id", "id"], unique=False
    )
    op.create_table(
        "branch",
        sa.Column("cooperative_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("code", sa.String(length=20), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("ubigeo", sa.String(length=6), nullable=False),
        sa.Column("address", sa.String(length=300), nullable=True),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.CheckConstraint("ubigeo ~ '^[0-9]{6}$'", name="ubigeo_digits"),
        sa.ForeignKeyConstraint(
            ["cooperative_id"],
            ["cooperative.id"],
        ),
        sa.PrimaryKeyConstraint("cooperative_id", "id"),
        sa.UniqueConstraint("cooperative_id", "code", name="uq_branch_code"),
    )
    op.create_table(
        "staff_user",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("cooperative_id", sa.Uuid(), nullable=True),
        sa.Column("username", sa.String(length=64), nullable=False),
        sa.Column("full_name", sa.String(length=200), nullable=False),
        sa.Column("password_hash", sa.String(length=255), nullable=False),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        sa.Column("token_version", sa.Integer(), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint("username = lower(username)", name="username_lowercase"),
        sa.ForeignKeyConstraint(
            ["cooperative_id"],
            ["cooperative.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("username"),
    )
    op.create_index(
        "ix_staff_user_cooperative", "staff_user", ["cooperative_id", "id"], unique=True
    )
    op.create_table(
        "api_key",
        sa.Column("cooperative_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("prefix", sa.String(length=16), nullable=False),
        sa.Column("secret_hash", sa.String(length=64), nullable=False),
        sa.Column("roles", sa.ARRAY(sa.String(length=32)), nullable=False),
        sa.Column("branch_id", sa.Uuid(), nullable=True),
        sa.Column("created_by", sa.Uuid(), nullable=True),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_used_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["cooperative_id", "branch_id"],
            ["branch.cooperative_id", "branch.id"],
        ),
        sa.ForeignKeyConstraint(
            ["cooperative_id"],
            ["cooperative.id"],
        ),
        sa.ForeignKeyConstraint(
            ["created_by"],
            ["staff_user.id"],
        ),
        sa.PrimaryKeyConstraint("cooperative_id", "id"),
        sa.UniqueConstraint("prefix"),
    )
    op.create_table(
        "role_grant",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("cooperative_id", sa.Uuid(), nullable=True),
        sa.Column("branch_id", sa.Uuid(), nullable=True),
        sa.Column("role", sa.String(length=32), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.CheckConstraint(
            "(role IN ('federation_admin', 'federation_analyst')) = (cooperative_id IS NULL)",
            name="federation_roles_have_no_cooperative",
        ),
        sa.CheckConstraint("role <> 'teller' OR branch_id IS NOT NULL", name="teller_has_branch"),
        sa.ForeignKeyConstraint(
            ["cooperative_id", "branch_id"],
            ["branch.cooperative_id", "branch.id"],
        ),
        sa.ForeignKeyConstraint(
            ["cooperative_id"],
            ["cooperative.id"],
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["staff_user.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint(
            "user_id",
            "cooperative_id",
            "role",
            name="uq_role_grant",
            postgresql_nulls_not_distinct=True,
        ),
    )
    op.create_index(
        "ix_role_grant_cooperative", "role_grant", ["cooperative_id", "user_id"], unique=False
    )
    op.create_index(op.f("ix_role_grant_user_id"), "role_grant", ["user_id"], unique=False)

    rls.grant_app_role()
    rls.enable_tenant_rls("cooperative", column="id")
    for table in ("branch", "staff_user", "role_grant", "api_key", "audit_event"):
        rls.enable_tenant_rls(table)
    rls.make_append_only("audit_event")


def downgrade() -> None:
    rls.revoke_app_role()
    op.drop_index(op.f("ix_role_grant_user_id"), table_name="role_grant")
    op.drop_index("ix_role_grant_cooperative", table_name="role_grant")
    op.drop_table("role_grant")
    op.drop_table("api_key")
    op.drop_index("ix_staff_user_cooperative", table_name="staff_user")
    op.drop_table("staff_user")
    op.drop_table("branch")
    op.drop_index("ix_audit_event_cooperative", table_name="audit_event")
    op.drop_table("audit_event")
    op.drop_table("cooperative")
    op.execute(rls.DROP_TENANT_FUNCTIONS)
