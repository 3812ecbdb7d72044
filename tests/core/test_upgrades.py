"""A cooperative that installed an earlier commit of main takes the current version: its
database, migrated and filled with the demo by that commit's own code, upgraded by this
code, has the schema of a fresh install, and its books still prove.

Three commits whose released migrations were later edited: 0019's first version (no
adjustment_request, month-end deposits per currency), 0020's first (other function
signatures, which 0021 could not continue), and the last commit before the migrations were
frozen (tests/core/test_frozen_migrations.py)."""

from __future__ import annotations

import io
import shutil
import subprocess
import tarfile
from collections.abc import Callable
from pathlib import Path

import pgserver
import pytest
from sqlalchemy.engine import URL

from tests.support.process import COOPAC, cli_env, libpq, run_cli

pytestmark = pytest.mark.heavy

ROOT = Path(__file__).resolve().parents[2]
# the server's own client where it is installed (a newer pg_dump reads an older server's
# catalogs with noise of its own); else the one that comes with the embedded server
PG_DUMP = shutil.which("pg_dump") or str(
    Path(pgserver.__file__).resolve().parent / "pginstall" / "bin" / "pg_dump"
)

EARLIER = {
    "0019, first version": "ea2eadc4ccaa76bd3b1432874886a7f8cfb360bd",
    "0020, first version": "c4ce2565adedfda5fc2d763932d8ec5c428a84ec",
    "last before the freeze": "5033961256d38ef31e57bcf8c27786c2d559a248",
}


def schema(url: URL) -> list[str]:
    """``pg_dump -s``, less its comments and the random key of its \\restrict lines."""
    out = subprocess.run(
        [PG_DUMP, "--schema-only", libpq(url)],
        capture_output=True, text=True, check=True, timeout=120,
    ).stdout  # fmt: skip
    return [
        line
        for line in out.splitlines()
        if line.strip() and not line.startswith("--") and not line.startswith("\\")
    ]


@pytest.fixture(scope="module")
def fresh_schema(new_database: Callable[..., URL], migrated_template: URL) -> list[str]:
    return schema(new_database(migrated_template))


def checkout(commit: str, into: Path) -> Path:
    """The commit's code and migrations, as its clone would have them."""
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", commit, "src", "migrations", "alembic.ini"],
        capture_output=True, check=True, timeout=60,
    ).stdout  # fmt: skip
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(into, filter="data")
    return into


@pytest.mark.parametrize("commit", list(EARLIER.values()), ids=list(EARLIER))
def test_an_install_of_an_earlier_commit_upgrades_to_a_fresh_install(
    commit: str,
    new_database: Callable[..., URL],
    fresh_schema: list[str],
    tmp_path: Path,
) -> None:
    tree = checkout(commit, tmp_path / "tree")
    url = new_database()
    old = cli_env(url, tmp_path / "data", PYTHONPATH=str(tree / "src"))
    for step in ("migrate", "demo"):
        done = subprocess.run(
            [*COOPAC, step], env=old, cwd=tree, capture_output=True, text=True, timeout=300
        )
        assert done.returncode == 0, done.stderr[-2000:]

    env = cli_env(url, tmp_path / "data")
    upgraded = run_cli(["migrate"], env)
    assert upgraded.returncode == 0, upgraded.stderr[-2000:]
    assert schema(url) == fresh_schema
    proved = run_cli(["verify-ledger"], env)
    assert proved.returncode == 0, proved.stdout + proved.stderr
    assert "COOPSUR: OK" in proved.stdout
