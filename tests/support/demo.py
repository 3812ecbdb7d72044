"""The demo federation as ``coopac`` loads it on an empty database, once per test run.

Loading it closes months of history (some 20 s on two cores): every test that needs the
demo in a database (the crash tests, the CLI's) starts from a copy of this one."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import URL

from tests.support.database import shared_template
from tests.support.process import cli_env, run_cli


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
