"""Test fixtures: a real PostgreSQL, a fresh database per test session, migrated by Alembic.

The server is COOPAC_TEST_DATABASE_URL, else the one at 127.0.0.1:5432, else the embedded
one (pgserver). The service under test connects as the app role, exactly as in production.
"""

from __future__ import annotations

import logging
import os
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import URL
from sqlalchemy.exc import OperationalError

from coopac_core.config import Settings
from coopac_core.db import (
    ALL_TENANTS,
    Database,
    app_url,
    make_engine,
    migrate,
    start_embedded,
    to_sqlalchemy_url,
)
from coopac_core.main import create_app
from coopac_core.security import service as security_service
from coopac_core.security.roles import Role
from coopac_core.security.schemas import FederationUserCreate

# pgserver logs from an atexit hook, after pytest has closed its streams
logging.getLogger("pgserver").setLevel(logging.WARNING)

PASSWORD = "clave-de-prueba-123"
TEST_SECRET = "test-secret-key-with-enough-entropy-0123456789"


def _server_url(tmp_root: Path) -> URL:
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


@pytest.fixture(scope="session")
def pg_server(tmp_path_factory: pytest.TempPathFactory) -> URL:
    return _server_url(tmp_path_factory.mktemp("pg"))


@pytest.fixture(scope="session")
def new_database(pg_server: URL) -> Iterator[Callable[[], URL]]:
    """Make empty databases on the test server; all are dropped at the end."""
    created: list[str] = []
    admin = create_engine(pg_server, isolation_level="AUTOCOMMIT")

    def make() -> URL:
        name = f"coopac_test_{uuid.uuid4().hex[:10]}"
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        created.append(name)
        return pg_server.set(database=name)

    yield make
    with admin.connect() as conn:
        for name in created:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def settings_for(owner: URL, data_dir: Path) -> Settings:
    return Settings(
        database_url=owner.render_as_string(hide_password=False),
        data_dir=data_dir,
        secret_key=TEST_SECRET,
        db_pool_size=10,
    )


@pytest.fixture(scope="session")
def settings(new_database: Callable[[], URL], tmp_path_factory: pytest.TempPathFactory) -> Settings:
    owner = new_database()
    s = settings_for(owner, tmp_path_factory.mktemp("data"))
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


def login(client: TestClient, username: str, password: str = PASSWORD) -> dict[str, str]:
    r = client.post("/api/v1/auth/token", data={"username": username, "password": password})
    assert r.status_code == 200, r.text
    return {"Authorization": f"Bearer {r.json()['access_token']}"}


@dataclass
class Coop:
    id: str
    code: str
    branches: dict[str, str] = field(default_factory=dict)
    headers: dict[Role, dict[str, str]] = field(default_factory=dict)
    users: dict[Role, str] = field(default_factory=dict)


@dataclass
class World:
    fed_admin: dict[str, str]
    fed_analyst: dict[str, str]
    a: Coop
    b: Coop


def _make_coop(client: TestClient, fed: dict[str, str], code: str, ruc: str) -> Coop:
    r = client.post(
        "/api/v1/cooperatives",
        json={"code": code, "name": f"Cooperativa {code}", "ruc": ruc, "sbs_level": "2A"},
        headers=fed,
    )
    assert r.status_code == 201, r.text
    coop = Coop(id=r.json()["id"], code=code)
    for bcode, ubigeo in (("PUNO", "210101"), ("JULIACA", "211101")):
        r = client.post(
            f"/api/v1/cooperatives/{coop.id}/branches",
            json={"code": bcode, "name": f"Agencia {bcode}", "ubigeo": ubigeo},
            headers=fed,
        )
        assert r.status_code == 201, r.text
        coop.branches[bcode] = r.json()["id"]
    for role in Role:
        if role in (Role.federation_admin, Role.federation_analyst):
            continue
        username = f"{code.lower()}.{role.value}"
        body = {
            "username": username,
            "password": PASSWORD,
            "full_name": f"Usuario {role.value}",
            "roles": [role.value],
            "branch_id": coop.branches["PUNO"] if role is Role.teller else None,
        }
        r = client.post(f"/api/v1/cooperatives/{coop.id}/users", json=body, headers=fed)
        assert r.status_code == 201, r.text
        coop.users[role] = r.json()["id"]
        coop.headers[role] = login(client, username)
    return coop


