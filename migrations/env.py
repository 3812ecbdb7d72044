"""Alembic environment: runs as the owner of the schema, and makes sure the app role exists."""

from __future__ import annotations

import logging.config
import re
import sys
from pathlib import Path
from typing import Any, Literal

from alembic import context
from alembic.autogenerate.api import AutogenContext
from alembic.runtime.migration import MigrationContext
from alembic_utils.pg_function import PGFunction
from alembic_utils.pg_trigger import PGTrigger
from alembic_utils.replaceable_entity import register_entities
from sqlalchemy import Connection, create_engine, event, text
from sqlmodel.sql.sqltypes import AutoString

from coopac_core.config import get_settings
from coopac_core.metadata import metadata
from coopac_core.sql import read_functions, read_triggers

# The migrations' own frozen helpers (migrations/frozen), never the service's code.
sys.path.insert(0, str(Path(__file__).resolve().parent))
from frozen import history

config = context.config
if config.config_file_name is not None and not config.attributes.get("skip_logging"):
    logging.config.fileConfig(config.config_file_name, disable_existing_loggers=False)

target_metadata = metadata

# The database functions and triggers, from their current source (src/coopac_core/sql):
# `alembic revision --autogenerate` writes a migration that carries its own copy of what
# changed, and `alembic check` fails while a file and the migrations disagree.
register_entities(
    [PGFunction.from_sql(s) for s in read_functions().values()]
    + [PGTrigger.from_sql(s) for t in read_triggers().values() for s in t.values()],
    entity_types=[PGFunction, PGTrigger],
)


def _url() -> str:
    url = config.get_main_option("sqlalchemy.url")
    if url:
        return url
    # `alembic ...` run by hand: same resolution as the service
    from coopac_core.db import owner_url

    settings = get_settings()
    config.attributes.setdefault("app_role", settings.app_db_user)
    return owner_url(settings).render_as_string(hide_password=False)


def ensure_app_role(conn: Connection) -> None:
    role = config.attributes.get("app_role") or get_settings().app_db_user
    password = config.attributes.get("app_password")
    exists = conn.execute(text("SELECT 1 FROM pg_roles WHERE rolname = :r"), {"r": role}).first()
    ident = conn.dialect.identifier_preparer.quote(role)
    if exists is None:
        conn.execute(text(f"CREATE ROLE {ident} LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB"))
    if password:
        literal = password.replace("'", "''")
        conn.execute(text(f"ALTER ROLE {ident} PASSWORD '{literal}'"))
    # Migrations read it to grant privileges.
    config.attributes["app_role"] = role


def include_object(
    obj: object, name: str | None, type_: str, reflected: bool, compare_to: object
) -> bool:
    return not (type_ == "table" and name == "alembic_version")


def render_item(type_: str, obj: Any, autogen_context: AutogenContext) -> str | Literal[False]:
    # SQLModel's AutoString is a plain VARCHAR; render it as such so that migrations do
    # not depend on sqlmodel internals.
    if type_ == "type" and isinstance(obj, AutoString):
        return f"sa.String(length={obj.length})" if obj.length else "sa.String()"
    return False


class DowngradeRefused(RuntimeError):
    pass


DROP_TABLE = re.compile(
    r"\s*DROP TABLE\s+(?:IF EXISTS\s+)?([\w\s,\"]+?)\s*(?:CASCADE|RESTRICT)?\s*;?\s*$", re.I
)


def _going_down(conn: Connection) -> bool:
    try:
        destination = context.get_revision_argument()  # None: base
    except KeyError:  # check and autogenerate name no destination: they move nothing
        return False
    current = MigrationContext.configure(conn).get_current_revision()
    if current is None or destination in ("head", "heads") or current == destination:
        return False
    if destination is None or str(destination).startswith("-"):
        return True
    below = {r.revision for r in context.script.iterate_revisions(current, "base") if r}
    return str(destination) in below


def refuse_to_drop_rows(conn: Connection) -> None:
    """While migrating down, a DROP TABLE of a table that holds rows stops the downgrade
    (the whole of it: it runs in one transaction) and says which table: rows a downgrade
    drops are a cooperative's books gone."""

    @event.listens_for(conn, "before_cursor_execute")
    def check(_conn: Connection, cursor: Any, statement: str, *_args: object) -> None:
        found = DROP_TABLE.match(statement)
        if found is None:
            return
        for table in (t.strip().strip('"') for t in found.group(1).split(",")):
            with cursor.connection.cursor() as probe:
                probe.execute("SELECT to_regclass(%s) IS NOT NULL", (table,))
                if not probe.fetchone()[0]:
                    continue
                # forced row-level security would hide the owner every row
                probe.execute(f'ALTER TABLE "{table}" NO FORCE ROW LEVEL SECURITY')
                probe.execute(f'SELECT count(*) FROM "{table}"')
                rows = probe.fetchone()[0]
            if rows:
                raise DowngradeRefused(
                    f"downgrade refused: table {table} holds {rows} rows, which dropping it "
                    "would lose. Export and delete them first, or restore the backup taken "
                    "before the upgrade."
                )


def run_migrations_offline() -> None:
    context.configure(url=_url(), target_metadata=target_metadata, literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    engine = create_engine(_url().replace("postgresql://", "postgresql+psycopg://", 1))
    with engine.connect() as conn:
        # Roles are cluster-wide: serialize concurrent first-time set-ups.
        conn.execute(text("SELECT pg_advisory_xact_lock(7401)"))
        ensure_app_role(conn)
        conn.commit()
        context.configure(
            connection=conn,
            target_metadata=target_metadata,
            include_object=include_object,
            render_item=render_item,
            compare_server_default=False,
        )
        with context.begin_transaction():
            # One migration at a time per database, whoever starts it.
            conn.execute(text("SELECT pg_advisory_xact_lock(7402)"))
            history.put_back_on_path(conn)
            if _going_down(conn):
                refuse_to_drop_rows(conn)
            context.run_migrations()
    engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
