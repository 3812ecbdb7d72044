"""Two versions of the service side by side: this working tree against a git revision.

    .venv/bin/python -u bench/ab.py --base HEAD [--modes deposit,hot] [--rounds 3]

On a shared machine two windows a minute apart differ by more than most changes do, so a
change is measured against its base in one run, alternating: each version has its own
world (bench/run.py's set-up, migrated by that version's own code, so that a change of
database functions is compared too) and its own warm-up; then, round after round, each
version's service is started again and driven through the same modes (wrk, as
bench/run.py drives it). The base runs from a git worktree of the revision (its ``src`` on
PYTHONPATH). Prints every phase, the medians per version and mode, and the hot till's
share of the spread rate per round. ``--waits`` adds what PostgreSQL's connections were
doing (sampled from pg_stat_activity): running, waiting for a lock, for the WAL...
Modes: deposit, hot (deposits through one teller's till), transfer, share, repayment.
"""

from __future__ import annotations

import argparse
import collections
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil
from sqlalchemy import create_engine, text
from sqlalchemy.engine import URL

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

from run import (  # noqa: E402
    CpuMeter,
    Service,
    World,
    drive,
    fresh_database,
    server_url,
    settle,
    setup,
    warm_up,
)

MODES = ("deposit", "hot", "transfer", "share", "repayment")


class Version:
    def __init__(self, name: str, src: Path, admin: URL, workers: int, tmp: Path) -> None:
        self.name = name
        self.owner = fresh_database(admin, f"coopac_ab_{name}")
        (tmp / name).mkdir()
        self.svc = Service(self.owner, workers, tmp / name)
        self.svc.env["PYTHONPATH"] = str(src)
        self.svc.cwd = src.parent
        self.world: World | None = None

    def prepare(self, clients: int, seconds: float) -> None:
        """Migrated by its own code, a world, then every load for the warm-up, settled."""
        self.svc.cli("migrate")
        try:
            self.svc.start()
            self.world = setup(self.svc, self.owner)
            settle(self.owner)
            warm_up(self.svc, self.world, self.owner, clients=clients, seconds=seconds)
        finally:
            self.svc.stop()


def drop_database(admin: URL, name: str) -> None:
    engine = create_engine(admin, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    engine.dispose()


def waits(admin: URL, database: str, stop: threading.Event, seen: collections.Counter[str]) -> None:
    """What the service's connections were doing, a sample every 10 ms."""
    engine = create_engine(admin, isolation_level="AUTOCOMMIT")
    query = text(
        "SELECT coalesce(wait_event_type || ':' || wait_event, 'running') FROM "
        "pg_stat_activity WHERE datname = :d AND state = 'active' AND pid <> pg_backend_pid()"
    )
    with engine.connect() as conn:
        while not stop.is_set():
            seen["_samples"] += 1
            for (what,) in conn.execute(query, {"d": database}):
                seen[what] += 1
            time.sleep(0.01)
    engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--base", required=True, help="a git revision: the version compared")
    parser.add_argument("--modes", default="deposit,hot")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--seconds", type=int, default=12)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--warm-up", type=float, default=30)
    parser.add_argument("--waits", action="store_true")
    args = parser.parse_args()
    modes = args.modes.split(",")
    unknown = set(modes) - set(MODES)
    if unknown:
        parser.error(f"unknown modes: {', '.join(sorted(unknown))}")
    tmp = Path(tempfile.mkdtemp(prefix="coopac-ab-"))
    base_tree = tmp / "base-tree"
    subprocess.run(
        ["git", "-C", str(ROOT), "worktree", "add", "--detach", str(base_tree), args.base],
        check=True,
        capture_output=True,
    )
    admin = server_url(tmp)
    try:
        versions = [
            Version("base", base_tree / "src", admin, args.workers, tmp),
            Version("change", ROOT / "src", admin, args.workers, tmp),
        ]
        for v in versions:
            v.prepare(args.clients, args.warm_up)
        found: dict[tuple[str, str], list[tuple[float, float, float, float]]] = (
            collections.defaultdict(list)
        )
        for n in range(1, args.rounds + 1):
            for v in versions:
                assert v.world is not None
                v.svc.start()
                try:
                    drive(v.svc, v.world, "deposit", clients=args.clients, seconds=3)
                    assert v.svc.proc is not None
                    root = psutil.Process(v.svc.proc.pid)
                    processes = [root, *root.children(recursive=True)]
                    for mode in modes:
                        seen: collections.Counter[str] = collections.Counter()
                        stop = threading.Event()
                        sampler = threading.Thread(
                            target=waits,
                            args=(admin, v.owner.database, stop, seen),
                            daemon=True,
                        )
                        if args.waits:
                            sampler.start()
                        meter = CpuMeter(processes)
                        result = drive(
                            v.svc,
                            v.world,
                            "deposit" if mode == "hot" else mode,
                            hot=mode == "hot",
                            clients=args.clients,
                            seconds=args.seconds,
                        )
                        app_ms, pg_ms = meter.per_op_ms(result.ok)
                        stop.set()
                        if args.waits:
                            sampler.join()
                        found[(v.name, mode)].append(
                            (result.ops_per_second, app_ms, pg_ms, result.p99)
                        )
                        print(
                            f"round {n} {v.name:<6} {mode:<9} {result.ops_per_second:6.0f}/s  "
                            f"service {app_ms:.2f} ms  PostgreSQL {pg_ms:.2f} ms  "
                            f"p99 {result.p99:.1f} ms  errors {result.errors}",
                            flush=True,
                        )
                        samples = seen.pop("_samples", 0)
                        for what, count in seen.most_common(5):
                            print(f"      {count / samples:5.2f} connections {what}")
                finally:
                    v.svc.stop()
        print("\nmedians:")
        for mode in modes:
            for v in versions:
                runs = found[(v.name, mode)]
                print(
                    f"  {mode:<9} {v.name:<6} "
                    f"{statistics.median(r[0] for r in runs):6.0f}/s  "
                    f"service {statistics.median(r[1] for r in runs):.2f} ms  "
                    f"PostgreSQL {statistics.median(r[2] for r in runs):.2f} ms  "
                    f"p99 {statistics.median(r[3] for r in runs):.1f} ms"
                )
        if "hot" in modes and "deposit" in modes:
            for v in versions:
                ratios = [
                    hot[0] / spread[0]
                    for hot, spread in zip(
                        found[(v.name, "hot")], found[(v.name, "deposit")], strict=True
                    )
                    if spread[0]
                ]
                print(f"  hot of spread, {v.name}: " + ", ".join(f"{r:.2f}" for r in ratios))
    finally:
        for name in ("base", "change"):  # two worlds of 10,000 accounts: not kept
            drop_database(admin, f"coopac_ab_{name}")
        subprocess.run(
            ["git", "-C", str(ROOT), "worktree", "remove", "--force", str(base_tree)],
            check=False,
            capture_output=True,
        )


if __name__ == "__main__":
    main()
