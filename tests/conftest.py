"""Test fixtures: a real PostgreSQL, a fresh database per test session (per pytest-xdist
worker), copied from one template migrated by Alembic once per run.

The server is COOPAC_TEST_DATABASE_URL, else the one at 127.0.0.1:5432, else the embedded
one (pgserver). The service under test connects as the app role, exactly as in production.
"""

from __future__ import annotations

import logging
import os
import tempfile
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from fastapi.testclient import TestClient
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import URL

from coopac_core.config import Settings
from coopac_core.db import (
    ALL_TENANTS,
    Database,
    app_url,
    make_engine,
    migrate,
    to_sqlalchemy_url,
)
from coopac_core.main import create_app
from coopac_core.security import passwords
from coopac_core.security import users as security_users
from coopac_core.security.roles import Role
from coopac_core.security.schemas import FederationUserCreate
from tests.support.bank import Bank, make_bank
from tests.support.database import (
    create_database,
    drop_run_databases,
    server_url,
    settings_for,
    shared_template,
)
from tests.support.demo import Demo, demo_template
from tests.support.embedded import stop_embedded
from tests.support.world import PASSWORD, World, add_role_user, login, make_coop

# pgserver logs from an atexit hook, after pytest has closed its streams
logging.getLogger("pgserver").setLevel(logging.WARNING)

# Every user the tests make hashes and verifies a few passwords (created, first login,
# own password chosen). The service's argon2 cost (about 0.1 s a hash) is the point in
# production and no point here: what the tests check is who may log in, not how slowly.
passwords._hasher = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)


@pytest.hookimpl(tryfirst=True)
def pytest_sessionstart(session: pytest.Session) -> None:
    """In the controller, before pytest-xdist starts its workers (which inherit its
    environment): a name for this run, under which the templates every worker copies are
    made once, and the server they all use."""
    if hasattr(session.config, "workerinput"):
        return
    os.environ.setdefault("COOPAC_TEST_RUN", uuid.uuid4().hex[:10])
    if not os.environ.get("COOPAC_TEST_DATABASE_URL"):
        url = server_url(Path(tempfile.mkdtemp(prefix="coopac-test-pg-")))
        os.environ["COOPAC_TEST_DATABASE_URL"] = url.render_as_string(hide_password=False)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # pytest-xdist hands out files in this order: the long ones first, so that no worker
    # starts one when the other is nearly done (the same order in every worker)
    items.sort(key=lambda item: item.get_closest_marker("heavy") is None)


def pytest_sessionfinish(session: pytest.Session) -> None:
    # The controller (or a run without workers) ends last: it drops the run's templates.
    if not hasattr(session.config, "workerinput"):
        drop_run_databases(to_sqlalchemy_url(os.environ["COOPAC_TEST_DATABASE_URL"]))


@pytest.fixture(scope="session")
def pg_server() -> URL:
    return to_sqlalchemy_url(os.environ["COOPAC_TEST_DATABASE_URL"])


@pytest.fixture(scope="session")
def new_database(pg_server: URL) -> Iterator[Callable[..., URL]]:
    """Make databases on the test server, empty or copies of ``template`` (one of these,
    which nobody is connected to); all are dropped at the end."""
    created: list[str] = []
    admin = create_engine(pg_server, isolation_level="AUTOCOMMIT")

    def make(template: URL | None = None) -> URL:
        name = f"coopac_test_{uuid.uuid4().hex[:10]}"
        with admin.connect() as conn:
            create_database(conn, name, template.database if template is not None else None)
        created.append(name)
        return pg_server.set(database=name)

    yield make
    with admin.connect() as conn:
        for name in created:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(scope="session")
def migrated_template(pg_server: URL, tmp_path_factory: pytest.TempPathFactory) -> URL:
    """A database migrated to head, made once per run whatever the number of workers."""

    def build(url: URL) -> None:
        migrate(url, settings_for(url, tmp_path_factory.mktemp("migrate")))

    return shared_template(pg_server, "migrated", build)


@pytest.fixture(scope="session")
def demo(pg_server: URL, tmp_path_factory: pytest.TempPathFactory) -> Demo:
    """The demo as `coopac migrate` and `coopac demo` load it on an empty database, made
    once per run: copy ``demo.url`` with ``new_database``."""
    return demo_template(pg_server, tmp_path_factory.getbasetemp().parent)


@pytest.fixture(scope="session")
def settings(
    new_database: Callable[..., URL],
    migrated_template: URL,
    tmp_path_factory: pytest.TempPathFactory,
) -> Settings:
    owner = new_database(migrated_template)
    s = settings_for(owner, tmp_path_factory.mktemp("data"))
    # a copy is at head already; this proves it and sets up nothing twice
    migrate(owner, s)
    return s


@pytest.fixture(scope="session")
def db(settings: Settings) -> Iterator[Database]:
    owner = to_sqlalchemy_url(settings.database_url or "")
    database = Database(owner, make_engine(app_url(owner, settings), settings))
    yield database
    database.dispose()


@pytest.fixture(scope="session")
def owner_engine(settings: Settings) -> Iterator[Engine]:
    engine = create_engine(to_sqlalchemy_url(settings.database_url or ""))
    yield engine
    engine.dispose()


@pytest.fixture(scope="session")
def client(settings: Settings, db: Database) -> Iterator[TestClient]:
    with TestClient(create_app(settings, db)) as c:
        yield c


@pytest.fixture(scope="session")
def world(client: TestClient, db: Database) -> World:
    """Two cooperatives, A and B, each with two branches and one user per role (A also a
    compliance officer)."""
    with db.session(ALL_TENANTS) as session:
        for username, role in (
            ("fed.admin", Role.federation_admin),
            ("fed.analista", Role.federation_analyst),
        ):
            security_users.create_federation_user(
                session,
                None,
                FederationUserCreate(username=username, full_name=username, roles=[role]),
                password=PASSWORD,
            )
    fed = login(client, "fed.admin")
    a = make_coop(client, fed, "COOPA", "20131312955")
    add_role_user(client, a, Role.compliance_officer)  # every role, in A
    return World(
        fed_admin=fed,
        fed_analyst=login(client, "fed.analista"),
        a=a,
        b=make_coop(client, fed, "COOPB", "20100070970"),
    )


@pytest.fixture(scope="session")
def bank(client: TestClient, world: World) -> Bank:
    """Savings products in cooperative A."""
    return make_bank(client, world.a)


@pytest.fixture
def embedded_dir(tmp_path: Path) -> Iterator[Path]:
    """A data folder for an embedded PostgreSQL, which outlives the service on purpose:
    stopped after the test."""
    data = tmp_path / "data"
    yield data
    stop_embedded(data)
