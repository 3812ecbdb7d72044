"""The embedded PostgreSQL of a test: started in a data folder, the run's demo copied into it,
stopped fast or at once (an immediate shutdown, as a crash of the server), started again."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import time
from pathlib import Path

import pgserver
from pgserver.postgres_server import PostgresServer
from sqlalchemy import create_engine, text
from sqlalchemy.engine import URL

from coopac_core.db import start_embedded
from tests.support.process import libpq

# the embedded server's programs
PG_BIN = Path(pgserver.__file__).resolve().parent / "pginstall" / "bin"


def postmaster_pid(data: Path) -> int | None:
    pid_file = data / "pgdata" / "postmaster.pid"
    return int(pid_file.read_text().split()[0]) if pid_file.exists() else None


def stop_embedded(data: Path, sig: signal.Signals = signal.SIGINT) -> None:
    """Stop the server: SIGINT is a fast shutdown, as pg_ctl's (which will not run as root;
    the server runs as pgserver's own user); SIGQUIT an immediate one, as a crash. The
    postmaster removes its pid file when it is down."""
    pid = postmaster_pid(data)
    if pid is None:
        return
    os.kill(pid, sig)
    deadline = time.monotonic() + 60
    while postmaster_pid(data) == pid:
        assert time.monotonic() < deadline, "the embedded server did not stop"
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            break  # gone, its pid file left behind (an immediate shutdown may)
        time.sleep(0.05)


def restart_embedded(data: Path) -> None:
    """Start again a server this process stopped (pgserver keeps a handle per folder, which
    believes it is still running: it is told to make sure)."""
    handle = PostgresServer._instances.get((data / "pgdata").resolve())
    if handle is None:
        start_embedded(data)
        return
    with handle._lock:
        handle.ensure_postgres_running()


def demo_into_embedded(demo: URL, data: Path) -> None:
    """``demo`` (a copy of the run's demo: nobody may connect to the template itself while
    others copy it), copied into the embedded server that ``data`` holds (its roles as the
    migrations make them), so that ``serve --demo`` finds it there instead of loading it
    again (its first load has its own test, above)."""
    url = start_embedded(data)
    # the test server's own client where it is installed; pg_restore is the embedded one's
    pg_dump = shutil.which("pg_dump") or str(PG_BIN / "pg_dump")
    owner = create_engine(url, isolation_level="AUTOCOMMIT")
    with owner.connect() as conn:
        conn.execute(text("CREATE ROLE coopac_app LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB"))
        conn.execute(text("CREATE ROLE coopac_app_federation NOLOGIN NOSUPERUSER NOBYPASSRLS"))
        conn.execute(text("GRANT coopac_app_federation TO coopac_app, CURRENT_USER"))
    owner.dispose()
    archive = data / "demo.dump"
    subprocess.run(
        [pg_dump, "--format=custom", f"--file={archive}", libpq(demo)],
        check=True, capture_output=True, timeout=120,
    )  # fmt: skip
    subprocess.run(
        [str(PG_BIN / "pg_restore"), "--exit-on-error", f"--dbname={libpq(url)}", str(archive)],
        check=True, capture_output=True, timeout=120,
    )  # fmt: skip
