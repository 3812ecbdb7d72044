"""exchange and daily totals: the cooperative's rate board (buy and sell, USD/PEN) and the
accounts exchange books through (a position per currency, the spread as income); a person's
daily total per kind and currency kept as it grows, so that the daily limit no longer sums
the day's entries on every operation

Revision ID: 0022
Revises: 0021
Create Date: 2026-11-26 23:45:27.281150
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from frozen import rls

revision: str = "0022"
down_revision: str | None = "0021"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

PURPOSES_BEFORE = "purpose IN ('cash_over', 'cash_short', 'cash_in_transit')"
PURPOSES = (
    "purpose IN ('cash_over', 'cash_short', 'cash_in_transit', 'exchange_position', "
    "'exchange_income')"
)

# The accounts exchange books through, for the cooperatives there are; today's totals of
# the people who moved money, from the entries already posted.
SEED = r"""
SELECT set_config('coopac.tenant', '*', true);
INSERT INTO gl_account (cooperative_id, id, code, name, currency, normal_side, allows_posting,
    is_system)
SELECT c.id, gen_random_uuid(), l.prefix || d.digit || l.suffix,
    l.name || ' (' || d.currency || ')', d.currency, l.side, true, true
FROM cooperative c
CROSS JOIN (VALUES ('PEN', '1'), ('USD', '2')) d(currency, digit)
CROSS JOIN (VALUES
    ('19', '9', 'Posición de cambio (puente de operaciones de cambio)', 'debit'),
    ('56', '2', 'Ganancia en operaciones de cambio', 'credit')) l(prefix, suffix, name, side)
ON CONFLICT (cooperative_id, code) DO NOTHING;
INSERT INTO counter_account (cooperative_id, purpose, currency, gl_account_id)
SELECT g.cooperative_id, p.purpose, g.currency, g.id
FROM gl_account g JOIN (VALUES
    ('exchange_position', '19', '9'), ('exchange_income', '56', '2')) p(purpose, prefix, suffix)
    ON g.code = p.prefix || CASE g.currency WHEN 'PEN' THEN '1' ELSE '2' END || p.suffix;
INSERT INTO operation_day_total (cooperative_id, person_id, business_date, kind, currency,
    amount)
SELECT e.cooperative_id, e.actor_user_id, e.business_date, e.kind, p.currency, sum(p.amount)
FROM journal_entry e
JOIN cooperative c ON c.id = e.cooperative_id AND c.business_date = e.business_date
JOIN posting p ON p.cooperative_id = e.cooperative_id AND p.entry_id = e.id
WHERE e.actor_user_id IS NOT NULL AND p.amount > 0
GROUP BY e.cooperative_id, e.actor_user_id, e.business_date, e.kind, p.currency;
"""

# 0020's limit check, with the day's total kept instead of summed (same rule: the person's
# debits of the day of that kind and currency, this operation's included).
CHECK_LIMIT = r"""
CREATE OR REPLACE FUNCTION coopac_check_limit(
    p_coop uuid, p_kind text, p_currency text, p_amount numeric, p_day date,
    p_person uuid, p_roles text[], p_policy jsonb
) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    v_per_operation numeric;
    v_per_day numeric;
    v_no_daily_total boolean;
    v_found integer;
    v_moved numeric;
