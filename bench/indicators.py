"""The federation's indicators over 40 cooperatives and 24 months, driven with wrk.

    .venv/bin/python bench/indicators.py [--runs 3] [--seconds 10]

On a fresh database: 40 cooperatives made over HTTP, and 24 month-end snapshots each
(bulk-loaded in SQL with plausible figures: close of business would take hours to make two
years of 40 cooperatives). Then the service as in production (`coopac serve --workers 2`)
and wrk, one connection (latency) and then eight (throughput), on:

- GET /api/v1/federation/indicators?period=... (40 rows with their alerts)
- GET /api/v1/federation/indicators/series?indicator=overdue_ratio&from=...&to=... (960
  points), in json and in csv
- GET /ready, the floor: what any request costs this service on this machine.

It prints p50 and p99 latency and requests per second of each, their ratio to the floor,
and with --runs > 1 the medians. The target (issue 13): indicators under 200 ms.
"""

from __future__ import annotations

import argparse
import random
import re
import statistics
import subprocess
import sys
import tempfile
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import httpx
from sqlalchemy import create_engine, text

sys.path.insert(0, str(Path(__file__).resolve().parent))

from run import PASSWORD, Service, fresh_database, server_url

from coopac_core.federation.identifiers import ruc_check_digit
from coopac_core.federation.service import local_today

COOPERATIVES = 40
MONTHS = 24


def months_back(count: int) -> list[str]:
    first = local_today().replace(day=1)
    out = []
    for _ in range(count):
        first = (first - timedelta(days=1)).replace(day=1)
        out.append(f"{first.year:04d}-{first.month:02d}")
    return sorted(out)


def month_end(period: str) -> date:
    year, month = (int(x) for x in period.split("-"))
    first = date(year, month, 1)
    return (first.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)


def setup(svc: Service, owner_url: object) -> dict[str, str]:
    svc.cli("migrate")
    svc.cli("create-admin", "--username", "bench.fed", "--password", PASSWORD)
    svc.start()
    http = httpx.Client(base_url=svc.base, timeout=30)
    token = http.post(
        "/api/v1/auth/token", data={"username": "bench.fed", "password": PASSWORD}
    ).json()["access_token"]
    headers = {"Authorization": f"Bearer {token}"}
    ids = []
    for n in range(COOPERATIVES):
        body = f"20{n + 10_000_000:08d}"[:10]
        r = http.post(
            "/api/v1/cooperatives",
            json={
                "code": f"COOP{n:02d}",
                "name": f"Cooperativa {n:02d}",
                "ruc": body + str(ruc_check_digit(body)),
                "sbs_level": random.choice(["1", "2A", "2B", "3"]),
            },
            headers=headers,
        )
        assert r.status_code == 201, r.text
        ids.append(r.json()["id"])
    engine = create_engine(owner_url)  # type: ignore[call-overload]
    rng = random.Random(13)
    periods = months_back(MONTHS)
    with engine.begin() as conn:
        conn.execute(text("SELECT set_config('coopac.tenant', '*', true)"))
        for coop in ids:
            assets = Decimal(rng.randint(2_000_000, 90_000_000))
            for i, period in enumerate(periods):
                growth = Decimal(1) + Decimal(i) / 100
                total = (assets * growth).quantize(Decimal("0.01"))
                loans = (total * Decimal(rng.uniform(0.55, 0.85))).quantize(Decimal("0.01"))
                overdue = (loans * Decimal(rng.uniform(0.01, 0.12))).quantize(Decimal("0.01"))
                conn.execute(
                    text(
                        "INSERT INTO period_snapshot (cooperative_id, period, period_end, "
                        "status, exchange_rate, members, savers, borrowers, total_assets, "
                        "deposits, share_capital, institutional_capital, equity, net_income, "
                        "liquid_assets, gross_loans, overdue_loans, high_risk_loans, "
                        "par30_loans, provisions, provisions_required, breakdown, closed_at, "
                        "closed_by) VALUES (:c, :p, :end, :status, 3.75, :m, :s, :b, :ta, "
                        ":dep, :sc, :ic, :eq, :ni, :liq, :gl, :ov, :hr, :par, :prov, :prov, "
                        "'{}', :closed_at, :closed_by)"
                    ),
                    {
                        "c": coop,
                        "p": period,
                        "end": month_end(period),
                        "status": "closed" if i < len(periods) - 1 else "provisional",
                        "m": rng.randint(500, 60_000),
                        "s": rng.randint(400, 55_000),
                        "b": rng.randint(100, 20_000),
                        "ta": total,
                        "dep": (total * Decimal("0.72")).quantize(Decimal("0.01")),
                        "sc": (total * Decimal("0.09")).quantize(Decimal("0.01")),
                        "ic": (total * Decimal("0.06")).quantize(Decimal("0.01")),
                        "eq": (total * Decimal("0.16")).quantize(Decimal("0.01")),
                        "ni": (total * Decimal("0.01") * (i % 12 + 1) / 12).quantize(
                            Decimal("0.01")
                        ),
                        "liq": (total * Decimal(rng.uniform(0.1, 0.3))).quantize(Decimal("0.01")),
                        "gl": loans,
                        "ov": overdue,
                        "hr": (overdue * Decimal("1.2")).quantize(Decimal("0.01")),
                        "par": (overdue * Decimal("0.9")).quantize(Decimal("0.01")),
                        "prov": (overdue * Decimal(rng.uniform(0.6, 1.3))).quantize(
                            Decimal("0.01")
                        ),
                        "closed_at": "2026-01-01T00:00:00Z" if i < len(periods) - 1 else None,
                        "closed_by": "bench" if i < len(periods) - 1 else None,
                    },
                )
    engine.dispose()
    return headers


