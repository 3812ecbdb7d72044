"""member accounts' keys: savings accounts, share accounts and loans lose the single-column
key to cooperative that their key to member implies, and a savings account's product and
GL account are one key (its GL account is its product's)

Revision ID: 0032
Revises: 0031
Create Date: 2026-11-27 04:40:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0032"
down_revision: str | None = "0031"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# (cooperative_id, member_id) references member, whose cooperative_id references
# cooperative, and member_id is NOT NULL: the account's cooperative was proven twice. Each
# foreign key is a trigger call and a lookup per row written, and an import writes 150,000
# accounts in one statement.
TABLES = ("savings_account", "share_account", "loan")


def upgrade() -> None:
    for table in TABLES:
        op.drop_constraint(f"{table}_cooperative_id_fkey", table, type_="foreignkey")
    # an account was always opened on its product's GL account (savings.service, imports);
    # now the key says so, and the product's own key proves the GL account exists
    op.create_unique_constraint(
        "uq_savings_product_gl", "savings_product", ["cooperative_id", "id", "gl_account_id"]
    )
    op.drop_constraint(
        "savings_account_cooperative_id_product_id_fkey", "savings_account", type_="foreignkey"
    )
    op.drop_constraint(
        "savings_account_cooperative_id_gl_account_id_fkey", "savings_account", type_="foreignkey"
    )
    op.create_foreign_key(
        op.f("savings_account_cooperative_id_product_id_gl_account_id_fkey"),
        "savings_account",
        "savings_product",
        ["cooperative_id", "product_id", "gl_account_id"],
        ["cooperative_id", "id", "gl_account_id"],
    )


def downgrade() -> None:
    op.drop_constraint(
        op.f("savings_account_cooperative_id_product_id_gl_account_id_fkey"),
        "savings_account",
        type_="foreignkey",
    )
    op.create_foreign_key(
        op.f("savings_account_cooperative_id_gl_account_id_fkey"),
        "savings_account",
        "gl_account",
        ["cooperative_id", "gl_account_id"],
        ["cooperative_id", "id"],
    )
    op.create_foreign_key(
        op.f("savings_account_cooperative_id_product_id_fkey"),
        "savings_account",
        "savings_product",
        ["cooperative_id", "product_id"],
        ["cooperative_id", "id"],
    )
    op.drop_constraint("uq_savings_product_gl", "savings_product", type_="unique")
    for table in TABLES:
        op.create_foreign_key(
            f"{table}_cooperative_id_fkey", table, "cooperative", ["cooperative_id"], ["id"]
        )
