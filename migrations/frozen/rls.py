"""SQL for tenant isolation and append-only tables, as the migrations 0001 to 0004 use it.

Row-level security: each transaction states its scope with ``set_config('coopac.tenant',
..., true)`` (see ``db.set_tenant_scope``): one cooperative's id, or ``*`` for federation-
wide work. Unset, the app role sees no tenant rows at all. Frozen: never edit these; a
later migration that needs something else writes it itself.
"""

from __future__ import annotations

from alembic import context, op

TENANT_FUNCTIONS = """
CREATE OR REPLACE FUNCTION coopac_tenant_all() RETURNS boolean
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT coalesce(current_setting('coopac.tenant', true), '') = '*'
$$;

CREATE OR REPLACE FUNCTION coopac_tenant() RETURNS uuid
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT CASE
        WHEN coalesce(current_setting('coopac.tenant', true), '') IN ('', '*') THEN NULL
        ELSE current_setting('coopac.tenant', true)::uuid
    END
$$;

CREATE OR REPLACE FUNCTION coopac_refuse_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'insufficient_privilege';
END
$$;
"""

DROP_TENANT_FUNCTIONS = """
DROP FUNCTION IF EXISTS coopac_refuse_change();
DROP FUNCTION IF EXISTS coopac_tenant();
DROP FUNCTION IF EXISTS coopac_tenant_all();
"""


def app_role() -> str:
    role: str = context.config.attributes.get("app_role") or "coopac_app"
    return '"' + role.replace('"', '""') + '"'


def enable_tenant_rls(table: str, column: str = "cooperative_id") -> None:
    op.execute(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
    op.execute(
        f"CREATE POLICY tenant_isolation ON {table} "
        f"USING (coopac_tenant_all() OR {column} = coopac_tenant()) "
        f"WITH CHECK (coopac_tenant_all() OR {column} = coopac_tenant())"
    )


def make_append_only(table: str) -> None:
    """Refuse UPDATE, DELETE and TRUNCATE, for the app role and the owner alike."""
    op.execute(f"REVOKE UPDATE, DELETE, TRUNCATE ON {table} FROM {app_role()}")
    op.execute(
        f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
        f"FOR EACH ROW EXECUTE FUNCTION coopac_refuse_change()"
    )
    op.execute(
        f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
        f"FOR EACH STATEMENT EXECUTE FUNCTION coopac_refuse_change()"
    )


def grant_app_role() -> None:
    """Let the app role use every table (row-level security still applies) and every
    table later migrations create."""
    role = app_role()
    op.execute(f"GRANT USAGE ON SCHEMA public TO {role}")
    op.execute(f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {role}")
    op.execute(f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {role}")
    op.execute(
        f"ALTER DEFAULT PRIVILEGES IN SCHEMA public "
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {role}"
    )
    op.execute(
        f"ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO {role}"
    )
    op.execute(f"REVOKE INSERT, UPDATE, DELETE ON alembic_version FROM {role}")


def revoke_app_role() -> None:
    role = app_role()
    op.execute(
        f"ALTER DEFAULT PRIVILEGES IN SCHEMA public "
        f"REVOKE SELECT, INSERT, UPDATE, DELETE ON TABLES FROM {role}"
    )
    op.execute(
        f"ALTER DEFAULT PRIVILEGES IN SCHEMA public REVOKE USAGE, SELECT ON SEQUENCES FROM {role}"
    )
    op.execute(f"REVOKE ALL ON ALL TABLES IN SCHEMA public FROM {role}")
    op.execute(f"REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM {role}")
