"""The demo federation as ``coopac`` loads it on an empty database, once per test run.

Loading it closes months of history (some 20 s on two cores): every test that needs the
demo in a database (the crash tests, the CLI's) starts from a copy of this one."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import URL

from tests.support.database import shared_template

COOPAC = [sys.executable, "-m", "coopac_core.cli"]


def cli_env(url: URL | None, data_dir: Path, **extra: str) -> dict[str, str]:
    """The environment of a ``coopac`` command: none of this process's COOPAC_ settings,
    the database ``url`` (none: the embedded one) and a data folder of its own."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("COOPAC_")}
    if url is not None:
        env["COOPAC_DATABASE_URL"] = url.render_as_string(hide_password=False).replace(
            "+psycopg", ""
        )
    env["COOPAC_DATA_DIR"] = str(data_dir)
    env.update(extra)
    return env


def run_cli(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(COOPAC + args, env=env, capture_output=True, text=True, timeout=300)


@dataclass(frozen=True)
class Demo:
    """The template database, and what ``coopac migrate`` and ``coopac demo`` printed when
    they made it."""

    url: URL
    migrate_output: str
    demo_output: str


def demo_template(server: URL, shared: Path) -> Demo:
    """``shared``: a folder every worker of the run sees (pytest's base temp's parent)."""
    run = os.environ["COOPAC_TEST_RUN"]
    outputs = {step: shared / f"coopac-{run}-{step}.out" for step in ("migrate", "demo")}

    def build(url: URL) -> None:
        env = cli_env(url, shared / f"coopac-{run}-demo-data")
        for step, path in outputs.items():
            done = run_cli([step], env)
            assert done.returncode == 0, done.stderr
            path.write_text(done.stdout)

    url = shared_template(server, "demo", build)
    return Demo(url, outputs["migrate"].read_text(), outputs["demo"].read_text())
