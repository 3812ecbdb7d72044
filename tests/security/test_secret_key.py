"""The signing key: a deployment with a published, short or guessable one does not start."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys

import pytest

from coopac_core.config import Settings
from coopac_core.main import create_app
from coopac_core.security.secret_key import InsecureSecretKey, check_secret_key


@pytest.mark.parametrize(
    "key",
    [
        "change-me-to-a-long-random-string",  # the old docker-compose default
        "secret",
        "short-but-random-9f3Kq",
        "a" * 64,
        "1234" * 12,
        "coopac" * 8,
        # a sequence, or a block repeated: many distinct characters, little to guess
        "abcdefghijklmnopqrstuvwxyz012345",
        "0123456789abcdef0123456789abcdef",
        "x7Kp" * 10,
    ],
)
def test_weak_keys_are_refused(key: str) -> None:
    with pytest.raises(InsecureSecretKey):
        check_secret_key(key)


def test_a_random_key_passes() -> None:
    check_secret_key(secrets.token_urlsafe(48))
    check_secret_key(secrets.token_hex(32))


def test_the_app_does_not_build_with_a_weak_key_outside_demo() -> None:
    weak = Settings(database_url="postgresql://x@127.0.0.1/x", secret_key="secret")
    with pytest.raises(InsecureSecretKey):
        create_app(weak)
    create_app(weak.model_copy(update={"demo": True}))  # the demo tolerates it


def test_serve_refuses_to_start_with_the_published_compose_key() -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("COOPAC_")}
    env["COOPAC_SECRET_KEY"] = "change-me-to-a-long-random-string"
    env["COOPAC_DATABASE_URL"] = "postgresql://nobody@127.0.0.1:1/none"  # never reached
    r = subprocess.run(
        [sys.executable, "-m", "coopac_core.cli", "serve", "--port", "1"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert r.returncode == 2
    assert "published example key" in r.stderr


def test_coopac_demo_left_in_the_environment_does_not_excuse_a_weak_key() -> None:
    """Only `serve --demo` tolerates a weak key; COOPAC_DEMO=1 without it does not."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("COOPAC_")}
    env["COOPAC_SECRET_KEY"] = "abcdefghijklmnopqrstuvwxyz012345"
    env["COOPAC_DEMO"] = "1"
    env["COOPAC_DATABASE_URL"] = "postgresql://nobody@127.0.0.1:1/none"  # never reached
    r = subprocess.run(
        [sys.executable, "-m", "coopac_core.cli", "serve", "--port", "1"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert r.returncode == 2, r.stderr
    assert "too predictable" in r.stderr
