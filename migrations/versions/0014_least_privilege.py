"""least privilege: the service's role gets only the grants the code uses, balances move
only through the posting trigger, row-level security is forced on every tenant table, and
seeing every tenant takes a separate role (not a setting any request can set)

Revision ID: 0014
Revises: 0013
Create Date: 2026-11-26 13:20:00
"""

from collections.abc import Sequence

from alembic import context, op
from frozen import rls
from sqlalchemy import text

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Tables whose rows the service changes, and the member accounts among them: their
# balance is the posting trigger's alone.
UPDATED = (
    "api_key",
    "branch",
    "cooperative",
    "counter",
    "idempotency_key",
    "loan_installment",
    "loan_product",
    "member",
    "operation_limit",
    "refresh_token",
    "reversal_request",
    "savings_hold",
    "savings_product",
    "staff_user",
)
BALANCE_TABLES = ("savings_account", "share_account", "loan")
# Rows the service deletes: a user's grants when their roles change; a loan's installments
# when the reversal of its operation puts back the ones it had.
DELETED = ("role_grant", "loan_installment")

# The ledger moves a member account's balance by what its postings add up to, from the
# holder's side (a credit raises a deposit, a debit raises a loan). It runs as the schema's
# owner within the request's tenant, and refuses to move fewer accounts than were posted
# to (a row the tenant cannot see would otherwise be skipped in silence).
# (account kind, table, how a posting moves it: deposits and shares are credit-normal, so a
# credit (negative amount) raises them; a loan is debit-normal)
_KINDS = (
    ("savings", "savings_account", "-"),
    ("share", "share_account", "-"),
    ("loan", "loan", "+"),
)
_MOVE_KIND = """
    SELECT count(DISTINCT account_id) INTO expected
    FROM new_postings WHERE account_kind = '{kind}';
    IF expected > 0 THEN
        UPDATE {table} a SET balance = a.balance {sign} d.amount
        FROM (SELECT cooperative_id, account_id, sum(amount) AS amount FROM new_postings
              WHERE account_kind = '{kind}' GROUP BY cooperative_id, account_id) d
        WHERE a.cooperative_id = d.cooperative_id AND a.id = d.account_id;
        GET DIAGNOSTICS moved = ROW_COUNT;
        IF moved <> expected THEN
            RAISE EXCEPTION 'posted to % {kind} accounts, moved %', expected, moved;
        END IF;
    END IF;"""
APPLY_POSTINGS = (
    """
CREATE FUNCTION coopac_apply_postings() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = public, pg_temp
AS $$
DECLARE
    expected integer;
    moved integer;
BEGIN"""
    + "".join(_MOVE_KIND.format(kind=k, table=t, sign=sign) for k, t, sign in _KINDS)
    + """
    RETURN NULL;
END
$$;
REVOKE ALL ON FUNCTION coopac_apply_postings() FROM PUBLIC;
CREATE TRIGGER posting_moves_balances AFTER INSERT ON posting
REFERENCING NEW TABLE AS new_postings
FOR EACH STATEMENT EXECUTE FUNCTION coopac_apply_postings();
"""
)

OLD_TENANT_ALL = """
CREATE OR REPLACE FUNCTION coopac_tenant_all() RETURNS boolean
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT coalesce(current_setting('coopac.tenant', true), '') = '*'
$$;
"""


def _names() -> tuple[str, str, str]:
    """(app role, federation role, owner), unquoted."""
    app: str = context.config.attributes.get("app_role") or "coopac_app"
    owner = op.get_bind().execute(text("SELECT current_user")).scalar_one()
    return app, f"{app}_federation", owner


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _tenant_tables() -> list[str]:
    return list(
        op.get_bind()
        .execute(
            text(
                "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                "WHERE n.nspname = 'public' AND c.relkind = 'r' AND c.relrowsecurity "
                "ORDER BY 1"
            )
        )
        .scalars()
    )


def _all_tables() -> list[str]:
    return list(
        op.get_bind()
        .execute(
            text(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' "
                "AND tablename <> 'alembic_version' ORDER BY 1"
            )
        )
        .scalars()
    )


