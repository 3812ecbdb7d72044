"""refinanced loans: a loan replaced by a new one for what it owed (status ``refinanced``),
the new loan's link to it, the interest and charges it capitalised and its category floor
(set once: the app role gets no UPDATE on them), and the deferred income account 29x1.02
for every cooperative

Revision ID: 0056
Revises: 0055
Create Date: 2026-12-07 22:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0056"
down_revision: str | None = "0055"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

STATUSES = "'draft', 'submitted', 'approved', 'rejected', 'active', 'paid_off', 'written_off'"

DEFERRED_ACCOUNTS = """
SELECT set_config('coopac.tenant', '*', true);
INSERT INTO gl_account (cooperative_id, id, code, name, currency, normal_side, allows_posting,
    is_system)
SELECT c.id, gen_random_uuid(), '29' || d.digit || '1' || a.suffix,
    a.name || ' (' || d.currency || ')', d.currency, 'credit', a.posting, true
FROM cooperative c
CROSS JOIN (VALUES ('PEN', '1'), ('USD', '2')) d(currency, digit)
CROSS JOIN (VALUES ('', 'Ingresos diferidos', false),
    ('.02', 'Intereses y comisiones capitalizados por refinanciación', true))
    a(suffix, name, posting)
ON CONFLICT (cooperative_id, code) DO NOTHING;
"""


def upgrade() -> None:
    op.add_column("loan", sa.Column("refinanced_from_id", sa.Uuid(), nullable=True))
    op.add_column(
        "loan",
        sa.Column(
            "capitalised_interest",
            sa.Numeric(precision=18, scale=2),
            server_default="0",
            nullable=False,
        ),
    )
    op.add_column("loan", sa.Column("category_floor", sa.String(length=10), nullable=True))
    op.create_foreign_key(
        "loan_cooperative_id_refinanced_from_id_fkey",
        "loan",
        "loan",
        ["cooperative_id", "refinanced_from_id"],
        ["cooperative_id", "id"],
    )
    op.create_check_constraint("capitalised_not_negative", "loan", "capitalised_interest >= 0")
    op.drop_constraint("status_valid", "loan", type_="check")
    op.create_check_constraint("status_valid", "loan", f"status IN ({STATUSES}, 'refinanced')")
    op.execute(DEFERRED_ACCOUNTS)


def downgrade() -> None:
    op.drop_constraint("status_valid", "loan", type_="check")
    op.create_check_constraint("status_valid", "loan", f"status IN ({STATUSES})")
    op.drop_constraint("capitalised_not_negative", "loan", type_="check")
    op.drop_constraint("loan_cooperative_id_refinanced_from_id_fkey", "loan", type_="foreignkey")
    op.drop_column("loan", "category_floor")
    op.drop_column("loan", "capitalised_interest")
    op.drop_column("loan", "refinanced_from_id")
