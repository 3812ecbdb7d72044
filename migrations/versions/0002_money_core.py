"""money core

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22 11:48:31.908370
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from frozen import rls
from sqlalchemy.dialects import postgresql

TENANT_TABLES = (
    "counter",
    "idempotency_key",
    "member",
    "gl_account",
    "journal_entry",
    "posting",
    "savings_product",
    "share_account",
    "savings_account",
    "savings_hold",
)

# Deferred to commit: an entry is checked once all its postings are in.
LEDGER_TRIGGERS = """
CREATE FUNCTION coopac_check_entry_balanced() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    unbalanced text;
BEGIN
    SELECT currency INTO unbalanced FROM posting
     WHERE cooperative_id = NEW.cooperative_id AND entry_id = NEW.entry_id
     GROUP BY currency HAVING sum(amount) <> 0 LIMIT 1;
    IF unbalanced IS NOT NULL THEN
        RAISE EXCEPTION 'journal entry % does not balance in %', NEW.entry_id, unbalanced
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NULL;
END
$$;

CREATE CONSTRAINT TRIGGER posting_balanced AFTER INSERT ON posting
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION coopac_check_entry_balanced();

CREATE FUNCTION coopac_check_entry_has_postings() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM posting
                    WHERE cooperative_id = NEW.cooperative_id AND entry_id = NEW.id) THEN
        RAISE EXCEPTION 'journal entry % has no postings', NEW.id
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NULL;
END
$$;