def _columns_but_balance(table: str) -> str:
    cols = op.get_bind().execute(
        text(
            "SELECT column_name FROM information_schema.columns WHERE table_schema = 'public' "
            "AND table_name = :t AND column_name <> 'balance' ORDER BY ordinal_position"
        ),
        {"t": table},
    )
    return ", ".join(_q(c) for c in cols.scalars())


def _grant(role: str) -> None:
    r = _q(role)
    op.execute(f"REVOKE ALL ON ALL TABLES IN SCHEMA public FROM {r}")
    op.execute(f"GRANT USAGE ON SCHEMA public TO {r}")
    op.execute(f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {r}")
    for table in _all_tables():
        op.execute(f"GRANT SELECT, INSERT ON {table} TO {r}")
    op.execute(f"GRANT SELECT ON alembic_version TO {r}")
    for table in UPDATED:
        op.execute(f"GRANT UPDATE ON {table} TO {r}")
    for table in BALANCE_TABLES:
        op.execute(f"GRANT UPDATE ({_columns_but_balance(table)}) ON {table} TO {r}")
    for table in DELETED:
        op.execute(f"GRANT DELETE ON {table} TO {r}")
    # Tables made later get reading and adding; whatever more they need, their migration
    # grants it in so many words.
    op.execute(
        f"ALTER DEFAULT PRIVILEGES IN SCHEMA public REVOKE UPDATE, DELETE ON TABLES FROM {r}"
    )
    op.execute(f"ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT ON TABLES TO {r}")
    op.execute(f"ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO {r}")


def upgrade() -> None:
    app, federation, _ = _names()
    literal = federation.replace("'", "''")
    # Every tenant at once is this role's view, and only its own: the service becomes it
    # (SET ROLE, which needs the membership granted here) for the federation's requests
    # and to find a caller by their credentials; a setting no longer opens anything.
    op.execute(
        f"""
        DO $$
        BEGIN
            IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{literal}') THEN
                CREATE ROLE {_q(federation)} NOLOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB;
            END IF;
        END
        $$
        """
    )
    op.execute(f"GRANT {_q(federation)} TO {_q(app)}")
    op.execute(
        f"""
        DO $$
        BEGIN
            IF NOT (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) THEN
                EXECUTE 'GRANT {_q(federation).replace("'", "''")} TO CURRENT_USER';
            END IF;
        END
        $$
        """
    )
    op.execute(
        "CREATE OR REPLACE FUNCTION coopac_tenant_all() RETURNS boolean "
        "LANGUAGE sql STABLE PARALLEL SAFE AS $$ "
        f"SELECT current_user = '{literal}' $$"
    )
    _grant(app)
    _grant(federation)
    # The principal lookup reads any tenant's user by id: it runs as the federation role,
    # since even the owner sees one tenant at a time once row-level security is forced.
    op.execute(f"ALTER FUNCTION coopac_principal(uuid) OWNER TO {_q(federation)}")
    op.execute(APPLY_POSTINGS)
    for table in _tenant_tables():
        op.execute(f"ALTER TABLE {table} FORCE ROW LEVEL SECURITY")


def downgrade() -> None:
    app, federation, owner = _names()
    for table in _tenant_tables():
        op.execute(f"ALTER TABLE {table} NO FORCE ROW LEVEL SECURITY")
    op.execute("DROP TRIGGER IF EXISTS posting_moves_balances ON posting")
    op.execute("DROP FUNCTION IF EXISTS coopac_apply_postings()")
    op.execute(f"ALTER FUNCTION coopac_principal(uuid) OWNER TO {_q(owner)}")
    op.execute(OLD_TENANT_ALL)
    fed = _q(federation)
    op.execute(f"REVOKE ALL ON ALL TABLES IN SCHEMA public FROM {fed}")
    op.execute(f"REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM {fed}")
    op.execute(f"ALTER DEFAULT PRIVILEGES IN SCHEMA public REVOKE ALL ON TABLES FROM {fed}")
    op.execute(f"ALTER DEFAULT PRIVILEGES IN SCHEMA public REVOKE ALL ON SEQUENCES FROM {fed}")
    op.execute(f"REVOKE USAGE ON SCHEMA public FROM {fed}")
    op.execute(f"REVOKE {fed} FROM {_q(app)}")
    # the role itself stays: roles are the cluster's, and another database may use it
    rls.grant_app_role()
