from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import create_engine, inspect
from sqlalchemy.engine import URL

from coopac_core.db import alembic_config, migrate
from coopac_core.metadata import metadata
from tests.support.database import settings_for


def test_downgrade_to_base_and_upgrade_again(
    new_database: Callable[[], URL], tmp_path: Path
) -> None:
    owner = new_database()
    settings = settings_for(owner, tmp_path)
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
        assert diff == []
    finally:
        engine.dispose()
