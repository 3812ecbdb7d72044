"""loans

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22 12:22:20.498034
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from frozen import rls
from sqlalchemy.dialects import postgresql

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "loan_product",
        sa.Column("cooperative_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("code", sa.String(length=20), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("credit_type", sa.String(length=16), nullable=False),
        sa.Column("is_agricultural", sa.Boolean(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("tea_min", sa.Numeric(precision=12, scale=8), nullable=False),
        sa.Column("tea_max", sa.Numeric(precision=12, scale=8), nullable=False),
        sa.Column("amount_min", sa.Numeric(precision=18, scale=2), nullable=False),
        sa.Column("amount_max", sa.Numeric(precision=18, scale=2), nullable=False),
        sa.Column("term_min", sa.Integer(), nullable=False),
        sa.Column("term_max", sa.Integer(), nullable=False),
        sa.Column("method", sa.String(length=16), nullable=False),
        sa.Column("frequency", sa.String(length=10), nullable=False),
        sa.Column("max_grace_periods", sa.Integer(), nullable=False),
        sa.Column("commission_rate", sa.Numeric(precision=12, scale=8), nullable=False),
        sa.Column("insurance_monthly_rate", sa.Numeric(precision=12, scale=8), nullable=False),
        sa.Column("moratory_tea", sa.Numeric(precision=12, scale=8), nullable=False),
        sa.Column("guarantors_required", sa.Integer(), nullable=False),
        sa.Column("gl_account_id", sa.Uuid(), nullable=False),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.CheckConstraint(
            "credit_type IN ('consumo', 'microempresa', 'pequena_empresa', 'hipotecario')",
            name="credit_type_valid",
        ),
        sa.CheckConstraint("currency IN ('PEN', 'USD')", name="currency_valid"),
        sa.CheckConstraint("amount_min > 0 AND amount_min <= amount_max", name="amount_range"),
        sa.CheckConstraint("tea_min >= 0 AND tea_min <= tea_max", name="tea_range"),
        sa.CheckConstraint("term_min >= 1 AND term_min <= term_max", name="term_range"),
        sa.ForeignKeyConstraint(
            ["cooperative_id", "gl_account_id"],
            ["gl_account.cooperative_id", "gl_account.id"],
        ),
        sa.ForeignKeyConstraint(
            ["cooperative_id"],
            ["cooperative.id"],
        ),
        sa.PrimaryKeyConstraint("cooperative_id", "id"),
        sa.UniqueConstraint("cooperative_id", "code", name="uq_loan_product_code"),
    )
    op.create_table(
        "loan",
        sa.Column("cooperative_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("number", sa.String(length=20), nullable=False),
        sa.Column("member_id", sa.Uuid(), nullable=False),
        sa.Column("product_id", sa.Uuid(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("amount", sa.Numeric(precision=18, scale=2), nullable=False),
        sa.Column("tea", sa.Numeric(precision=12, scale=8), nullable=False),
        sa.Column("term", sa.Integer(), nullable=False),
        sa.Column("method", sa.String(length=16), nullable=False),
        sa.Column("frequency", sa.String(length=10), nullable=False),
        sa.Column("disbursement_date", sa.Date(), nullable=False),
        sa.Column("first_due_date", sa.Date(), nullable=True),
        sa.Column("terms", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("purpose", sa.String(length=16), nullable=False),
        sa.Column("purpose_detail", sa.String(length=300), nullable=True),
        sa.Column("guarantee", sa.String(length=16), nullable=False),
        sa.Column("commission", sa.Numeric(precision=18, scale=2), nullable=False),
        sa.Column("insurance_monthly_rate", sa.Numeric(precision=12, scale=8), nullable=False),
        sa.Column("moratory_tea", sa.Numeric(precision=12, scale=8), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("balance", sa.Numeric(precision=18, scale=2), nullable=False),
        sa.Column("gl_account_id", sa.Uuid(), nullable=False),
        sa.Column("created_by", sa.String(length=100), nullable=False),
        sa.Column("created_by_id", sa.Uuid(), nullable=True),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("decided_by", sa.String(length=100), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("decision_note", sa.String(length=300), nullable=True),
        sa.Column("disbursed_on", sa.Date(), nullable=True),
        sa.Column("closed_on", sa.Date(), nullable=True),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "guarantee IN ('none', 'preferred', 'preferred_quick')", name="guarantee_valid"
        ),
        sa.CheckConstraint(
            "status IN ('draft', 'submitted', 'approved', 'rejected', 'active', 'paid_off', "
            "'written_off')",
            name="status_valid",
        ),
        sa.CheckConstraint("balance >= 0", name="balance_not_negative"),
        sa.ForeignKeyConstraint(
            ["cooperative_id", "gl_account_id"],
            ["gl_account.cooperative_id", "gl_account.id"],
        ),
        sa.ForeignKeyConstraint(
            ["cooperative_id", "member_id"],
            ["member.cooperative_id", "member.id"],
        ),
        sa.ForeignKeyConstraint(
            ["cooperative_id", "product_id"],
            ["loan_product.cooperative_id", "loan_product.id"],
        ),
        sa.ForeignKeyConstraint(
            ["cooperative_id"],
            ["cooperative.id"],
        ),
        sa.PrimaryKeyConstraint("cooperative_id", "id"),
        sa.UniqueConstraint("cooperative_id", "number", name="uq_loan_number"),
    )
    op.create_index("ix_loan_member", "loan", ["cooperative_id", "member_id"], unique=False)
    op.create_index("ix_loan_status", "loan", ["cooperative_id", "status"], unique=False)
    op.create_table(
        "loan_collateral",
        sa.Column("cooperative_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("loan_id", sa.Uuid(), nullable=False),
        sa.Column("description", sa.String(length=300), nullable=False),
        sa.Column("value", sa.Numeric(precision=18, scale=2), nullable=False),
        sa.Column("guarantee", sa.String(length=16), nullable=False),
        sa.CheckConstraint(
            "guarantee IN ('none', 'preferred', 'preferred_quick')", name="guarantee_valid"
        ),
        sa.ForeignKeyConstraint(
            ["cooperative_id", "loan_id"],
            ["loan.cooperative_id", "loan.id"],
        ),
        sa.PrimaryKeyConstraint("cooperative_id", "id"),
    )
    op.create_table(
        "loan_guarantor",
        sa.Column("cooperative_id", sa.Uuid(), nullable=False),
        sa.Column("loan_id", sa.Uuid(), nullable=False),
        sa.Column("member_id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["cooperative_id", "loan_id"],
            ["loan.cooperative_id", "loan.id"],
        ),
        sa.ForeignKeyConstraint(
            ["cooperative_id", "member_id"],
            ["member.cooperative_id", "member.id"],
        ),
        sa.PrimaryKeyConstraint("cooperative_id", "loan_id", "member_id"),
    )
    op.create_table(
        "loan_installment",
        sa.Column("cooperative_id", sa.Uuid(), nullable=False),
        sa.Column("loan_id", sa.Uuid(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("due_date", sa.Date(), nullable=False),
        sa.Column("days", sa.Integer(), nullable=False),
        sa.Column("principal", sa.Numeric(precision=18, scale=2), nullable=False),
        sa.Column("interest", sa.Numeric(precision=18, scale=2), nullable=False),
        sa.Column("fees", sa.Numeric(precision=18, scale=2), nullable=False),
        sa.Column("insurance", sa.Numeric(precision=18, scale=2), nullable=False),
        sa.Column("principal_paid", sa.Numeric(precision=18, scale=2), nullable=False),
        sa.Column("interest_paid", sa.Numeric(precision=18, scale=2), nullable=False),
        sa.Column("fees_paid", sa.Numeric(precision=18, scale=2), nullable=False),
        sa.Column("insurance_paid", sa.Numeric(precision=18, scale=2), nullable=False),
        sa.Column("moratory_due", sa.Numeric(precision=18, scale=2), nullable=False),
        sa.Column("moratory_paid", sa.Numeric(precision=18, scale=2), nullable=False),
        sa.Column("moratory_through", sa.Date(), nullable=True),
        sa.Column("paid_on", sa.Date(), nullable=True),
        sa.CheckConstraint(
            "principal_paid <= principal AND interest_paid <= interest", name="not_overpaid"
        ),
        sa.ForeignKeyConstraint(
            ["cooperative_id", "loan_id"],
            ["loan.cooperative_id", "loan.id"],
        ),
        sa.PrimaryKeyConstraint("cooperative_id", "loan_id", "number"),
    )
    for table in ("loan_product", "loan", "loan_collateral", "loan_guarantor", "loan_installment"):
        rls.enable_tenant_rls(table)


def downgrade() -> None:
    op.drop_table("loan_installment")
    op.drop_table("loan_guarantor")
    op.drop_table("loan_collateral")
    op.drop_index("ix_loan_status", table_name="loan")
    op.drop_index("ix_loan_member", table_name="loan")
    op.drop_table("loan")
    op.drop_table("loan_product")
