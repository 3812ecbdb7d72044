"""The service as its own process (``coopac serve``), to be killed and started again."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
from sqlalchemy.engine import URL

from tests.support.live import free_port

COOPAC = [sys.executable, "-m", "coopac_core.cli"]


def libpq(url: URL) -> str:
    """The URL as libpq and the ``coopac`` command read it (no SQLAlchemy driver)."""
    return url.render_as_string(hide_password=False).replace("+psycopg", "")


def cli_env(url: URL | None, data_dir: Path, **extra: str) -> dict[str, str]:
    """The environment of a ``coopac`` command: none of this process's COOPAC_ settings,
    the database ``url`` (none: the embedded one) and a data folder of its own."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("COOPAC_")}
    if url is not None:
        env["COOPAC_DATABASE_URL"] = libpq(url)
    env["COOPAC_DATA_DIR"] = str(data_dir)
    env.update(extra)
    return env


def run_cli(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(COOPAC + args, env=env, capture_output=True, text=True, timeout=300)


class Service:
    def __init__(self, url: URL, data_dir: Path) -> None:
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.env = cli_env(
            url,
            data_dir,
            COOPAC_SECRET_KEY="crash-test-secret-key-0123456789-abcdefghij",
            COOPAC_LOG_LEVEL="WARNING",
        )
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self, *extra: str) -> None:
        self.proc = subprocess.Popen(
            [
                *COOPAC,
                "serve",
                "--port",
                str(self.port),
                "--workers",
                "2",
                *extra,
            ],
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,  # its own process group: SIGKILL reaches every worker
        )
        # with --demo on an empty database the service first closes the demo's months of
        # history (52 s on a slow day of a 2-core machine before they were closed a process
        # per cooperative): a deadline, not a measurement
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise AssertionError(f"serve exited with {self.proc.returncode}")
            try:
                if httpx.get(f"{self.base}/ready", timeout=1).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            time.sleep(0.2)
        raise AssertionError("service did not start")

    def kill(self) -> None:
        assert self.proc is not None
        os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait(timeout=10)

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
