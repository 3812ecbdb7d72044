"""loans through close of business: accrual and suspension of interest, principal split
between vigentes, vencidos and judicial, classification kept per month end, provisions and
write-offs booked; guarantees at realisable value, deposits pledged to loans; the credit
types and chart of accounts of the SBS; a cooperative's credit policy and whether it
operates with non-members

Revision ID: 0017
Revises: 0016
Create Date: 2026-11-26 15:44:10.968794
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import context, op
from frozen import rls
from sqlalchemy.dialects import postgresql

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

CREDIT_TYPES_BEFORE = "('consumo', 'microempresa', 'pequena_empresa', 'hipotecario')"
CREDIT_TYPES = (
    "('consumo', 'consumo_revolvente', 'consumo_no_revolvente', 'microempresa', "
    "'pequena_empresa', 'mediana_empresa', 'hipotecario')"
)
# The chart as the SBS manual has it (ledger.chart): codes that were wrong are renamed, so
# that what was posted to them stays where it belongs.
RENAMED = (
    ("11{c}2", "11{c}3", "Bancos y otras empresas del sistema financiero del país"),
    ("51{c}1", "51{c}4", "Intereses por créditos"),
    ("51{c}2", "51{c}4.02", "Intereses moratorios por créditos"),
    ("52{c}1", "51{c}4.03", "Comisiones por créditos"),
    ("45{c}1", "43{c}2", "Provisiones para créditos directos"),
)
# (code, name, normal side, takes postings)
ADDED = (
    ("14{c}9.01", "Provisiones específicas para créditos", "credit", True),
    ("14{c}9.02", "Provisiones genéricas para créditos", "credit", True),
    ("56{c}4", "Recuperación de créditos castigados", "credit", True),
    ("81{c}3", "Créditos castigados", "debit", True),
    ("81{c}4", "Rendimientos de créditos en suspenso", "debit", True),
    ("83{c}3", "Contracuenta de créditos castigados", "credit", True),
    ("83{c}4", "Contracuenta de rendimientos en suspenso", "credit", True),
)
CURRENCIES = (("1", "PEN"), ("2", "USD"))
# New columns of the loan row the service writes (0014: every column but the balance).
LOAN_COLUMNS = (
    "tcea",
    "accounting_status",
    "overdue_gl_account_id",
    "judicial_gl_account_id",
    "overdue_balance",
    "judicial_balance",
    "suspended_interest",
    "suspended_moratory",
    "days_past_due",
    "category",
    "debtor_category",
    "provision_generic",
    "provision_specific",
    "written_off_balance",
    "write_off_requested_by",
    "write_off_requested_by_id",
    "write_off_requested_at",
)


def _roles() -> tuple[str, str]:
    app: str = context.config.attributes.get("app_role") or "coopac_app"
    return app, f"{app}_federation"


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _money(column: str) -> sa.Column:  # type: ignore[type-arg]
    return sa.Column(column, sa.Numeric(precision=18, scale=2), nullable=False, server_default="0")


def upgrade() -> None:
    op.create_table(
        "debtor_classification",
        sa.Column("cooperative_id", sa.Uuid(), nullable=False),
        sa.Column("member_id", sa.Uuid(), nullable=False),
        sa.Column("as_of", sa.Date(), nullable=False),
        sa.Column("category", sa.String(length=10), nullable=False),
        sa.Column("days_past_due", sa.Integer(), nullable=False),
        sa.Column("loans", sa.Integer(), nullable=False),
        sa.Column("balance", sa.Numeric(precision=18, scale=2), nullable=False),
        sa.ForeignKeyConstraint(
            ["cooperative_id", "member_id"],
            ["member.cooperative_id", "member.id"],
            name=op.f("debtor_classification_cooperative_id_member_id_fkey"),
        ),
        sa.PrimaryKeyConstraint(
            "cooperative_id", "member_id", "as_of", name=op.f("debtor_classification_pkey")
        ),
    )
    op.create_table(
        "loan_classification",
        sa.Column("cooperative_id", sa.Uuid(), nullable=False),
        sa.Column("loan_id", sa.Uuid(), nullable=False),
        sa.Column("as_of", sa.Date(), nullable=False),
        sa.Column("member_id", sa.Uuid(), nullable=False),
        sa.Column("credit_type", sa.String(length=24), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("accounting_status", sa.String(length=8), nullable=False),
        sa.Column("days_past_due", sa.Integer(), nullable=False),
        sa.Column("category", sa.String(length=10), nullable=False),
        sa.Column("debtor_category", sa.String(length=10), nullable=False),
        sa.Column("balance", sa.Numeric(precision=18, scale=2), nullable=False),
        sa.Column("overdue_balance", sa.Numeric(precision=18, scale=2), nullable=False),
        sa.Column("judicial_balance", sa.Numeric(precision=18, scale=2), nullable=False),
        sa.Column("accrued_interest", sa.Numeric(precision=18, scale=2), nullable=False),
        sa.Column("suspended_interest", sa.Numeric(precision=18, scale=2), nullable=False),
        sa.Column("covered", sa.Numeric(precision=18, scale=2), nullable=False),
        sa.Column("provision_generic", sa.Numeric(precision=18, scale=2), nullable=False),
        sa.Column("provision_specific", sa.Numeric(precision=18, scale=2), nullable=False),
        sa.ForeignKeyConstraint(
            ["cooperative_id", "loan_id"],
            ["loan.cooperative_id", "loan.id"],
            name=op.f("loan_classification_cooperative_id_loan_id_fkey"),
        ),
        sa.PrimaryKeyConstraint(
            "cooperative_id", "loan_id", "as_of", name=op.f("loan_classification_pkey")
        ),
    )
    op.create_index(
        "ix_loan_classification_day", "loan_classification", ["cooperative_id", "as_of"]
    )
    for table in ("debtor_classification", "loan_classification"):
        rls.enable_tenant_rls(table)
        op.execute(f"ALTER TABLE {table} FORCE ROW LEVEL SECURITY")
        rls.make_append_only(table)

    op.add_column(
        "cooperative",
        sa.Column(
            "operates_with_non_members", sa.Boolean(), nullable=False, server_default="false"
        ),
    )
    op.add_column(
        "cooperative",
        sa.Column(
            "credit_policy",
            postgresql.JSONB(astext_type=sa.Text()),
            server_default="{}",
            nullable=False,
        ),
    )
    op.add_column("loan", sa.Column("tcea", sa.Numeric(precision=12, scale=8), nullable=True))
    op.add_column(
        "loan",
        sa.Column(
            "accounting_status", sa.String(length=8), nullable=False, server_default="current"
        ),
    )
    op.add_column("loan", sa.Column("overdue_gl_account_id", sa.Uuid(), nullable=True))
    op.add_column("loan", sa.Column("judicial_gl_account_id", sa.Uuid(), nullable=True))
    for column in ("overdue_balance", "judicial_balance", "suspended_interest"):
        op.add_column("loan", _money(column))
    op.add_column("loan", _money("suspended_moratory"))
    op.add_column(
        "loan", sa.Column("days_past_due", sa.Integer(), nullable=False, server_default="0")
    )
    for column in ("category", "debtor_category"):
        op.add_column(
            "loan",
            sa.Column(column, sa.String(length=10), nullable=False, server_default="normal"),
        )
    for column in ("provision_generic", "provision_specific", "written_off_balance"):
        op.add_column("loan", _money(column))
    op.add_column("loan", sa.Column("write_off_requested_by", sa.String(length=100), nullable=True))
    op.add_column("loan", sa.Column("write_off_requested_by_id", sa.Uuid(), nullable=True))
    op.add_column(
        "loan",
        sa.Column("write_off_requested_at", sa.DateTime(timezone=True), nullable=True),
    )
    op.add_column("loan_collateral", _money("realizable_value"))
    op.create_index("ix_loan_collateral_loan", "loan_collateral", ["cooperative_id", "loan_id"])
    op.add_column("loan_installment", _money("interest_accrued"))
    op.add_column("loan_installment", _money("moratory_accrued"))
    op.add_column("savings_hold", sa.Column("loan_id", sa.Uuid(), nullable=True))
    op.create_index(
        "ix_savings_hold_loan",
        "savings_hold",
        ["cooperative_id", "loan_id"],
        postgresql_where="loan_id IS NOT NULL",
    )
    op.create_foreign_key(
        op.f("savings_hold_cooperative_id_loan_id_fkey"),
        "savings_hold",
        "loan",
        ["cooperative_id", "loan_id"],
        ["cooperative_id", "id"],
    )
    for column in ("overdue_gl_account_id", "judicial_gl_account_id"):
        op.create_foreign_key(
            op.f(f"loan_cooperative_id_{column}_fkey"),
            "loan",
            "gl_account",
            ["cooperative_id", column],
            ["cooperative_id", "id"],
        )
    op.drop_constraint("credit_type_valid", "loan_product", type_="check")
    op.alter_column(
        "loan_product",
        "credit_type",
        type_=sa.String(length=24),
        existing_type=sa.String(length=16),
        existing_nullable=False,
    )
    op.create_check_constraint(
        "credit_type_valid", "loan_product", f"credit_type IN {CREDIT_TYPES}"
    )
    op.create_check_constraint(
        "accounting_status_valid",
        "loan",
        "accounting_status IN ('current', 'overdue', 'judicial')",
    )
    op.create_check_constraint(
        "balance_parts",
        "loan",
        "overdue_balance >= 0 AND judicial_balance >= 0",
    )
    op.create_check_constraint(
        "memo_not_negative",
        "loan",
        "suspended_interest >= 0 AND suspended_moratory >= 0 AND provision_generic >= 0 "
        "AND provision_specific >= 0 AND written_off_balance >= 0",
    )
    # Interest paid before this revision was recognised as it was collected; collateral was
    # counted at its value.
    app, fed = _roles()
    _force_rls(("loan_installment", "loan_collateral", "loan", "gl_account"), False)
    op.execute("UPDATE loan_installment SET interest_accrued = interest_paid")
    op.execute("UPDATE loan_collateral SET realizable_value = value")
    op.create_check_constraint(
        "interest_accrued_bounds",
        "loan_installment",
        "interest_accrued <= interest AND interest_paid <= interest_accrued",
    )
    # the models give these no server default
    for table, columns in (
        ("cooperative", ("operates_with_non_members",)),
        (
            "loan",
            (
                "accounting_status",
                "overdue_balance",
                "judicial_balance",
                "suspended_interest",
                "suspended_moratory",
                "days_past_due",
                "category",
                "debtor_category",
                "provision_generic",
                "provision_specific",
                "written_off_balance",
            ),
        ),
        ("loan_collateral", ("realizable_value",)),
        ("loan_installment", ("interest_accrued", "moratory_accrued")),
    ):
        for column in columns:
            op.alter_column(table, column, server_default=None)
    op.create_index(
        "ix_loan_installment_unpaid",
        "loan_installment",
        ["cooperative_id", "due_date"],
        postgresql_where="paid_on IS NULL",
    )
    op.create_index(
        "ix_loan_installment_paid",
        "loan_installment",
        ["cooperative_id", "paid_on"],
        postgresql_where="paid_on IS NOT NULL",
    )
    # installments change every day now (interest accrued): room for in-page updates
    op.execute("ALTER TABLE loan_installment SET (fillfactor = 80)")
    for role in (app, fed):
        op.execute(f"GRANT UPDATE ({', '.join(LOAN_COLUMNS)}) ON loan TO {_q(role)}")
    _chart()
    _force_rls(("loan_installment", "loan_collateral", "loan", "gl_account"), True)


def _force_rls(tables: Sequence[str], force: bool) -> None:
    """Every cooperative's rows at once, as the tables' owner: row-level security is forced
    on the owner too (0014), so it is lifted for this migration's own statements."""
    for table in tables:
        op.execute(f"ALTER TABLE {table} {'' if force else 'NO '}FORCE ROW LEVEL SECURITY")


