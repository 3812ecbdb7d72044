"""Settings, read from the environment with the prefix ``COOPAC_``."""

from __future__ import annotations

import contextlib
import os
import secrets
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

import platformdirs
from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

from coopac_core.security.secret_key import check_secret_key


def _default_data_dir() -> Path:
    return Path(platformdirs.user_data_dir("coopac-core"))


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="COOPAC_", extra="ignore")

    # Owner URL: runs the migrations. Unset means the embedded PostgreSQL in data_dir.
    database_url: str | None = None
    # The service itself connects as a role that neither owns the tables nor bypasses
    # row-level security. Unset: the owner URL with the user swapped for app_db_user.
    app_database_url: str | None = None
    app_db_user: str = "coopac_app"
    app_db_password: SecretStr | None = None

    data_dir: Path = Field(default_factory=_default_data_dir)
    # Unset: a random key is generated once and kept in data_dir, so every worker and
    # every restart of this installation signs and verifies with the same key.
    secret_key: SecretStr | None = None
    access_token_minutes: int = 15
    refresh_token_minutes: int = 8 * 60

    db_pool_size: int = 20
    db_max_overflow: int = 10
    # A stuck lock or a runaway query must not hold a teller's request forever: a statement
    # that waits for a lock this long, or runs this long, is cancelled (milliseconds).
    lock_timeout_ms: int = Field(default=5_000, ge=1)
    statement_timeout_ms: int = Field(default=30_000, ge=1)
    # The one-call money path's connections per worker. Each call keeps its connection for
    # one statement; backends beyond about two per core of PostgreSQL's machine only wait
    # on each other (row locks, the lock manager, colder caches) and spend CPU doing it. A
    # request beyond them waits on the event loop, not on PostgreSQL. Measured on 2 cores
    # with 2 workers (wrk, 16 connections, three rounds, medians): 2 a worker did 621
    # deposits/s at 1.75 ms of PostgreSQL CPU each and, at one till, 0.92-0.96 of that; 8
    # did 507/s at 2.34 ms and 0.76-0.84. A larger database server takes more
    # (COOPAC_MONEY_POOL_SIZE), about two per core across all workers.
    money_pool_size: int = Field(default=2, ge=1)
    log_level: str = "INFO"
    # The reverse proxies whose X-Forwarded-For is believed (comma-separated addresses or
    # networks). None by default: a client's own header never picks the address that the
    # login throttle counts.
    trusted_proxies: str = ""
    # Failed logins from one address in 10 minutes before it must wait (429).
    login_address_max_failures: int = 20
    # Close of business: accounts per transaction, and connections working on a parallel
    # step at once (one per core is what a day's SQL can use).
    cob_chunk_size: int = Field(default=10_000, ge=1)
    cob_workers: int = Field(default=2, ge=1, le=16)
    # The largest request body read; above it, 413 before anything is parsed.
    max_body_bytes: int = 1_000_000
    # ...except an import's CSV files (a cooperative's whole past)
    import_max_bytes: int = 512_000_000
    # Swagger UI at /docs, served locally; false turns it off (/openapi.json stays).
    docs_enabled: bool = True
    # /metrics (Prometheus): a scraper sends "Authorization: Bearer <metrics_token>";
    # metrics_public lets anyone read it (a private network's scraper without a token).
    # Neither set: 401 to everyone.
    metrics_token: SecretStr | None = None
    metrics_public: bool = False
    # Set by `coopac serve --demo`: demo data, and a weak signing key tolerated.
    demo: bool = False
    federation_name: str = "Federación de Cooperativas de Ahorro y Crédito"
    # Webhook deliveries: the worker inside `coopac serve` (false: run `coopac worker`
    # apart), how often an idle worker looks, how long a taken delivery is the taker's
    # before another worker may take it, the first retry's delay (doubled each time, with
    # jitter, up to webhook_max_delay), how long a delivery is retried before it is marked
    # failed, and how long an endpoint may fail everything before it is disabled.
    worker_enabled: bool = True
    worker_poll_seconds: float = Field(default=1.0, gt=0)
    webhook_timeout_seconds: float = Field(default=10.0, gt=0)
    webhook_lease_seconds: float = Field(default=60.0, gt=0)
    webhook_first_retry_seconds: float = Field(default=5.0, gt=0)
    webhook_max_delay_seconds: float = Field(default=3 * 3600.0, gt=0)
    webhook_retry_window_seconds: float = Field(default=24 * 3600.0, gt=0)
    webhook_disable_after_seconds: float = Field(default=3 * 24 * 3600.0, gt=0)
    # Webhooks reach the outside only: https, to hosts that resolve to no loopback, private,
    # link-local, unique-local, multicast or unspecified address, at registration and at
    # each connection. For development only: plain http, and networks exempted (CIDRs,
    # comma-separated: 127.0.0.1/32 for a receiver on this machine).
    # A rate board that moves either rate more than this fraction from the reference board
    # (the last of an earlier day), or whose own spread is wider, waits for a second person
    # (DOMAIN.md is silent; 5% is more than the sol moves against the dollar in a week).
    exchange_rate_band: Decimal = Field(default=Decimal("0.05"), gt=0)
    webhook_allow_http: bool = False
    webhook_allowed_networks: str = ""
    # The key that encrypts webhook signing secrets at rest (Fernet: 32 bytes, url-safe
    # base64); unset, it is derived from secret_key, so rotating that one needs this set.
    webhook_secret_key: SecretStr | None = None

    def check_secret_key(self) -> None:
        """Refuse to run with a known, short or guessable key (``--demo`` excepted); a key
        generated here is random and passes."""
        if self.secret_key is not None and not self.demo:
            check_secret_key(self.secret_key.get_secret_value())

    def resolved_secret_key(self) -> str:
        if self.secret_key is not None:
            return self.secret_key.get_secret_value()
        path = self.data_dir / "secret_key"
        if not path.exists():
            self.data_dir.mkdir(parents=True, exist_ok=True)
            tmp = path.with_name(f".secret_key.{os.getpid()}")
            tmp.write_text(secrets.token_urlsafe(48))
            tmp.chmod(0o600)
            # link() fails if the file exists: workers starting at once agree on one key
            with contextlib.suppress(FileExistsError):
                os.link(tmp, path)
            tmp.unlink()
        return path.read_text().strip()


@lru_cache
def get_settings() -> Settings:
    return Settings()
