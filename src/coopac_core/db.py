"""Database access: URLs, engines, sessions, tenant scope, the embedded server, migrations.

Two identities touch PostgreSQL. The *owner* runs the migrations and owns the tables. The
service runs as the *app role*: not a superuser, not the owner, so row-level security applies
to every query it sends. Each transaction states whose data it may see with
``set_tenant_scope``; a query that forgets its ``cooperative_id`` filter still sees only
that cooperative's rows.
"""

from __future__ import annotations

import logging
import uuid
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Final

import asyncpg
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine, make_url, text
from sqlalchemy.engine import URL
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from coopac_core.config import Settings
from coopac_core.errors import Conflict

log = logging.getLogger(__name__)

ALL_TENANTS: Final = "*"
EMBEDDED_DB_NAME: Final = "coopac"
REPO_ROOT: Final = Path(__file__).resolve().parents[2]


def to_sqlalchemy_url(url: str) -> URL:
    """Accept a plain ``postgresql://`` URL and pick the driver ourselves (psycopg 3)."""
    parsed = make_url(url.replace("postgres://", "postgresql://", 1))
    if parsed.get_backend_name() != "postgresql":
        raise ValueError(f"only PostgreSQL is supported, got {parsed.drivername!r}")
    return parsed.set(drivername="postgresql+psycopg")