def _chart() -> None:
    """Every cooperative's chart."""
    for digit, _ in CURRENCIES:
        for old, new, name in RENAMED:
            op.execute(
                sa.text(
                    "UPDATE gl_account g SET code = :new, "
                    "name = :name || ' (' || g.currency || ')' WHERE g.code = :old "
                    "AND NOT EXISTS (SELECT 1 FROM gl_account x WHERE x.cooperative_id = "
                    "g.cooperative_id AND x.code = :new)"
                ).bindparams(old=old.format(c=digit), new=new.format(c=digit), name=name)
            )
    for digit, currency in CURRENCIES:
        for code, name, side, posting in ADDED:
            op.execute(
                sa.text(
                    "INSERT INTO gl_account (cooperative_id, id, code, name, currency, "
                    "normal_side, allows_posting, is_system) "
                    "SELECT c.id, gen_random_uuid(), :code, :name, :currency, :side, :posting, "
                    "true FROM cooperative c ON CONFLICT (cooperative_id, code) DO NOTHING"
                ).bindparams(
                    code=code.format(c=digit),
                    name=f"{name} ({currency})",
                    currency=currency,
                    side=side,
                    posting=posting,
                )
            )
        # 14x9 is the parent of the generic and specific provisions now
        op.execute(
            sa.text(
                "UPDATE gl_account SET allows_posting = false WHERE code = :code "
                "AND NOT EXISTS (SELECT 1 FROM posting p WHERE p.cooperative_id = "
                "gl_account.cooperative_id AND p.gl_account_id = gl_account.id)"
            ).bindparams(code=f"14{digit}9")
        )
        # the vencidos and judicial accounts of every loan paid out
        for column, template in (
            ("overdue_gl_account_id", "14{c}5"),
            ("judicial_gl_account_id", "14{c}6"),
        ):
            op.execute(
                sa.text(
                    f"UPDATE loan l SET {column} = g.id FROM gl_account g "
                    "WHERE g.cooperative_id = l.cooperative_id AND g.code = :code "
                    "AND l.currency = :currency AND l.disbursed_on IS NOT NULL"
                ).bindparams(code=template.format(c=digit), currency=currency)
            )


