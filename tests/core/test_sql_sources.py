"""src/coopac_core/sql holds the current source of every database function and trigger: a
database migrated to head holds exactly those, and nothing a file does not name.

Equal means as PostgreSQL prints them: the files are installed over the migrated database
in a transaction that is rolled back, and nothing it prints changes."""

from __future__ import annotations

from sqlalchemy import Connection, Engine, text

from coopac_core.sql import read_functions, read_triggers

FUNCTIONS = text(
    "SELECT p.proname, pg_get_functiondef(p.oid) FROM pg_proc p "
    "JOIN pg_namespace n ON n.oid = p.pronamespace "
    "WHERE n.nspname = 'public' AND p.proname LIKE 'coopac\\_%' ORDER BY 1"
)
TRIGGERS = text(
    "SELECT c.relname, t.tgname, pg_get_triggerdef(t.oid) FROM pg_trigger t "
    "JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace "
    "WHERE n.nspname = 'public' AND NOT t.tgisinternal ORDER BY 1, 2"
)


def _run(conn: Connection, statement: str) -> None:
    # as psql would send it: without parameters, so a RAISE's % is no placeholder
    conn.connection.driver_connection.execute(statement)  # type: ignore[union-attr]


def _functions(conn: Connection) -> dict[str, str]:
    found: dict[str, str] = {}
    for name, definition in conn.execute(FUNCTIONS):
        assert name not in found, f"{name} is overloaded: one function, one file"
        found[name] = definition
    return found


def _triggers(conn: Connection) -> dict[tuple[str, str], str]:
    return {(table, name): d for table, name, d in conn.execute(TRIGGERS)}


def test_every_function_in_the_database_is_its_file(owner_engine: Engine) -> None:
    files = read_functions()
    with owner_engine.connect() as conn:
        migrated = _functions(conn)
        assert sorted(migrated) == sorted(files), (
            "a coopac_* function without a file, or the reverse"
        )
        for statement in files.values():
            _run(conn, statement)
        installed = _functions(conn)
        conn.rollback()
    changed = [name for name in files if installed[name] != migrated[name]]
    assert changed == [], f"the migrated database differs from these files: {changed}"


def test_every_trigger_in_the_database_is_in_its_tables_file(owner_engine: Engine) -> None:
    files = read_triggers()
    with owner_engine.connect() as conn:
        migrated = _triggers(conn)
        assert sorted({table for table, _ in migrated}) == sorted(files)
        for table, triggers in files.items():
            for name in [n for t, n in migrated if t == table]:
                _run(conn, f'DROP TRIGGER "{name}" ON "{table}"')
            for statement in triggers.values():
                _run(conn, statement)
        installed = _triggers(conn)
        conn.rollback()
    assert installed == migrated


def test_the_dead_functions_are_gone(owner_engine: Engine) -> None:
    with owner_engine.connect() as conn:
        names = set(_functions(conn))
    assert names.isdisjoint(
        {
            "coopac_apply_postings",
            "coopac_branch_cash",
            "coopac_check_entry_balanced",
            "coopac_check_entries_balanced",
        }
    )