def start_embedded(data_dir: Path) -> URL:
    """Start (or attach to) the embedded PostgreSQL in ``data_dir/pgdata``; return its URL.

    The server keeps running after this process exits so that several workers, the CLI and
    a restart all share it; data lives in the folder and survives restarts.
    """
    import pgserver

    logging.getLogger("pgserver").setLevel(logging.WARNING)

    pgdata = data_dir / "pgdata"
    pgdata.mkdir(parents=True, exist_ok=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # platformdirs' XDG_RUNTIME_DIR notice, not ours
        server = pgserver.get_server(str(pgdata), cleanup_mode=None)  # type: ignore[attr-defined]
    base = to_sqlalchemy_url(server.get_uri())
    exists = server.psql(f"SELECT 1 FROM pg_database WHERE datname = '{EMBEDDED_DB_NAME}';")
    if "(1 row)" not in exists:
        server.psql(f"CREATE DATABASE {EMBEDDED_DB_NAME};")
    return base.set(database=EMBEDDED_DB_NAME)


def owner_url(settings: Settings) -> URL:
    if settings.database_url:
        return to_sqlalchemy_url(settings.database_url)
    return start_embedded(settings.data_dir)


def app_url(owner: URL, settings: Settings) -> URL:
    if settings.app_database_url:
        return to_sqlalchemy_url(settings.app_database_url)
    password = settings.app_db_password.get_secret_value() if settings.app_db_password else None
    return owner.set(username=settings.app_db_user, password=password)


def make_engine(url: URL, settings: Settings, *, pool_size: int | None = None) -> Engine:
    return create_engine(
        url,
        pool_size=pool_size if pool_size is not None else settings.db_pool_size,
        max_overflow=settings.db_max_overflow,
        # No ping on checkout: it is a round trip on every request. A connection the
        # server dropped fails its first statement instead; SQLAlchemy then discards the
        # whole pool, the request answers 503 and its retry (same Idempotency-Key) runs.
        pool_pre_ping=False,
        pool_timeout=10,
        connect_args={
            "options": f"-c lock_timeout={settings.lock_timeout_ms} "
            f"-c statement_timeout={settings.statement_timeout_ms}"
        },
    )


def federation_role(app_role: str) -> str:
    """The role that sees every tenant (migration 0014); the service's role may become it."""
    return f"{app_role}_federation"


class DatabaseUnreachable(Exception):
    """The one-call money path (asyncpg) could not reach the database: an outage, answered
    as 503 like the same failure on any other path."""


async def money_pool(url: URL, settings: Settings) -> asyncpg.Pool:
    """Connections for the one-call money path (idempotency.MoneyRequest.call): asyncpg on
    the event loop, as the service's role, with the same timeouts as the engine. None is
    opened until the first money POST, so the service starts while the database is down."""
    query_host = url.query.get("host") if url.query else None
    host = url.host or (query_host if isinstance(query_host, str) else None)
    return await asyncpg.create_pool(
        host=host,
        port=url.port,
        user=url.username,
        password=url.password,
        database=url.database,
        min_size=0,
        max_size=settings.money_pool_size,
        server_settings={
            "lock_timeout": str(settings.lock_timeout_ms),
            "statement_timeout": str(settings.statement_timeout_ms),
        },
        # Each call is one statement in its own transaction that leaves no session state
        # (its settings are the transaction's): asyncpg's reset on release would be a
        # second round trip per request for nothing. A connection that failed mid-call is
        # terminated, not reset.
        reset=_no_reset,
    )


async def _no_reset(conn: asyncpg.Connection) -> None:
    return None


def set_tenant_scope(session: Session, scope: uuid.UUID | str) -> None:
    """Limit this transaction to one cooperative, or open it to all (``ALL_TENANTS``).

    One cooperative is a setting the row-level policies compare with. All of them is not a
    setting: it is the federation role, which the transaction becomes (SET LOCAL ROLE) and
    which only the service's own role may become. Both end with the transaction."""
    if scope == ALL_TENANTS:
        bind = session.get_bind()
        engine = bind if isinstance(bind, Engine) else bind.engine
        user = engine.url.username or ""
        tenant, role = "", federation_role(user)
    else:
        tenant, role = str(scope), "none"
    session.execute(
        text("SELECT set_config('coopac.tenant', :t, true), set_config('role', :r, true)"),
        {"t": tenant, "r": role},
    )


def flush_or_conflict(session: Session, conflict: Conflict) -> None:
    """Flush pending rows; a unique violation becomes ``conflict``, and the transaction
    stays usable (the savepoint is rolled back, not the request)."""
    try:
        with session.begin_nested():
            session.flush()
    except IntegrityError:
        raise conflict from None


# The tables a bulk load fills and whose plans close of business depends on: their figures
# are refreshed after an import and the demo, and before a run when they changed much.
BULK_TABLES = (
    "member",
    "savings_account",
    "share_account",
    "loan",
    "loan_installment",
    "journal_entry",
    "posting",
)


def refresh_statistics(session: Session, *, stale_only: bool) -> list[str]:
    """ANALYZE the bulk tables (``coopac_analyze``, which only their owner may run): all of
    them, or those changed by a tenth since their last ANALYZE. The tables analysed."""
    done = session.execute(
        text("SELECT coopac_analyze(:t, :s)"), {"t": list(BULK_TABLES), "s": stale_only}
    ).scalar_one()
    return list(done)


@dataclass
class Database:
    owner_url: URL
    engine: Engine

    @classmethod
    def from_settings(cls, settings: Settings, *, pool_size: int | None = None) -> Database:
        owner = owner_url(settings)
        return cls(owner, make_engine(app_url(owner, settings), settings, pool_size=pool_size))

    @contextmanager
    def session(self, scope: uuid.UUID | str | None = None) -> Iterator[Session]:
        """One transaction: committed if the block ends normally, rolled back otherwise."""
        with Session(self.engine, expire_on_commit=False) as session:
            if scope is not None:
                set_tenant_scope(session, scope)
            try:
                yield session
                session.commit()
            except BaseException:
                session.rollback()
                raise

    def dispose(self) -> None:
        self.engine.dispose()


# --- migrations -------------------------------------------------------------------------


def alembic_config(owner: URL, settings: Settings) -> Config:
    cfg = Config(str(REPO_ROOT / "alembic.ini"))
    cfg.set_main_option("script_location", str(REPO_ROOT / "migrations"))
    # ConfigParser interpolation: a literal % in a password must be doubled.
    cfg.set_main_option(
        "sqlalchemy.url", owner.render_as_string(hide_password=False).replace("%", "%%")
    )
    cfg.attributes["app_role"] = settings.app_db_user
    cfg.attributes["skip_logging"] = True  # keep the service's JSON logging
    cfg.attributes["app_password"] = (
        settings.app_db_password.get_secret_value() if settings.app_db_password else None
    )
    return cfg


def migrate(owner: URL, settings: Settings, revision: str = "head") -> None:
    command.upgrade(alembic_config(owner, settings), revision)


def head_revision(settings: Settings, owner: URL) -> str | None:
    return ScriptDirectory.from_config(alembic_config(owner, settings)).get_current_head()


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()
