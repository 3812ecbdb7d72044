"""Alembic environment: runs as the owner of the schema, and makes sure the app role exists."""

from __future__ import annotations

import logging.config
import sys
from pathlib import Path
from typing import Any, Literal

from alembic import context
from alembic.autogenerate.api import AutogenContext
from alembic_utils.pg_function import PGFunction
from alembic_utils.pg_trigger import PGTrigger
from alembic_utils.replaceable_entity import register_entities
from sqlalchemy import Connection, create_engine, text
from sqlmodel.sql.sqltypes import AutoString

from coopac_core.config import get_settings
from coopac_core.metadata import metadata
from coopac_core.sql import read_functions, read_triggers

# The migrations' own frozen helpers (migrations/frozen), never the service's code.
sys.path.insert(0, str(Path(__file__).resolve().parent))

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
            context.run_migrations()
    engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
