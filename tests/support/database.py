"""The PostgreSQL the tests run against, and the settings of a service on it."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import Connection, create_engine, text
from sqlalchemy.engine import URL
from sqlalchemy.exc import OperationalError

from coopac_core.config import Settings
from coopac_core.db import start_embedded, to_sqlalchemy_url

TEST_SECRET = "test-secret-key-with-enough-entropy-0123456789"


def server_url(tmp_root: Path) -> URL:
    env = os.environ.get("COOPAC_TEST_DATABASE_URL")
    if env:
        return to_sqlalchemy_url(env)
    local = to_sqlalchemy_url("postgresql://postgres@127.0.0.1:5432/postgres")
    engine = create_engine(local, connect_args={"connect_timeout": 3})
    try:
        with engine.connect():
            return local
    except OperationalError:
        return start_embedded(tmp_root / "embedded").set(database="postgres")
    finally:
        engine.dispose()


def settings_for(owner: URL, data_dir: Path) -> Settings:
    return Settings(
        database_url=owner.render_as_string(hide_password=False),
        data_dir=data_dir,
        secret_key=TEST_SECRET,
        db_pool_size=10,
        # every test client shares one address; the throttle has its own test
        login_address_max_failures=100_000,
        # the webhook tests run their own workers, with receivers on this machine (the
        # development settings; the refusals have their own tests, with a stub resolver)
        worker_enabled=False,
        webhook_allow_http=True,
        webhook_allowed_networks="127.0.0.1/32",
        # the session's users log in once; a slow machine must not outlive their tokens
        # (expiry has its own test, with a token issued already expired)
        access_token_minutes=24 * 60,
    )


def run_prefix() -> str:
    """The prefix of this run's shared templates (tests/conftest.py names the run)."""
    return f"coopac_tmpl_{os.environ['COOPAC_TEST_RUN']}"


def create_database(conn: Connection, name: str, template: str | None = None) -> None:
    copy = f' TEMPLATE "{template}"' if template is not None else ""
    conn.execute(text(f'CREATE DATABASE "{name}"{copy}'))


def shared_template(server: URL, label: str, build: Callable[[URL], None]) -> URL:
    """A database that ``build`` fills once per run, however many workers ask for it: the
    first one builds it (the others wait on an advisory lock) and it is renamed into place
    only once whole, so a worker that finds it finds it complete. Copy it with
    ``new_database(template)``; nobody connects to it after the build."""
    name = f"{run_prefix()}_{label}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text("SELECT pg_advisory_lock(hashtext(:n))"), {"n": name})
            try:
                found = conn.execute(
                    text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}
                ).first()
                if found is None:
                    building = f"{name}_building"
                    conn.execute(text(f'DROP DATABASE IF EXISTS "{building}" WITH (FORCE)'))
                    create_database(conn, building)
                    build(server.set(database=building))
                    # a service the build started may keep idle connections a moment
                    conn.execute(
                        text(
                            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                            "WHERE datname = :b"
                        ),
                        {"b": building},
                    )
                    conn.execute(text(f'ALTER DATABASE "{building}" RENAME TO "{name}"'))
            finally:
                conn.execute(text("SELECT pg_advisory_unlock(hashtext(:n))"), {"n": name})
    finally:
        admin.dispose()
    return server.set(database=name)


def drop_run_databases(server: URL) -> None:
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            names = conn.execute(
                text("SELECT datname FROM pg_database WHERE datname LIKE :p"),
                {"p": run_prefix() + "%"},
            ).scalars()
            for name in list(names):
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        admin.dispose()
