"""The current source of every database function and trigger: what a reader opens to know
the rule the database keeps.

- ``functions/<name>.sql``: one function, as PostgreSQL prints it (``pg_get_functiondef``),
  after a comment saying what it is for.
- ``triggers/<table>.sql``: every trigger on that table, one statement a line
  (``pg_get_triggerdef``).

These files are not run by the service: migrations build the database, each with its own
frozen copy of the version it installs (docs/ARCHITECTURE.md, "Changing a database
function"). ``tests/core/test_sql_sources.py`` proves that a database migrated to head holds
exactly these definitions, and no ``coopac_*`` function without a file.
"""

from __future__ import annotations

from pathlib import Path

HERE = Path(__file__).resolve().parent


def _statement(text: str) -> str:
    """A file's SQL without its leading comment lines and its closing semicolon."""
    lines = text.strip().splitlines()
    while lines and lines[0].startswith("--"):
        lines.pop(0)
    return "\n".join(lines).strip().removesuffix(";").rstrip()


def read_functions(folder: Path = HERE / "functions") -> dict[str, str]:
    """Each function's name and its ``CREATE OR REPLACE FUNCTION`` statement."""
    return {p.stem: _statement(p.read_text()) for p in sorted(folder.glob("*.sql"))}


def read_triggers(folder: Path = HERE / "triggers") -> dict[str, dict[str, str]]:
    """Each table's triggers: their names and ``CREATE TRIGGER`` statements."""
    tables: dict[str, dict[str, str]] = {}
    for path in sorted(folder.glob("*.sql")):
        triggers: dict[str, str] = {}
        for line in path.read_text().splitlines():
            if line.strip() and not line.startswith("--"):
                statement = line.strip().removesuffix(";")
                # CREATE [CONSTRAINT] TRIGGER <name> ...
                words = statement.split()
                name = words[3] if words[1].upper() == "CONSTRAINT" else words[2]
                triggers[name] = statement
        tables[path.stem] = triggers
    return tables
