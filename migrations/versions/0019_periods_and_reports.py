"""periods and reports: the month-end snapshot of each cooperative (its GL balances,
portfolio, members' deposits and the federation's figures), closed by the accountant; a
closed month takes no entry and its snapshot no longer changes; the federation's settings;
the cooperative's exchange rate for its reports

Revision ID: 0019
Revises: 0018
Create Date: 2026-11-26 19:01:34.869310
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import context, op
from frozen import rls
from sqlalchemy.dialects import postgresql

revision: str = "0019"
down_revision: str | None = "0018"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

PERIOD_TABLES = (
    "period_snapshot",
    "period_gl_balance",
    "period_portfolio",
    "period_member_deposit",
)

# A closed month: its snapshot's rows no longer change, and no entry is dated in it. The
# service refuses both with their reasons (409 period_closed); these make sure no path that
# forgets can. They run as the caller, within its cooperative.
CLOSED_PERIOD_FUNCTIONS = """
CREATE OR REPLACE FUNCTION coopac_refuse_closed_snapshot() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.status = 'closed' THEN
        RAISE EXCEPTION 'period % is closed: % refused', OLD.period, TG_OP
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    RETURN NEW;
END
$$;

CREATE OR REPLACE FUNCTION coopac_refuse_rows_of_closed_period() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (
        SELECT 1 FROM (SELECT DISTINCT cooperative_id, period FROM new_rows) n
        JOIN period_snapshot s ON s.cooperative_id = n.cooperative_id AND s.period = n.period
        WHERE s.status = 'closed'
    ) THEN
        RAISE EXCEPTION '% of a closed period: INSERT refused', TG_TABLE_NAME
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN NULL;
END
$$;

CREATE OR REPLACE FUNCTION coopac_refuse_change_of_closed_period() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (
        SELECT 1 FROM period_snapshot s WHERE s.cooperative_id = OLD.cooperative_id
        AND s.period = OLD.period AND s.status = 'closed'
    ) THEN
        RAISE EXCEPTION '% of closed period %: % refused', TG_TABLE_NAME, OLD.period, TG_OP
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    RETURN NEW;
END
$$;

