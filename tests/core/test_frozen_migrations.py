"""A released migration is never edited: a database migrated by it must be able to take every
later one (tests/core/test_upgrades.py shows what editing cost). migrations/released.sha256
holds the hash of every migration on main and of the helpers they import; a change is made
by a new migration.

A new migration is added to the list in the commit that brings it:
``sha256sum migrations/versions/NNNN_name.py >> migrations/released.sha256``."""

from __future__ import annotations

import hashlib
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
RELEASED = ROOT / "migrations" / "released.sha256"


def _released() -> dict[str, str]:
    listed: dict[str, str] = {}
    for line in RELEASED.read_text().splitlines():
        digest, path = line.split(maxsplit=1)
        listed[path.lstrip("*")] = digest
    return listed


def test_no_released_migration_has_changed() -> None:
    changed = [
        path
        for path, digest in _released().items()
        if not (ROOT / path).is_file()
        or hashlib.sha256((ROOT / path).read_bytes()).hexdigest() != digest
    ]
    assert changed == [], f"released migrations changed or gone (add a new one instead): {changed}"


def test_every_migration_is_listed() -> None:
    files = {
        str(p.relative_to(ROOT))
        for folder in ("migrations/versions", "migrations/frozen")
        for p in (ROOT / folder).glob("*.py")
    }
    missing = sorted(files - set(_released()))
    assert missing == [], f"add to migrations/released.sha256 when committing: {missing}"


def test_the_list_only_ever_grew() -> None:
    """Every version of the list in the history is where the current one starts: editing a
    migration and its line together shows here."""
    now = RELEASED.read_text().splitlines()
    path = str(RELEASED.relative_to(ROOT))
    commits = subprocess.run(
        ["git", "-C", str(ROOT), "log", "--format=%H", "--", path],
        capture_output=True, text=True, check=True, timeout=60,
    ).stdout.split()  # fmt: skip
    for commit in commits:
        then = subprocess.run(
            ["git", "-C", str(ROOT), "show", f"{commit}:{path}"],
            capture_output=True, text=True, check=True, timeout=60,
        ).stdout.splitlines()  # fmt: skip
        assert now[: len(then)] == then, f"a released line was changed after {commit}"
