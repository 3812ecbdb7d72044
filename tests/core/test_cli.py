"""The `coopac` command, run as a user would: in a subprocess, against real databases."""

from __future__ import annotations

import signal
import socket
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import URL

from coopac_core.demo import DEMO_PASSWORD
from coopac_core.demo.history import history_start
from coopac_core.federation.service import local_today
from tests.support.demo import Demo
from tests.support.embedded import demo_into_embedded
from tests.support.process import COOPAC, cli_env, run_cli

pytestmark = pytest.mark.heavy


def test_migrate_create_admin_and_demo(
    demo: Demo, new_database: Callable[..., URL], tmp_path: Path
) -> None:
    # the run's demo template is `coopac migrate` then `coopac demo` on an empty database:
    # the demo's first load, with months of history to close
    assert "migrated to head" in demo.migrate_output
    assert "demo data loaded" in demo.demo_output
    assert "sur.cajero" in demo.demo_output and DEMO_PASSWORD in demo.demo_output
    copy = new_database(demo.url)
    env = cli_env(copy, tmp_path)

    r = run_cli(["migrate"], env)
    assert r.returncode == 0, r.stderr
    assert "migrated to head" in r.stdout

    r = run_cli(
        ["create-admin", "--username", "Jefa.Federacion", "--password", "clave-segura-1"], env
    )
    assert r.returncode == 0, r.stderr
    assert "jefa.federacion" in r.stdout
    r = run_cli(
        ["create-admin", "--username", "jefa.federacion", "--password", "otra-clave-22"], env
    )
    assert r.returncode == 1
    assert "ya existe" in r.stderr
    r = run_cli(["create-admin", "--username", "corta", "--password", "123"], env)
    assert r.returncode == 2

    # three cooperatives whose months the accountant closed, from last December to the one
    # before this: the federation has numbers, a year end among them
    last_year = history_start().year
    this_month = local_today().month
    engine = create_engine(copy)
    with engine.begin() as conn:
        conn.execute(text("SELECT set_config('coopac.tenant', '*', true)"))
        closed = conn.execute(
            text(
                "SELECT c.code, count(*) FROM period_snapshot s JOIN cooperative c "
                "ON c.id = s.cooperative_id WHERE s.status = 'closed' AND s.gross_loans > 0 "
                "AND s.deposits > 0 GROUP BY c.code ORDER BY c.code"
            )
        ).all()
        # last year closed, and its surplus distributed by the assembly's agreement: the
        # reserve, the funds and every member's part, on entries the ledger proves
        years = conn.execute(
            text(
                "SELECT c.code, f.status, f.result_pen > 0, "
                "(SELECT count(*) FROM surplus_share s WHERE s.cooperative_id = f.cooperative_id "
                "AND s.year = f.year AND s.share_interest + s.member_return > 0), "
                "(SELECT count(*) FROM member m WHERE m.cooperative_id = f.cooperative_id) "
                "FROM fiscal_year f JOIN cooperative c ON c.id = f.cooperative_id "
                "WHERE f.year = :y ORDER BY c.code"
            ),
            {"y": last_year},
        ).all()
    engine.dispose()
    assert closed == [(code, this_month) for code in ("COOPCENTRO", "COOPNORTE", "COOPSUR")]
    assert [tuple(row[:3]) for row in years] == [
        (code, "distributed", True) for code in ("COOPCENTRO", "COOPNORTE", "COOPSUR")
    ]
    assert all(paid == members > 0 for *_, paid, members in years), years
    proved = run_cli(["verify-ledger"], env)
    assert proved.returncode == 0, proved.stdout + proved.stderr
    r = run_cli(["demo"], env)
    assert r.returncode == 0
    assert "already present" in r.stdout


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def _wait_ready(base: str, proc: subprocess.Popen[str], timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(
                f"serve exited with {proc.returncode}: {proc.stdout.read() if proc.stdout else ''}"
            )
        try:
            if httpx.get(f"{base}/ready", timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.3)
    raise AssertionError("service did not become ready")


def _serve(args: list[str], env: dict[str, str]) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [*COOPAC, "serve", *args],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def _stop(proc: subprocess.Popen[str]) -> str:
    proc.send_signal(signal.SIGINT)
    try:
        out, _ = proc.communicate(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()
        out, _ = proc.communicate()
    return out


def test_serve_demo_on_embedded_database_survives_restart(
    demo: Demo, new_database: Callable[..., URL], embedded_dir: Path
) -> None:
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    env = cli_env(None, embedded_dir)
    demo_into_embedded(new_database(demo.url), embedded_dir)

    proc = _serve(["--demo", "--port", str(port)], env)
    try:
        _wait_ready(base, proc)
        r = httpx.post(
            f"{base}/api/v1/auth/token", data={"username": "sur.admin", "password": DEMO_PASSWORD}
        )
        assert r.status_code == 200, r.text
        assert "server" not in r.headers  # no banner naming the server and its version
        h = {"Authorization": f"Bearer {r.json()['access_token']}"}
        coops = httpx.get(f"{base}/api/v1/cooperatives", headers=h).json()["items"]
        assert [c["code"] for c in coops] == ["COOPSUR"]
        r = httpx.post(
            f"{base}/api/v1/cooperatives/{coops[0]['id']}/branches",
            json={"code": "ILAVE", "name": "Agencia Ilave", "ubigeo": "210401"},
            headers=h,
        )
        assert r.status_code == 201
    finally:
        out = _stop(proc)
    assert f"{base}/docs" in out
    assert "sur.cajero" in out

    proc = _serve(["--port", str(port)], env)
    try:
        _wait_ready(base, proc)
        r = httpx.post(
            f"{base}/api/v1/auth/token", data={"username": "sur.admin", "password": DEMO_PASSWORD}
        )
        h = {"Authorization": f"Bearer {r.json()['access_token']}"}
        coop = httpx.get(f"{base}/api/v1/cooperatives", headers=h).json()["items"][0]
        branches = httpx.get(f"{base}/api/v1/cooperatives/{coop['id']}/branches", headers=h).json()
        assert "ILAVE" in [b["code"] for b in branches["items"]]
    finally:
        _stop(proc)