CREATE OR REPLACE FUNCTION coopac_refuse_entry_in_closed_period() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (
        SELECT 1 FROM period_snapshot s WHERE s.cooperative_id = NEW.cooperative_id
        AND s.period = to_char(NEW.business_date, 'YYYY-MM') AND s.status = 'closed'
    ) THEN
        RAISE EXCEPTION 'period % is closed: no entry dated %',
            to_char(NEW.business_date, 'YYYY-MM'), NEW.business_date
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN NEW;
END
$$;
"""
DROP_CLOSED_PERIOD_FUNCTIONS = """
DROP FUNCTION IF EXISTS coopac_refuse_entry_in_closed_period();
DROP FUNCTION IF EXISTS coopac_refuse_change_of_closed_period();
DROP FUNCTION IF EXISTS coopac_refuse_rows_of_closed_period();
DROP FUNCTION IF EXISTS coopac_refuse_closed_snapshot();
"""


def _roles() -> tuple[str, str]:
    app: str = context.config.attributes.get("app_role") or "coopac_app"
    return app, f"{app}_federation"


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def upgrade() -> None:
    # an accountant's entry by hand, posted when a second person approves it
    op.create_table(
        "adjustment_request",
        sa.Column("cooperative_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("status", sa.String(length=8), nullable=False),
        sa.Column("business_date", sa.Date(), nullable=False),
        sa.Column("description", sa.String(length=300), nullable=False),
        sa.Column("lines", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("requested_by", sa.String(length=100), nullable=False),
        sa.Column("requested_by_id", sa.Uuid(), nullable=True),
        sa.Column(
            "requested_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column("decided_by", sa.String(length=100), nullable=True),
        sa.Column("decided_by_id", sa.Uuid(), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("decision_note", sa.String(length=300), nullable=True),
        sa.Column("journal_entry_id", sa.Uuid(), nullable=True),
        sa.CheckConstraint(
            "status IN ('pending', 'approved', 'rejected')", name=op.f("status_valid")
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
        "ix_adjustment_request_status",
        "adjustment_request",
        ["cooperative_id", "status", "requested_at"],
        unique=False,
    )
    # ### commands auto generated by Alembic - please adjust! ###
    op.create_table(
        "federation_settings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column(
            "indicator_targets",
            postgresql.JSONB(astext_type=sa.Text()),
            server_default="{}",
            nullable=False,
        ),
        sa.Column(
            "cash_thresholds",
            postgresql.JSONB(astext_type=sa.Text()),
            server_default="{}",
            nullable=False,
        ),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("updated_by", sa.String(length=100), nullable=True),
        sa.CheckConstraint("id = 1", name=op.f("single_row")),
        sa.PrimaryKeyConstraint("id", name=op.f("federation_settings_pkey")),
    )
    op.create_table(
        "period_gl_balance",
        sa.Column("cooperative_id", sa.Uuid(), nullable=False),
        sa.Column("period", sa.String(length=7), nullable=False),
        sa.Column("gl_account_id", sa.Uuid(), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("balance", sa.Numeric(precision=18, scale=2), nullable=False),
        sa.Column("year_to_date", sa.Numeric(precision=18, scale=2), nullable=False),
        sa.PrimaryKeyConstraint(
            "cooperative_id", "period", "gl_account_id", name=op.f("period_gl_balance_pkey")
        ),
    )
    op.create_table(
        "period_member_deposit",
        sa.Column("cooperative_id", sa.Uuid(), nullable=False),
        sa.Column("period", sa.String(length=7), nullable=False),
        sa.Column("member_id", sa.Uuid(), nullable=False),
        sa.Column("sex", sa.String(length=1), nullable=True),
        sa.Column("branch_id", sa.Uuid(), nullable=True),
        sa.Column("accounts", sa.Integer(), nullable=False),
        sa.Column("balance_pen", sa.Numeric(precision=18, scale=2), nullable=False),
        sa.Column("accrued_pen", sa.Numeric(precision=18, scale=2), nullable=False),
        sa.Column("balance_usd", sa.Numeric(precision=18, scale=2), nullable=False),
        sa.Column("accrued_usd", sa.Numeric(precision=18, scale=2), nullable=False),
        sa.PrimaryKeyConstraint(
            "cooperative_id", "period", "member_id", name=op.f("period_member_deposit_pkey")
        ),
    )
    op.create_table(
        "period_portfolio",
        sa.Column("cooperative_id", sa.Uuid(), nullable=False),
        sa.Column("period", sa.String(length=7), nullable=False),
        sa.Column("credit_type", sa.String(length=24), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("category", sa.String(length=10), nullable=False),
        sa.Column("debtors", sa.Integer(), nullable=False),
        sa.Column("loans", sa.Integer(), nullable=False),
        sa.Column("balance", sa.Numeric(precision=18, scale=2), nullable=False),
        sa.Column("overdue_balance", sa.Numeric(precision=18, scale=2), nullable=False),
        sa.Column("judicial_balance", sa.Numeric(precision=18, scale=2), nullable=False),
        sa.Column("provision_required", sa.Numeric(precision=18, scale=2), nullable=False),
        sa.Column("provision_booked", sa.Numeric(precision=18, scale=2), nullable=False),
        sa.PrimaryKeyConstraint(
            "cooperative_id",
            "period",
            "credit_type",
            "currency",
            "category",
            name=op.f("period_portfolio_pkey"),
        ),
    )
    op.create_table(
        "period_snapshot",
        sa.Column("cooperative_id", sa.Uuid(), nullable=False),
        sa.Column("period", sa.String(length=7), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("exchange_rate", sa.Numeric(precision=10, scale=4), nullable=False),
        sa.Column("members", sa.Integer(), nullable=False),
        sa.Column("savers", sa.Integer(), nullable=False),
        sa.Column("borrowers", sa.Integer(), nullable=False),
        sa.Column("total_assets", sa.Numeric(precision=18, scale=2), nullable=False),
        sa.Column("deposits", sa.Numeric(precision=18, scale=2), nullable=False),
        sa.Column("share_capital", sa.Numeric(precision=18, scale=2), nullable=False),
        sa.Column("institutional_capital", sa.Numeric(precision=18, scale=2), nullable=False),
        sa.Column("equity", sa.Numeric(precision=18, scale=2), nullable=False),
        sa.Column("net_income", sa.Numeric(precision=18, scale=2), nullable=False),
        sa.Column("liquid_assets", sa.Numeric(precision=18, scale=2), nullable=False),
        sa.Column("gross_loans", sa.Numeric(precision=18, scale=2), nullable=False),
        sa.Column("overdue_loans", sa.Numeric(precision=18, scale=2), nullable=False),
        sa.Column("high_risk_loans", sa.Numeric(precision=18, scale=2), nullable=False),
        sa.Column("par30_loans", sa.Numeric(precision=18, scale=2), nullable=False),
        sa.Column("provisions", sa.Numeric(precision=18, scale=2), nullable=False),
        sa.Column("provisions_required", sa.Numeric(precision=18, scale=2), nullable=False),
        sa.Column(
            "breakdown",
            postgresql.JSONB(astext_type=sa.Text()),
            server_default="{}",
            nullable=False,
        ),
        sa.Column(
            "taken_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False
        ),
        sa.Column("refreshed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("closed_by", sa.String(length=100), nullable=True),
        sa.Column("closed_by_id", sa.Uuid(), nullable=True),
        sa.CheckConstraint(
            "(status = 'closed') = (closed_at IS NOT NULL)", name=op.f("closed_when_closed")
        ),
        sa.CheckConstraint("period ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'", name=op.f("period_valid")),
        sa.CheckConstraint("status IN ('provisional', 'closed')", name=op.f("status_valid")),
        sa.ForeignKeyConstraint(
            ["cooperative_id"], ["cooperative.id"], name=op.f("period_snapshot_cooperative_id_fkey")
        ),
        sa.PrimaryKeyConstraint("cooperative_id", "period", name=op.f("period_snapshot_pkey")),
    )
    op.add_column(
        "cooperative",
        sa.Column(
            "exchange_rate",
            sa.Numeric(precision=10, scale=4),
            server_default="3.7500",
            nullable=False,
        ),
    )
    # ### end Alembic commands ###
    app, fed = _roles()
    for table in PERIOD_TABLES:
        rls.enable_tenant_rls(table)
        op.execute(f"ALTER TABLE {table} FORCE ROW LEVEL SECURITY")
    rls.enable_tenant_rls("adjustment_request")
    op.execute("ALTER TABLE adjustment_request FORCE ROW LEVEL SECURITY")
    op.execute(f"GRANT UPDATE ON adjustment_request TO {_q(app)}")
    # a month is taken again while provisional (a resumed run, an adjustment dated in it)
    op.execute(f"GRANT UPDATE ON period_snapshot TO {_q(app)}")
    op.execute(
        f"GRANT DELETE ON period_gl_balance, period_portfolio, period_member_deposit TO {_q(app)}"
    )
    # the federation's own row: changed by its administrator's requests (the federation
    # role) and read by every cooperative's (the cash register's thresholds)
    for role in (app, fed):
        op.execute(f"GRANT UPDATE ON federation_settings TO {_q(role)}")
    op.execute(CLOSED_PERIOD_FUNCTIONS)
    op.execute(
        "CREATE TRIGGER period_snapshot_closed BEFORE UPDATE OR DELETE ON period_snapshot "
        "FOR EACH ROW EXECUTE FUNCTION coopac_refuse_closed_snapshot()"
    )
    for table in PERIOD_TABLES[1:]:
        op.execute(
            f"CREATE TRIGGER {table}_closed_insert AFTER INSERT ON {table} "
            "REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT "
            "EXECUTE FUNCTION coopac_refuse_rows_of_closed_period()"
        )
        op.execute(
            f"CREATE TRIGGER {table}_closed_change BEFORE UPDATE OR DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION coopac_refuse_change_of_closed_period()"
        )
    op.execute(
        "CREATE TRIGGER journal_entry_open_period BEFORE INSERT ON journal_entry "
        "FOR EACH ROW EXECUTE FUNCTION coopac_refuse_entry_in_closed_period()"
    )
    # The month-end records of loans and debtors are written by close of business from the
    # loans and members themselves, 200,000 rows at a time: a foreign key costs each row a
    # lookup and a lock on its loan or member (a sixth of the month end's provisions), and
    # proves nothing the writer does not (loans and members are never deleted).
    op.drop_constraint(
        "loan_classification_cooperative_id_loan_id_fkey", "loan_classification", type_="foreignkey"
    )
    op.drop_constraint(
        "debtor_classification_cooperative_id_member_id_fkey",
        "debtor_classification",
        type_="foreignkey",
    )


def downgrade() -> None:
    op.create_foreign_key(
        "debtor_classification_cooperative_id_member_id_fkey",
        "debtor_classification",
        "member",
        ["cooperative_id", "member_id"],
        ["cooperative_id", "id"],
    )
    op.create_foreign_key(
        "loan_classification_cooperative_id_loan_id_fkey",
        "loan_classification",
        "loan",
        ["cooperative_id", "loan_id"],
        ["cooperative_id", "id"],
    )
    op.execute("DROP TRIGGER IF EXISTS journal_entry_open_period ON journal_entry")
    # ### commands auto generated by Alembic - please adjust! ###
    op.drop_column("cooperative", "exchange_rate")
    op.drop_table("period_snapshot")
    op.drop_table("period_portfolio")
    op.drop_table("period_member_deposit")
    op.drop_table("period_gl_balance")
    op.drop_table("federation_settings")
    op.drop_table("adjustment_request")
    # ### end Alembic commands ###
    op.execute(DROP_CLOSED_PERIOD_FUNCTIONS)
