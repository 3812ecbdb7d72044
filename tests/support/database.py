"""The PostgreSQL the tests run against, and the settings of a service on it."""

from __future__ import annotations

import os
from pathlib import Path

from sqlalchemy import create_engine
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
        # the webhook tests run their own workers
        worker_enabled=False,
        # the session's users log in once; a slow machine must not outlive their tokens
        # (expiry has its own test, with a token issued already expired)
        access_token_minutes=24 * 60,
    )