CREATE CONSTRAINT TRIGGER journal_entry_has_postings AFTER INSERT ON journal_entry
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION coopac_check_entry_has_postings();
"""


# The chart of accounts as it stood at this revision: (code template with {c} for the
# currency digit, name, control kind, contra account, takes postings). Frozen here: the
# service's chart may change, this migration may not.
CHART_0002 = (
    ("11{c}1", "Caja", None, False, False),
    ("11{c}2", "Bancos y otras empresas del sistema financiero", None, False, True),
    ("14{c}1", "Créditos vigentes", "loan", False, True),
    ("14{c}4", "Créditos refinanciados", "loan", False, True),
    ("14{c}5", "Créditos vencidos", "loan", False, True),
    ("14{c}6", "Créditos en cobranza judicial", "loan", False, True),
    ("14{c}8", "Rendimientos devengados de créditos", None, False, True),
    ("14{c}9", "Provisiones para créditos", None, True, True),
    ("15{c}1", "Cuentas por cobrar diversas", None, False, True),
    ("21{c}1", "Obligaciones a la vista", "savings", False, True),
    ("21{c}2", "Obligaciones por cuentas de ahorro", "savings", False, True),
    ("21{c}3", "Obligaciones por cuentas a plazo", "savings", False, True),
    ("25{c}1", "Cuentas por pagar diversas", None, False, True),
    ("31{c}1", "Capital social: aportaciones", "share", False, True),
    ("33{c}1", "Reserva cooperativa", None, False, True),
    ("41{c}1", "Intereses por obligaciones con los asociados", None, False, True),
    ("45{c}1", "Provisiones para créditos directos", None, False, True),
    ("51{c}1", "Intereses por créditos", None, False, True),
    ("51{c}2", "Intereses moratorios", None, False, True),
    ("52{c}1", "Comisiones por créditos", None, False, True),
)
CURRENCY_DIGITS = (("PEN", "1"), ("USD", "2"))


def _normal_side(code: str, contra: bool) -> str:
    debit = (code[0] in "146") != contra
    return "debit" if debit else "credit"


def _seed_existing_cooperatives() -> None:
    """Give cooperatives and branches created before the ledger their chart and cash."""
    bind = op.get_bind()
    insert = sa.text(
        "INSERT INTO gl_account (cooperative_id, id, code, name, currency, normal_side, "
        "control_kind, branch_id, allows_posting, is_system) VALUES (:c, gen_random_uuid(), "
        ":code, :name, :cur, :side, :control, :branch, :posting, true)"
    )
    for (coop_id,) in bind.execute(sa.text("SELECT id FROM cooperative")):
        for template, name, control, contra, posting in CHART_0002:
            for cur, digit in CURRENCY_DIGITS:
                code = template.format(c=digit)
                bind.execute(
                    insert,
                    {
                        "c": coop_id,
                        "code": code,
                        "name": f"{name} ({cur})",
                        "cur": cur,
                        "side": _normal_side(code, contra),
                        "control": control,
                        "branch": None,
                        "posting": posting,
                    },
                )
    for coop_id, branch_id, branch_code, name in bind.execute(
        sa.text("SELECT cooperative_id, id, code, name FROM branch")
    ):
        for cur, digit in CURRENCY_DIGITS:
            bind.execute(
                insert,
                {
                    "c": coop_id,
                    "code": f"11{digit}1.{branch_code}",
                    "name": f"Caja {name} ({cur})",
                    "cur": cur,
                    "side": "debit",
                    "control": None,
                    "branch": branch_id,
                    "posting": True,
                },
            )


revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "counter",
        sa.Column("cooperative_id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.String(length=32), nullable=False),
        sa.Column("value", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["cooperative_id"],
            ["cooperative.id"],
        ),
        sa.PrimaryKeyConstraint("cooperative_id", "name"),
    )
    op.create_table(
        "idempotency_key",
        sa.Column("cooperative_id", sa.Uuid(), nullable=False),
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("request_hash", sa.String(length=64), nullable=False),
        sa.Column("actor", sa.String(length=100), nullable=False),
        sa.Column("response_status", sa.Integer(), nullable=False),
        sa.Column("response_body", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["cooperative_id"],
            ["cooperative.id"],
        ),
        sa.PrimaryKeyConstraint("cooperative_id", "key"),
    )
    op.create_table(
        "member",
        sa.Column("cooperative_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("member_number", sa.String(length=20), nullable=False),
        sa.Column("is_member", sa.Boolean(), nullable=False),
        sa.Column("document_type", sa.String(length=3), nullable=False),
        sa.Column("document_number", sa.String(length=15), nullable=False),
        sa.Column("first_names", sa.String(length=100), nullable=True),
        sa.Column("last_names", sa.String(length=100), nullable=True),
        sa.Column("legal_name", sa.String(length=200), nullable=True),
        sa.Column("birth_date", sa.Date(), nullable=True),
        sa.Column("sex", sa.String(length=1), nullable=True),
        sa.Column("phone", sa.String(length=30), nullable=True),
        sa.Column("email", sa.String(length=200), nullable=True),
        sa.Column("address", sa.String(length=300), nullable=True),
        sa.Column("ubigeo", sa.String(length=6), nullable=True),
        sa.Column("occupation", sa.String(length=100), nullable=True),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("applied_on", sa.Date(), nullable=False),
        sa.Column("admitted_on", sa.Date(), nullable=True),
        sa.Column("suspended_on", sa.Date(), nullable=True),
        sa.Column("withdrawn_on", sa.Date(), nullable=True),
        sa.Column("deceased_on", sa.Date(), nullable=True),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "(document_type = 'RUC') = (legal_name IS NOT NULL)", name="legal_person_named"
        ),
        sa.CheckConstraint("document_type IN ('DNI', 'CE', 'RUC')", name="document_type_valid"),
        sa.CheckConstraint(
            "status IN ('applicant', 'active', 'suspended', 'withdrawn', 'deceased')",
            name="status_valid",
        ),
        sa.ForeignKeyConstraint(
            ["cooperative_id"],
            ["cooperative.id"],
        ),
        sa.PrimaryKeyConstraint("cooperative_id", "id"),
        sa.UniqueConstraint(
            "cooperative_id", "document_type", "document_number", name="uq_member_document"
        ),
        sa.UniqueConstraint("cooperative_id", "member_number", name="uq_member_number"),
    )
    op.create_index(
        "ix_member_names", "member", ["cooperative_id", "last_names", "first_names"], unique=False
    )
    op.create_table(
        "gl_account",
        sa.Column("cooperative_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("normal_side", sa.String(length=6), nullable=False),
        sa.Column("control_kind", sa.String(length=16), nullable=True),
        sa.Column("branch_id", sa.Uuid(), nullable=True),
        sa.Column("allows_posting", sa.Boolean(), nullable=False),
        sa.Column("is_system", sa.Boolean(), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.CheckConstraint(
            "control_kind IS NULL OR control_kind IN ('savings', 'share', 'loan')",
            name="control_kind_valid",
        ),
        sa.CheckConstraint("currency IN ('PEN', 'USD')", name="currency_valid"),
        sa.CheckConstraint("normal_side IN ('debit', 'credit')", name="normal_side_valid"),
        sa.ForeignKeyConstraint(
            ["cooperative_id", "branch_id"],
            ["branch.cooperative_id", "branch.id"],
        ),
        sa.ForeignKeyConstraint(
            ["cooperative_id"],
            ["cooperative.id"],
        ),
        sa.PrimaryKeyConstraint("cooperative_id", "id"),
        sa.UniqueConstraint("cooperative_id", "code", name="uq_gl_account_code"),
        sa.UniqueConstraint("cooperative_id", "id", "currency", name="uq_gl_account_currency"),
    )
    op.create_table(
        "journal_entry",
        sa.Column("cooperative_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("seq", sa.BigInteger(), sa.Identity(always=True), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("branch_id", sa.Uuid(), nullable=True),
        sa.Column("business_date", sa.Date(), nullable=False),
        sa.Column("value_date", sa.Date(), nullable=False),
        sa.Column("description", sa.String(length=300), nullable=True),
        sa.Column("actor_user_id", sa.Uuid(), nullable=True),
        sa.Column("actor_api_key_id", sa.Uuid(), nullable=True),
        sa.Column("actor_name", sa.String(length=100), nullable=False),
        sa.Column("request_id", sa.String(length=64), nullable=True),
        sa.Column("reversal_of", sa.Uuid(), nullable=True),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["cooperative_id", "branch_id"],
            ["branch.cooperative_id", "branch.id"],
        ),
        sa.ForeignKeyConstraint(
            ["cooperative_id", "reversal_of"],
            ["journal_entry.cooperative_id", "journal_entry.id"],
        ),
        sa.ForeignKeyConstraint(
            ["cooperative_id"],
            ["cooperative.id"],
        ),
        sa.PrimaryKeyConstraint("cooperative_id", "id"),
        sa.UniqueConstraint("seq"),
    )
    op.create_index(
        "ix_journal_entry_date",
        "journal_entry",
        ["cooperative_id", "business_date", "seq"],
        unique=False,
    )
    op.create_index(
        "uq_journal_entry_reversal_of",
        "journal_entry",
        ["cooperative_id", "reversal_of"],
        unique=True,
        postgresql_where="reversal_of IS NOT NULL",
    )
    op.create_table(
        "posting",
        sa.Column("cooperative_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.BigInteger(), sa.Identity(always=True), nullable=False),
        sa.Column("entry_id", sa.Uuid(), nullable=False),
        sa.Column("gl_account_id", sa.Uuid(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("amount", sa.Numeric(precision=18, scale=2), nullable=False),
        sa.Column("account_kind", sa.String(length=16), nullable=True),
        sa.Column("account_id", sa.Uuid(), nullable=True),
        sa.Column("balance_after", sa.Numeric(precision=18, scale=2), nullable=True),
        sa.Column("business_date", sa.Date(), nullable=False),
        sa.Column("value_date", sa.Date(), nullable=False),
        sa.CheckConstraint(
            "(account_kind IS NULL) = (account_id IS NULL)", name="member_account_complete"
        ),
        sa.CheckConstraint("amount <> 0", name="amount_not_zero"),
        sa.CheckConstraint("amount = round(amount, 2)", name="amount_cents"),
        sa.ForeignKeyConstraint(
            ["cooperative_id", "entry_id"],
            ["journal_entry.cooperative_id", "journal_entry.id"],
        ),
        sa.ForeignKeyConstraint(
            ["cooperative_id", "gl_account_id", "currency"],
            ["gl_account.cooperative_id", "gl_account.id", "gl_account.currency"],
        ),
        sa.PrimaryKeyConstraint("cooperative_id", "id"),
    )
    op.create_index("ix_posting_entry", "posting", ["cooperative_id", "entry_id"], unique=False)
    op.create_index(
        "ix_posting_gl_date",
        "posting",
        ["cooperative_id", "gl_account_id", "business_date"],
        unique=False,
    )
    op.create_index(
        "ix_posting_member_account", "posting", ["cooperative_id", "account_id", "id"], unique=False
    )
    op.create_table(
        "savings_product",
        sa.Column("cooperative_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("code", sa.String(length=20), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=5), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("tea", sa.Numeric(precision=9, scale=6), nullable=False),
        sa.Column("min_balance", sa.Numeric(precision=18, scale=2), nullable=False),
        sa.Column("term_days", sa.Integer(), nullable=True),
        sa.Column("early_withdrawal", sa.String(length=20), nullable=False),
        sa.Column("gl_account_id", sa.Uuid(), nullable=False),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.CheckConstraint("(kind = 'term') = (term_days IS NOT NULL)", name="term_days_for_term"),
        sa.CheckConstraint("currency IN ('PEN', 'USD')", name="currency_valid"),
        sa.CheckConstraint(
            "early_withdrawal IN ('not_allowed', 'forfeit_interest')", name="early_withdrawal_valid"
        ),
        sa.CheckConstraint("kind IN ('sight', 'term')", name="kind_valid"),
        sa.CheckConstraint("min_balance >= 0", name="min_balance_not_negative"),
        sa.CheckConstraint("tea >= 0 AND tea < 1", name="tea_range"),
        sa.ForeignKeyConstraint(
            ["cooperative_id", "gl_account_id"],
            ["gl_account.cooperative_id", "gl_account.id"],
        ),
        sa.ForeignKeyConstraint(
            ["cooperative_id"],
            ["cooperative.id"],
        ),
        sa.PrimaryKeyConstraint("cooperative_id", "id"),
        sa.UniqueConstraint("cooperative_id", "code", name="uq_savings_product_code"),
    )
    op.create_table(
        "share_account",
        sa.Column("cooperative_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("member_id", sa.Uuid(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("balance", sa.Numeric(precision=18, scale=2), nullable=False),
        sa.Column("gl_account_id", sa.Uuid(), nullable=False),
        sa.Column("status", sa.String(length=8), nullable=False),
        sa.Column("opened_on", sa.Date(), nullable=False),
        sa.Column("closed_on", sa.Date(), nullable=True),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.CheckConstraint("status IN ('active', 'closed')", name="status_valid"),
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
            ["cooperative_id"],
            ["cooperative.id"],
        ),
        sa.PrimaryKeyConstraint("cooperative_id", "id"),
        sa.UniqueConstraint("cooperative_id", "member_id", name="uq_share_account_member"),
    )
    op.create_table(
        "savings_account",
        sa.Column("cooperative_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("number", sa.String(length=20), nullable=False),
        sa.Column("member_id", sa.Uuid(), nullable=False),
        sa.Column("product_id", sa.Uuid(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("status", sa.String(length=8), nullable=False),
        sa.Column("balance", sa.Numeric(precision=18, scale=2), nullable=False),
        sa.Column("held_amount", sa.Numeric(precision=18, scale=2), nullable=False),
        sa.Column("gl_account_id", sa.Uuid(), nullable=False),
        sa.Column("opened_on", sa.Date(), nullable=False),
        sa.Column("placed_on", sa.Date(), nullable=True),
        sa.Column("maturity_date", sa.Date(), nullable=True),
        sa.Column("closed_on", sa.Date(), nullable=True),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "status IN ('active', 'dormant', 'blocked', 'closed')", name="status_valid"
        ),
        sa.CheckConstraint("balance >= 0", name="balance_not_negative"),
        sa.CheckConstraint("held_amount >= 0", name="held_not_negative"),
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
            ["savings_product.cooperative_id", "savings_product.id"],
        ),
        sa.ForeignKeyConstraint(
            ["cooperative_id"],
            ["cooperative.id"],
        ),
        sa.PrimaryKeyConstraint("cooperative_id", "id"),
        sa.UniqueConstraint("cooperative_id", "number", name="uq_savings_account_number"),
    )
    op.create_index(
        "ix_savings_account_member",
        "savings_account",
        ["cooperative_id", "member_id"],
        unique=False,
    )
    op.create_table(
        "savings_hold",
        sa.Column("cooperative_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("account_id", sa.Uuid(), nullable=False),
        sa.Column("amount", sa.Numeric(precision=18, scale=2), nullable=False),
        sa.Column("reason", sa.String(length=300), nullable=False),
        sa.Column("status", sa.String(length=8), nullable=False),
        sa.Column("placed_by", sa.String(length=100), nullable=False),
        sa.Column(
            "placed_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False
        ),
        sa.Column("released_by", sa.String(length=100), nullable=True),
        sa.Column("released_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint("status IN ('active', 'released')", name="status_valid"),
        sa.CheckConstraint("amount > 0", name="amount_positive"),
        sa.ForeignKeyConstraint(
            ["cooperative_id", "account_id"],
            ["savings_account.cooperative_id", "savings_account.id"],
        ),
        sa.ForeignKeyConstraint(
            ["cooperative_id"],
            ["cooperative.id"],
        ),
        sa.PrimaryKeyConstraint("cooperative_id", "id"),
    )
    op.create_index(
        "ix_savings_hold_account", "savings_hold", ["cooperative_id", "account_id"], unique=False
    )

    for table in TENANT_TABLES:
        rls.enable_tenant_rls(table)
    rls.make_append_only("journal_entry")
    rls.make_append_only("posting")
    op.execute(LEDGER_TRIGGERS)
    _seed_existing_cooperatives()


def downgrade() -> None:
    op.drop_index("ix_savings_hold_account", table_name="savings_hold")
    op.drop_table("savings_hold")
    op.drop_index("ix_savings_account_member", table_name="savings_account")
    op.drop_table("savings_account")
    op.drop_table("share_account")
    op.drop_table("savings_product")
    op.drop_index("ix_posting_member_account", table_name="posting")
    op.drop_index("ix_posting_gl_date", table_name="posting")
    op.drop_index("ix_posting_entry", table_name="posting")
    op.drop_table("posting")
    op.drop_index(
        "uq_journal_entry_reversal_of",
        table_name="journal_entry",
        postgresql_where="reversal_of IS NOT NULL",
    )
    op.drop_index("ix_journal_entry_date", table_name="journal_entry")
    op.drop_table("journal_entry")
    op.drop_table("gl_account")
    op.drop_index("ix_member_names", table_name="member")
    op.drop_table("member")
    op.drop_table("idempotency_key")
    op.drop_table("counter")
    op.execute("DROP FUNCTION IF EXISTS coopac_check_entry_balanced()")
    op.execute("DROP FUNCTION IF EXISTS coopac_check_entry_has_postings()")