BEGIN
    IF NOT (p_policy -> 'limited') ? p_kind THEN
        RETURN;
    END IF;
    -- kept whether or not a limit governs it now: one set later the same day counts all
    IF p_person IS NOT NULL THEN
        INSERT INTO operation_day_total AS t (cooperative_id, person_id, business_date, kind,
            currency, amount)
        VALUES (p_coop, p_person, p_day, p_kind, p_currency, p_amount)
        ON CONFLICT (cooperative_id, person_id, business_date, kind, currency)
        DO UPDATE SET amount = t.amount + EXCLUDED.amount
        RETURNING t.amount INTO v_moved;
    END IF;
    SELECT max(l.per_operation), max(l.per_day), bool_or(l.per_day IS NULL), count(*)
    INTO v_per_operation, v_per_day, v_no_daily_total, v_found
    FROM (
        SELECT CASE WHEN o.role IS NOT NULL THEN o.per_operation
                    ELSE (p_policy #>> ARRAY['limits', r.role, p_currency, '0'])::numeric
               END AS per_operation,
               CASE WHEN o.role IS NOT NULL THEN o.per_day
                    ELSE (p_policy #>> ARRAY['limits', r.role, p_currency, '1'])::numeric
               END AS per_day,
               o.role IS NOT NULL
                   OR p_policy #> ARRAY['limits', r.role, p_currency] IS NOT NULL AS governed
        FROM unnest(p_roles) AS r(role)
        LEFT JOIN operation_limit o ON o.cooperative_id = p_coop AND o.role = r.role
            AND o.operation = p_kind AND o.currency = p_currency
    ) l
    WHERE l.governed;
    IF v_found = 0 THEN
        RETURN;
    END IF;
    IF p_amount > v_per_operation THEN
        PERFORM coopac_refuse('limit_exceeded', jsonb_build_object('scope', 'por operación',
            'operation', p_kind, 'limit', v_per_operation::text, 'currency', p_currency));
    END IF;
    IF v_no_daily_total OR p_person IS NULL THEN
        RETURN;
    END IF;
    IF v_moved > v_per_day THEN
        PERFORM coopac_refuse('limit_exceeded', jsonb_build_object('scope', 'diario',
            'operation', p_kind, 'limit', v_per_day::text, 'currency', p_currency));
    END IF;
END
$$;
"""

# Back to 0020: its coopac_check_limit.
PREVIOUS_CHECK_LIMIT = r"""CREATE OR REPLACE FUNCTION coopac_check_limit(
    p_coop uuid, p_kind text, p_currency text, p_amount numeric, p_day date,
    p_person uuid, p_roles text[], p_policy jsonb
) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    v_per_operation numeric;
    v_per_day numeric;
    v_no_daily_total boolean;
    v_found integer;
    v_moved numeric;
BEGIN
    IF NOT (p_policy -> 'limited') ? p_kind THEN
        RETURN;
    END IF;
    SELECT max(l.per_operation), max(l.per_day), bool_or(l.per_day IS NULL), count(*)
    INTO v_per_operation, v_per_day, v_no_daily_total, v_found
    FROM (
        SELECT CASE WHEN o.role IS NOT NULL THEN o.per_operation
                    ELSE (p_policy #>> ARRAY['limits', r.role, p_currency, '0'])::numeric
               END AS per_operation,
               CASE WHEN o.role IS NOT NULL THEN o.per_day
                    ELSE (p_policy #>> ARRAY['limits', r.role, p_currency, '1'])::numeric
               END AS per_day,
               o.role IS NOT NULL
                   OR p_policy #> ARRAY['limits', r.role, p_currency] IS NOT NULL AS governed
        FROM unnest(p_roles) AS r(role)
        LEFT JOIN operation_limit o ON o.cooperative_id = p_coop AND o.role = r.role
            AND o.operation = p_kind AND o.currency = p_currency
    ) l
    WHERE l.governed;
    IF v_found = 0 THEN
        RETURN;
    END IF;
    IF p_amount > v_per_operation THEN
        PERFORM coopac_refuse('limit_exceeded', jsonb_build_object('scope', 'por operación',
            'operation', p_kind, 'limit', v_per_operation::text, 'currency', p_currency));
    END IF;
    IF v_no_daily_total OR p_person IS NULL THEN
        RETURN;
    END IF;
    SELECT coalesce(sum(p.amount), 0) INTO v_moved
    FROM journal_entry e JOIN posting p ON p.cooperative_id = e.cooperative_id
        AND p.entry_id = e.id
    WHERE e.cooperative_id = p_coop AND e.business_date = p_day AND e.kind = p_kind
        AND e.actor_user_id = p_person AND p.currency = p_currency AND p.amount > 0;
    IF v_moved + p_amount > v_per_day THEN
        PERFORM coopac_refuse('limit_exceeded', jsonb_build_object('scope', 'diario',
            'operation', p_kind, 'limit', v_per_day::text, 'currency', p_currency));
    END IF;
END
$$;
"""


def upgrade() -> None:
    # ### commands auto generated by Alembic - please adjust! ###
    op.create_table(
        "exchange_rate",
        sa.Column("cooperative_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("business_date", sa.Date(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("buy", sa.Numeric(precision=10, scale=4), nullable=False),
        sa.Column("sell", sa.Numeric(precision=10, scale=4), nullable=False),
        sa.Column("published_by", sa.String(length=100), nullable=False),
        sa.Column("published_by_id", sa.Uuid(), nullable=True),
        sa.Column(
            "published_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.CheckConstraint("currency = 'USD'", name=op.f("currency_usd")),
        sa.CheckConstraint("buy > 0 AND sell >= buy", name=op.f("sell_not_below_buy")),
        sa.ForeignKeyConstraint(
            ["cooperative_id"], ["cooperative.id"], name=op.f("exchange_rate_cooperative_id_fkey")
        ),
        sa.PrimaryKeyConstraint("cooperative_id", "id", name=op.f("exchange_rate_pkey")),
    )
    op.create_index(
        "ix_exchange_rate_day",
        "exchange_rate",
        ["cooperative_id", "business_date", "published_at"],
        unique=False,
    )
    op.create_table(
        "operation_day_total",
        sa.Column("cooperative_id", sa.Uuid(), nullable=False),
        sa.Column("person_id", sa.Uuid(), nullable=False),
        sa.Column("business_date", sa.Date(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("amount", sa.Numeric(precision=18, scale=2), nullable=False),
        sa.ForeignKeyConstraint(
            ["cooperative_id"],
            ["cooperative.id"],
            name=op.f("operation_day_total_cooperative_id_fkey"),
        ),
        sa.PrimaryKeyConstraint(
            "cooperative_id",
            "person_id",
            "business_date",
            "kind",
            "currency",
            name=op.f("operation_day_total_pkey"),
        ),
    )
    # ### end Alembic commands ###
    app = rls.app_role()
    for table in ("exchange_rate", "operation_day_total"):
        rls.enable_tenant_rls(table)
        op.execute(f"ALTER TABLE {table} FORCE ROW LEVEL SECURITY")
    op.execute(f"GRANT UPDATE (amount) ON operation_day_total TO {app}")
    op.drop_constraint("purpose_valid", "counter_account")
    op.create_check_constraint("purpose_valid", "counter_account", PURPOSES)
    op.execute(SEED)
    op.execute(CHECK_LIMIT)


def downgrade() -> None:
    op.execute(PREVIOUS_CHECK_LIMIT)
    op.execute(
        "SELECT set_config('coopac.tenant', '*', true); "
        "DELETE FROM counter_account WHERE purpose IN ('exchange_position', 'exchange_income')"
    )
    op.drop_constraint("purpose_valid", "counter_account")
    op.create_check_constraint("purpose_valid", "counter_account", PURPOSES_BEFORE)
    # ### commands auto generated by Alembic - please adjust! ###
    op.drop_table("operation_day_total")
    op.drop_index("ix_exchange_rate_day", table_name="exchange_rate")
    op.drop_table("exchange_rate")
    # ### end Alembic commands ###