def wrk(url: str, headers: dict[str, str], connections: int, seconds: int) -> dict[str, float]:
    args = ["wrk", "-t", str(min(connections, 2)), "-c", str(connections), "-d", f"{seconds}s"]
    for k, v in headers.items():
        args += ["-H", f"{k}: {v}"]
    out = subprocess.run(
        [*args, "--latency", url], check=True, capture_output=True, text=True
    ).stdout
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    assert non2xx is None, out

    def ms(label: str) -> float:
        m = re.search(rf"{label}\s+([\d.]+)(us|ms|s)\b", out)
        assert m, out
        value, unit = float(m.group(1)), m.group(2)
        return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value

    rps = re.search(r"Requests/sec:\s+([\d.]+)", out)
    assert rps, out
    return {"p50": ms("50%"), "p99": ms("99%"), "rps": float(rps.group(1))}


def one_run(seconds: int, tmp: Path) -> dict[str, float]:
    admin = server_url(tmp)
    owner = fresh_database(admin, "coopac_indicators_bench")
    svc = Service(owner, workers=2, data_dir=tmp)
    try:
        headers = setup(svc, owner)
        periods = months_back(MONTHS)
        api = f"{svc.base}/api/v1/federation"
        targets = {
            "ready": (f"{svc.base}/ready", {}),
            "indicators": (f"{api}/indicators?period={periods[-1]}", headers),
            "series": (
                f"{api}/indicators/series?indicator=overdue_ratio&from={periods[0]}"
                f"&to={periods[-1]}",
                headers,
            ),
            "series_csv": (
                f"{api}/indicators/series?indicator=overdue_ratio&from={periods[0]}"
                f"&to={periods[-1]}&format=csv",
                headers,
            ),
        }
        check = httpx.get(targets["indicators"][0], headers=headers, timeout=30).json()
        assert len(check["cooperatives"]) == COOPERATIVES, check
        points = httpx.get(targets["series"][0], headers=headers, timeout=30).json()
        assert sum(len(c["points"]) for c in points["cooperatives"]) == COOPERATIVES * MONTHS
        figures: dict[str, float] = {}
        for name, (url, h) in targets.items():
            wrk(url, h, 1, 2)  # warm up
            one = wrk(url, h, 1, seconds)
            many = wrk(url, h, 8, seconds)
            figures[f"{name} p50 ms"] = one["p50"]
            figures[f"{name} p99 ms"] = one["p99"]
            figures[f"{name} req/s (8 conn)"] = many["rps"]
            print(
                f"  {name:<11} 1 connection: p50 {one['p50']:7.2f} ms, p99 {one['p99']:7.2f} ms"
                f" | 8 connections: {many['rps']:8.1f} req/s, p99 {many['p99']:7.2f} ms"
            )
        for name in ("indicators", "series", "series_csv"):
            figures[f"{name}/ready p50"] = figures[f"{name} p50 ms"] / figures["ready p50 ms"]
        return figures
    finally:
        svc.stop()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seconds", type=int, default=10)
    args = parser.parse_args()
    runs = []
    for n in range(args.runs):
        print(f"run {n + 1} of {args.runs}: {COOPERATIVES} cooperatives x {MONTHS} months")
        with tempfile.TemporaryDirectory(prefix="coopac-ind-") as tmp:
            runs.append(one_run(args.seconds, Path(tmp)))
    if len(runs) > 1:
        print("medians:")
        for key in runs[0]:
            print(f"  {key:<28} {statistics.median(r[key] for r in runs):10.2f}")


if __name__ == "__main__":
    main()