def downgrade() -> None:
    op.execute("ALTER TABLE loan_installment RESET (fillfactor)")
    op.drop_index("ix_loan_installment_paid", table_name="loan_installment")
    op.drop_index("ix_loan_installment_unpaid", table_name="loan_installment")
    _force_rls(("gl_account",), False)
    for digit, _ in CURRENCIES:
        for code, *_ in ADDED:
            op.execute(
                sa.text(
                    "DELETE FROM gl_account g WHERE g.code = :code AND NOT EXISTS "
                    "(SELECT 1 FROM posting p WHERE p.cooperative_id = g.cooperative_id "
                    "AND p.gl_account_id = g.id)"
                ).bindparams(code=code.format(c=digit))
            )
        for old, new, _name in RENAMED:
            op.execute(
                sa.text("UPDATE gl_account SET code = :old WHERE code = :new").bindparams(
                    old=old.format(c=digit), new=new.format(c=digit)
                )
            )
        op.execute(
            sa.text("UPDATE gl_account SET allows_posting = true WHERE code = :code").bindparams(
                code=f"14{digit}9"
            )
        )
    _force_rls(("gl_account",), True)
    op.drop_constraint("interest_accrued_bounds", "loan_installment", type_="check")
    op.drop_constraint("memo_not_negative", "loan", type_="check")
    op.drop_constraint("balance_parts", "loan", type_="check")
    op.drop_constraint("accounting_status_valid", "loan", type_="check")
    op.drop_constraint("credit_type_valid", "loan_product", type_="check")
    op.alter_column(
        "loan_product",
        "credit_type",
        type_=sa.String(length=16),
        existing_type=sa.String(length=24),
        existing_nullable=False,
    )
    op.create_check_constraint(
        "credit_type_valid", "loan_product", f"credit_type IN {CREDIT_TYPES_BEFORE}"
    )
    for column in ("overdue_gl_account_id", "judicial_gl_account_id"):
        op.drop_constraint(op.f(f"loan_cooperative_id_{column}_fkey"), "loan", type_="foreignkey")
    op.drop_constraint(
        op.f("savings_hold_cooperative_id_loan_id_fkey"), "savings_hold", type_="foreignkey"
    )
    op.drop_index(
        "ix_savings_hold_loan", table_name="savings_hold", postgresql_where="loan_id IS NOT NULL"
    )
    op.drop_column("savings_hold", "loan_id")
    op.drop_column("loan_installment", "moratory_accrued")
    op.drop_column("loan_installment", "interest_accrued")
    op.drop_index("ix_loan_collateral_loan", table_name="loan_collateral")
    op.drop_column("loan_collateral", "realizable_value")
    for column in reversed(LOAN_COLUMNS):
        op.drop_column("loan", column)
    op.drop_column("cooperative", "credit_policy")
    op.drop_column("cooperative", "operates_with_non_members")
    op.drop_index("ix_loan_classification_day", table_name="loan_classification")
    op.drop_table("loan_classification")
    op.drop_table("debtor_classification")
