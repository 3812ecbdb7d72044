from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import URL

from coopac_core.db import alembic_config, head_revision, migrate
from coopac_core.metadata import metadata
from tests.support.database import settings_for
from tests.support.demo import Demo


def test_downgrade_to_base_and_upgrade_again(
    new_database: Callable[[], URL], pg_server: URL, tmp_path: Path
) -> None:
    owner = new_database()
    # Roles and their memberships belong to the whole server: going down to base revokes
    # the app role's, which every other worker's database uses. This database has its own.
    app = f"coopac_app_{owner.database}"
    settings = settings_for(owner, tmp_path).model_copy(update={"app_db_user": app})
    migrate(owner, settings)
    engine = create_engine(owner)
    try:
        assert "cooperative" in inspect(engine).get_table_names()
        command.downgrade(alembic_config(owner, settings), "base")
        assert inspect(engine).get_table_names() == ["alembic_version"]
        migrate(owner, settings)
        with engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"include_schemas": False})
            diff = compare_metadata(context, metadata)
        # coopac_tenant_all names the federation role, which is this database's own here
        assert [d for d in diff if "coopac_tenant_all()" not in str(d)] == []
    finally:
        engine.dispose()
        admin = create_engine(pg_server, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE "{owner.database}" WITH (FORCE)'))
            for role in (f"{app}_federation", app):
                conn.execute(text(f'DROP ROLE IF EXISTS "{role}"'))
        admin.dispose()


def test_a_downgrade_that_would_drop_rows_refuses_and_changes_nothing(
    demo: Demo, new_database: Callable[..., URL], tmp_path: Path
) -> None:
    owner = new_database(demo.url)
    settings = settings_for(owner, tmp_path)
    config = alembic_config(owner, settings)
    with pytest.raises(Exception, match=r"downgrade refused: table \w+ holds \d+ rows"):
        command.downgrade(config, "base")
    engine = create_engine(owner)
    try:
        with engine.connect() as conn:
            assert MigrationContext.configure(conn).get_current_revision() == head_revision(
                settings, owner
            )
        assert "journal_entry" in inspect(engine).get_table_names()
        # a step down that drops no table goes through, and back up
        command.downgrade(config, "-1")
        migrate(owner, settings)
    finally:
        engine.dispose()