@pytest.fixture(scope="session")
def world(client: TestClient, db: Database) -> World:
    """Two cooperatives, A and B, each with two branches and one user per role."""
    with db.session(ALL_TENANTS) as session:
        for username, role in (
            ("fed.admin", Role.federation_admin),
            ("fed.analista", Role.federation_analyst),
        ):
            security_service.create_federation_user(
                session,
                None,
                FederationUserCreate(
                    username=username, password=PASSWORD, full_name=username, roles=[role]
                ),
            )
    fed = login(client, "fed.admin")
    return World(
        fed_admin=fed,
        fed_analyst=login(client, "fed.analista"),
        a=_make_coop(client, fed, "COOPA", "20131312955"),
        b=_make_coop(client, fed, "COOPB", "20100070970"),
    )


# --- money helpers ----------------------------------------------------------------------

_dni_counter = iter(range(10_000_000, 99_999_999))


def new_dni() -> str:
    return f"{next(_dni_counter) + uuid.uuid4().int % 1000 * 10000:08d}"[-8:]


def key() -> dict[str, str]:
    return {"Idempotency-Key": str(uuid.uuid4())}


@dataclass
class Bank:
    coop: Coop
    sight_pen: str
    sight_usd: str
    term_pen: str
    min_balance_pen: str

    @property
    def teller(self) -> dict[str, str]:
        return self.coop.headers[Role.teller]

    @property
    def admin(self) -> dict[str, str]:
        return self.coop.headers[Role.admin]

    @property
    def puno(self) -> str:
        return self.coop.branches["PUNO"]

    def url(self, path: str) -> str:
        return f"/api/v1/cooperatives/{self.coop.id}{path}"

    def member(self, client: TestClient, **extra: object) -> dict[str, object]:
        body: dict[str, object] = {
            "document_type": "DNI",
            "document_number": new_dni(),
            "first_names": "Juana",
            "last_names": "Mamani Quispe",
            **extra,
        }
        r = client.post(self.url("/members"), json=body, headers=self.teller)
        assert r.status_code == 201, r.text
        member: dict[str, object] = r.json()
        return member

    def account(
        self, client: TestClient, product: str | None = None, member_id: object = None
    ) -> dict[str, object]:
        if member_id is None:
            member_id = self.member(client)["id"]
        r = client.post(
            self.url("/savings-accounts"),
            json={"member_id": member_id, "product_id": product or self.sight_pen},
            headers=self.teller,
        )
        assert r.status_code == 201, r.text
        account: dict[str, object] = r.json()
        return account

    def deposit(self, client: TestClient, account_id: object, amount: str) -> dict[str, object]:
        r = client.post(
            self.url(f"/savings-accounts/{account_id}/deposits"),
            json={"amount": amount, "branch_id": self.puno},
            headers={**self.teller, **key()},
        )
        assert r.status_code == 201, r.text
        body: dict[str, object] = r.json()
        return body

    def balance(self, client: TestClient, account_id: object) -> str:
        r = client.get(self.url(f"/savings-accounts/{account_id}"), headers=self.teller)
        assert r.status_code == 200, r.text
        return str(r.json()["balance"])


@pytest.fixture(scope="session")
def bank(client: TestClient, world: World) -> Bank:
    """Savings products in cooperative A."""
    admin = world.a.headers[Role.admin]
    url = f"/api/v1/cooperatives/{world.a.id}/savings-products"
    ids = {}
    for body in (
        {
            "code": "AHV",
            "name": "Ahorro a la vista",
            "kind": "sight",
            "currency": "PEN",
            "tea": "0.0150",
        },
        {
            "code": "AHVUSD",
            "name": "Ahorro dólares",
            "kind": "sight",
            "currency": "USD",
            "tea": "0.0050",
        },
        {
            "code": "PF180",
            "name": "Plazo fijo 180",
            "kind": "term",
            "currency": "PEN",
            "tea": "0.0600",
            "term_days": 180,
        },
        {
            "code": "AHMIN",
            "name": "Ahorro con mínimo",
            "kind": "sight",
            "currency": "PEN",
            "tea": "0.0100",
            "min_balance": "20.00",
        },
    ):
        r = client.post(url, json=body, headers=admin)
        assert r.status_code == 201, r.text
        ids[body["code"]] = r.json()["id"]
    return Bank(world.a, ids["AHV"], ids["AHVUSD"], ids["PF180"], ids["AHMIN"])
