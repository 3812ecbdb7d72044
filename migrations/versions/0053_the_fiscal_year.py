"""the fiscal year: a closed year's row (its result per currency), the year's result account
(39x1) for every cooperative, and the year's closing entry, the one entry a closed December
takes (dated its 31st)

Revision ID: 0053
Revises: 0052
Create Date: 2026-12-07 21:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from alembic_utils.pg_function import PGFunction
from frozen import rls

revision: str = "0053"
down_revision: str | None = "0052"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

RESULT_ACCOUNTS = """
SELECT set_config('coopac.tenant', '*', true);
INSERT INTO gl_account (cooperative_id, id, code, name, currency, normal_side, allows_posting,
    is_system)
SELECT c.id, gen_random_uuid(), '39' || d.digit || '1',
    'Resultado neto del ejercicio (' || d.currency || ')', d.currency, 'credit', true, true
FROM cooperative c
CROSS JOIN (VALUES ('PEN', '1'), ('USD', '2')) d(currency, digit)
ON CONFLICT (cooperative_id, code) DO NOTHING;
"""

NEW_COOPAC_REFUSE_ENTRY_IN_CLOSED_PERIOD = PGFunction(
    schema="public",
    signature="coopac_refuse_entry_in_closed_period()",
    definition="""returns trigger
 LANGUAGE plpgsql
AS $function$
BEGIN
    IF NEW.kind = 'year_close' AND to_char(NEW.business_date, 'MM-DD') = '12-31' THEN
        RETURN NEW;
    END IF;
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
$function$""",
)

OLD_COOPAC_REFUSE_ENTRY_IN_CLOSED_PERIOD = PGFunction(
    schema="public",
    signature="coopac_refuse_entry_in_closed_period()",
    definition="""returns trigger
 LANGUAGE plpgsql
AS $function$
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
$function$""",
)


def _roles() -> tuple[str, str]:
    app = rls.app_role()
    return app, '"' + f"{app[1:-1]}_federation" + '"'


def upgrade() -> None:
    op.create_table(
        "fiscal_year",
        sa.Column("cooperative_id", sa.Uuid(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("result_pen", sa.Numeric(18, 2), nullable=False),
        sa.Column("result_usd", sa.Numeric(18, 2), nullable=False),
        sa.Column("exchange_rate", sa.Numeric(10, 4), nullable=False),
        sa.Column("closing_entry_id", sa.Uuid(), nullable=True),
        sa.Column("closed_by", sa.String(length=100), nullable=False),
        sa.Column("closed_by_id", sa.Uuid(), nullable=True),
        sa.Column(
            "closed_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.CheckConstraint("status IN ('closed', 'distributed')", name="status_valid"),
        sa.ForeignKeyConstraint(
            ["cooperative_id"],
            ["cooperative.id"],
            name="fiscal_year_cooperative_id_fkey",
        ),
        sa.PrimaryKeyConstraint("cooperative_id", "year", name="fiscal_year_pkey"),
    )
    app, federation = _roles()
    rls.enable_tenant_rls("fiscal_year")
    op.execute("ALTER TABLE fiscal_year FORCE ROW LEVEL SECURITY")
    op.execute(f"REVOKE ALL ON fiscal_year FROM {app}, {federation}")
    op.execute(f"GRANT SELECT, INSERT ON fiscal_year TO {app}")
    op.execute(f"GRANT SELECT ON fiscal_year TO {federation}")
    op.execute(RESULT_ACCOUNTS)
    op.replace_entity(NEW_COOPAC_REFUSE_ENTRY_IN_CLOSED_PERIOD)  # type: ignore[attr-defined]  # alembic_utils adds it


def downgrade() -> None:
    op.replace_entity(OLD_COOPAC_REFUSE_ENTRY_IN_CLOSED_PERIOD)  # type: ignore[attr-defined]
    op.drop_table("fiscal_year")
