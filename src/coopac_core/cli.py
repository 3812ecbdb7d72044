"""The ``coopac`` command: serve, migrate, create-admin, demo, verify-ledger,
close-of-business, openapi, errors-doc."""

from __future__ import annotations

import argparse
import os
import shutil
import sys
from collections.abc import Sequence
from datetime import timedelta

from coopac_core.config import Settings, get_settings
from coopac_core.db import ALL_TENANTS, Database, app_url, make_engine, migrate, owner_url


def _prepare(settings: Settings) -> Database:
    """Resolve the database (starting the embedded one if needed) and migrate it."""
    owner = owner_url(settings)
    if not settings.database_url:
        # Workers and child processes attach to the same embedded server directly.
        os.environ["COOPAC_DATABASE_URL"] = owner.render_as_string(hide_password=False)
    migrate(owner, settings)
    return Database(owner, make_engine(app_url(owner, settings), settings, pool_size=2))


def cmd_migrate(args: argparse.Namespace, settings: Settings) -> int:
    owner = owner_url(settings)
    migrate(owner, settings, args.revision)
    print(f"migrated to {args.revision}")
    return 0


def cmd_create_admin(args: argparse.Namespace, settings: Settings) -> int:
    from coopac_core.errors import DomainError
    from coopac_core.security import users
    from coopac_core.security.passwords import password_problem
    from coopac_core.security.roles import Role
    from coopac_core.security.schemas import FederationUserCreate

    # the operator's own account: the one password chosen by someone other than an
    # activation code's holder is the operator's, at the server, for themselves
    try:
        data = FederationUserCreate(
            username=args.username,
            full_name=args.full_name or args.username,
            roles=[Role.federation_admin],
        )
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if (problem := password_problem(args.password, data.username)) is not None:
        print(f"error: {problem[0]}", file=sys.stderr)
        return 2
    db = _prepare(settings)
    try:
        with db.session(ALL_TENANTS) as session:
            user = users.create_federation_user(session, None, data, password=args.password)
    except DomainError as exc:
        print(f"error: {exc.detail}", file=sys.stderr)
        return 1
    finally:
        db.dispose()
    print(f"federation administrator {user.username!r} created (id {user.id})")
    return 0


def _print_demo_logins() -> None:
    from coopac_core.demo import DEMO_PASSWORD, demo_logins

    print(f"demo logins (password for all: {DEMO_PASSWORD}):")
    for login in demo_logins():
        print(f"  {login.username:<14} {login.roles:<20} {login.cooperative}")


def _load_demo(db: Database) -> None:
    from coopac_core import main  # noqa: F401 - every product and its close-of-business steps
    from coopac_core.db import refresh_statistics
    from coopac_core.demo import catch_up, load_demo

    with db.session(ALL_TENANTS) as session:
        loaded = load_demo(session)
    if loaded:  # a bulk load: close of business plans from its figures
        with db.session(ALL_TENANTS) as session:
            refresh_statistics(session, stale_only=False)
    # a demo left half closed (stopped during its first start) goes on from where it was
    days = catch_up(db)
    print("demo data loaded" if loaded else "demo data already present")
    if days:
        print(f"closed {days} business days of demo history up to today")


def cmd_demo(args: argparse.Namespace, settings: Settings) -> int:
    db = _prepare(settings)
    try:
        _load_demo(db)
    finally:
        db.dispose()
    _print_demo_logins()
    return 0


def cmd_verify_ledger(args: argparse.Namespace, settings: Settings) -> int:
    from sqlmodel import or_, select

    from coopac_core.federation.models import Cooperative
    from coopac_core.flows.verification import verify_books

    db = _prepare(settings)
    failed = False
    try:
        with db.session(ALL_TENANTS) as session:
            stmt = select(Cooperative).order_by(Cooperative.code)
            if args.cooperative:
                wanted = args.cooperative.upper()
                stmt = stmt.where(
                    or_(Cooperative.code == wanted, Cooperative.ruc == wanted)
                    if not _is_uuid(args.cooperative)
                    else Cooperative.id == args.cooperative
                )
            coops = list(session.exec(stmt))
            if not coops:
                print("error: no such cooperative", file=sys.stderr)
                return 2
            for coop in coops:
                report = verify_books(session, coop.id)
                verdict = "OK" if report.ok else "FAILED"
                print(
                    f"{coop.code}: {verdict} ({report.member_accounts_checked} member accounts, "
                    f"{report.control_accounts_checked} control accounts, "
                    f"{report.entries_checked} entries)"
                )
                for problem in report.problems:
                    print(f"  - {problem}")
                failed = failed or not report.ok
    finally:
        db.dispose()
    return 1 if failed else 0


def cmd_close_of_business(args: argparse.Namespace, settings: Settings) -> int:
    """Close days with a progress bar per step; the same run the API starts, done here."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn
    from sqlmodel import or_, select

    from coopac_core import main  # noqa: F401 - every product and its steps, loaded
    from coopac_core.cob import execution
    from coopac_core.cob import service as cob
    from coopac_core.cob.models import CobRun, RunStatus
    from coopac_core.db import set_tenant_scope
    from coopac_core.errors import DomainError
    from coopac_core.federation.models import Cooperative
    from coopac_core.security.principal import CoopContext, Principal
    from coopac_core.security.roles import Role

    db = _prepare(settings)
    try:
        with db.session(ALL_TENANTS) as session:
            wanted = args.cooperative.upper()
            coop = session.exec(
                select(Cooperative).where(
                    or_(Cooperative.code == wanted, Cooperative.ruc == wanted)
                )
            ).first()
            if coop is None:
                print("error: no such cooperative", file=sys.stderr)
                return 2
            set_tenant_scope(session, coop.id)
            # the operator at the server's console acts with the manager's authority
            ctx = CoopContext(coop.id, Principal(name="cli"), frozenset({Role.manager}))
            try:
                run = cob.start_run(
                    session,
                    ctx,
                    args.days,
                    pre_holiday=args.pre_holiday,
                    workers=settings.cob_workers,
                )
            except DomainError as exc:
                print(f"error: {exc.detail}", file=sys.stderr)
                return 1
            coop_id, run_id = coop.id, run.id
            print(f"{coop.code}: closing {run.business_date_from} to {run.business_date_to}")
        with Progress(
            TextColumn("{task.description:<28}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[day]}"),
        ) as bars:
            tasks: dict[str, TaskID] = {}

            def show(run: CobRun, steps: list[cob.StepSummary]) -> None:
                for step in steps:
                    if step.name not in tasks:
                        tasks[step.name] = bars.add_task(step.name, total=None, day="")
                    bars.update(
                        tasks[step.name],
                        total=max(step.total, step.processed) or None,
                        completed=step.processed,
                        day=str(run.current_day),
                    )

            status = execution.execute(db, coop_id, run_id, show, chunk=settings.cob_chunk_size)
        with db.session(coop_id) as session:
            run = cob.get_run(session, coop_id, run_id)
            if status is RunStatus.succeeded:
                print(f"succeeded: business date now {run.business_date_to + timedelta(days=1)}")
                return 0
            print(f"failed: {run.error or status}", file=sys.stderr)
            return 1
    finally:
        db.dispose()


def _is_uuid(value: str) -> bool:
    import uuid

    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


def cmd_import(args: argparse.Namespace, settings: Settings) -> int:
    """Prepare the load of a cooperative's CSV files from its previous system and check it,
    a bar per file: the same job the API starts (POST .../imports), checked here. Another
    person approves it over the API; nothing is loaded before."""
    from pathlib import Path
    from typing import Any

    from rich.progress import Progress, SpinnerColumn, TaskID, TextColumn
    from sqlmodel import or_, select

    from coopac_core.db import set_tenant_scope
    from coopac_core.errors import DomainError
    from coopac_core.federation.models import Cooperative
    from coopac_core.imports import service as imports
    from coopac_core.imports.models import ImportStatus
    from coopac_core.security.principal import CoopContext, Principal
    from coopac_core.security.roles import Role

    db = _prepare(settings)
    try:
        with db.session(ALL_TENANTS) as session:
            wanted = args.cooperative.upper()
            coop = session.exec(
                select(Cooperative).where(
                    or_(Cooperative.code == wanted, Cooperative.ruc == wanted)
                )
            ).first()
            if coop is None:
                print("error: no such cooperative", file=sys.stderr)
                return 2
            set_tenant_scope(session, coop.id)
            # the operator at the server's console acts with the accountant's authority
            ctx = CoopContext(coop.id, Principal(name="cli"), frozenset({Role.accountant}))
            try:
                files = {
                    imports.kind_of(name): (Path(name).name, Path(name).read_bytes())
                    for name in args.files
                }
                job = imports.start(session, ctx, files)
            except (DomainError, OSError) as exc:
                print(f"error: {getattr(exc, 'detail', exc)}", file=sys.stderr)
                return 1
            coop_id, job_id = coop.id, job.id
        with Progress(SpinnerColumn(), TextColumn("{task.description}")) as bars:
            tasks: dict[str, TaskID] = {}

            def show(files: list[dict[str, Any]]) -> None:
                for f in files:
                    line = f"{f['kind']:<12} {f['status']:<8}"
                    if f.get("rows") is not None:
                        line += f" {f['loaded'] or 0:>9,} of {f['rows']:,} rows"
                    if f.get("seconds"):
                        line += f" in {f['seconds']:.1f} s"
                    if f.get("errors"):
                        line += f", {f['errors']:,} refused"
                    if f["kind"] not in tasks:
                        tasks[f["kind"]] = bars.add_task(line, total=1)
                    done = f["status"] not in ("pending", "running")
                    bars.update(tasks[f["kind"]], description=line, completed=int(done))

            job = imports.check(db, coop_id, job_id, show)
        for error in job.errors[:50]:
            print(f"  {error['file']}.csv line {error['line']}: {error['reason']}")
        if job.error_count > 50:
            print(f"  ... {job.error_count - 50:,} more (GET .../imports/{job.id})")
        if job.error:
            print(f"  {job.error}")
        balances = ", ".join(f"{c} {v}" for c, v in sorted(job.suspense.items()))
        print(f"import {job.id}: {job.status}; migration suspense (19x8) after it: {balances}")
        if job.status != ImportStatus.awaiting_approval:
            return 1
        print(
            "another person (accountant or manager) approves it: "
            f"POST /api/v1/cooperatives/{coop_id}/imports/{job.id}/approve"
        )
        return 0
    finally:
        db.dispose()


def cmd_worker(args: argparse.Namespace, settings: Settings) -> int:
    """Deliver webhooks until stopped (SIGINT or SIGTERM finish the round in hand)."""
    import signal
    import threading

    from coopac_core.db import Database
    from coopac_core.events.worker import WebhookWorker

    db = Database.from_settings(settings, pool_size=2)
    stop = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stop.set())
    worker = WebhookWorker(db, settings)
    print(f"webhook worker {worker.name}: delivering", flush=True)
    try:
        worker.run(stop)
    finally:
        worker.close()
        db.dispose()
    return 0


def cmd_serve(args: argparse.Namespace, settings: Settings) -> int:
    import uvicorn

    from coopac_core.observability import uvicorn_log_config
    from coopac_core.security.secret_key import InsecureSecretKey

    # the workers read their settings afresh from the environment: demo mode (and the weak
    # key it tolerates) is what --demo says, never a COOPAC_DEMO left in the environment
    if args.demo:
        os.environ["COOPAC_DEMO"] = "1"
    else:
        os.environ.pop("COOPAC_DEMO", None)
    settings = settings.model_copy(update={"demo": bool(args.demo)})
    try:
        settings.check_secret_key()
    except InsecureSecretKey as exc:
        print(
            f"error: {exc}; set a long random key, e.g. "
            "python3 -c 'import secrets; print(secrets.token_urlsafe(48))'",
            file=sys.stderr,
        )
        return 2
    db = _prepare(settings)
    try:
        if args.demo:
            _load_demo(db)
    finally:
        db.dispose()
    base = f"http://{args.host}:{args.port}"
    print(f"coopac-core serving at {base}  (API: {base}/api/v1)")
    print(f"docs: {base}/docs   openapi: {base}/openapi.json")
    if args.demo:
        _print_demo_logins()
    sys.stdout.flush()
    if args.workers > 1 and not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        # each worker keeps its own figures; /metrics adds them up from this folder, emptied
        # at each start (the library's multiprocess mode, set before any worker starts)
        folder = settings.data_dir / "metrics"
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        os.environ["PROMETHEUS_MULTIPROC_DIR"] = str(folder)
    uvicorn.run(
        "coopac_core.main:create_app",
        factory=True,
        host=args.host,
        port=args.port,
        workers=args.workers,
        log_config=uvicorn_log_config(settings.log_level),
        access_log=False,
        proxy_headers=bool(settings.trusted_proxies),
        forwarded_allow_ips=settings.trusted_proxies or None,
        server_header=False,  # no banner naming the server and its version
    )
    return 0


def cmd_openapi(args: argparse.Namespace, settings: Settings) -> int:
    import json

    from coopac_core.main import create_app

    document = create_app(settings).openapi()
    _write(args.output, json.dumps(document, indent=2, ensure_ascii=False) + "\n")
    return 0


def cmd_errors_doc(args: argparse.Namespace, settings: Settings) -> int:
    from coopac_core.catalogue import errors_markdown

    _write(args.output, errors_markdown())
    return 0


def _write(path: str | None, text: str) -> None:
    if path:
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
    else:
        sys.stdout.write(text)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="coopac", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)

    serve = sub.add_parser("serve", help="run the API (migrates first)")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--workers", type=int, default=1)
    serve.add_argument("--demo", action="store_true", help="load the demo federation first")
    serve.set_defaults(func=cmd_serve)

    mig = sub.add_parser("migrate", help="apply the database migrations")
    mig.add_argument("--revision", default="head")
    mig.set_defaults(func=cmd_migrate)

    admin = sub.add_parser("create-admin", help="create a federation administrator")
    admin.add_argument("--username", required=True)
    admin.add_argument("--password", required=True)
    admin.add_argument("--full-name", default=None)
    admin.set_defaults(func=cmd_create_admin)

    demo = sub.add_parser("demo", help="load the demo federation")
    demo.set_defaults(func=cmd_demo)

    check = sub.add_parser(
        "verify-ledger",
        help="prove member balances equal their postings and control accounts their members",
    )
    check.add_argument("--cooperative", help="code, RUC or id (default: every cooperative)")
    check.set_defaults(func=cmd_verify_ledger)

    cob = sub.add_parser(
        "close-of-business",
        help="close business days (interest, maturities, dormancy) with a progress bar",
    )
    cob.add_argument("--cooperative", required=True, help="code or RUC")
    cob.add_argument("--days", type=int, default=1, choices=range(1, 32), metavar="1..31")
    cob.add_argument("--pre-holiday", action="store_true", help="close tomorrow in advance")
    cob.set_defaults(func=cmd_close_of_business)

    imp = sub.add_parser(
        "import",
        help="prepare and check the load of a cooperative from its previous system "
        "(docs/imports.md): members.csv savings.csv shares.csv loans.csv gl_balances.csv; "
        "another person approves it over the API",
    )
    imp.add_argument("--cooperative", required=True, help="code or RUC")
    imp.add_argument("files", nargs="+", help="CSV files, named by their kind")
    imp.set_defaults(func=cmd_import)

    work = sub.add_parser(
        "worker", help="deliver webhooks (coopac serve runs one too, unless told not to)"
    )
    work.set_defaults(func=cmd_worker)

    api = sub.add_parser("openapi", help="print the OpenAPI document (no database needed)")
    api.add_argument("--output", help="write to this file instead")
    api.set_defaults(func=cmd_openapi)

    errs = sub.add_parser("errors-doc", help="print the list of error codes (docs/errors.md)")
    errs.add_argument("--output", help="write to this file instead")
    errs.set_defaults(func=cmd_errors_doc)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    settings = get_settings()
    from coopac_core.observability import configure_logging

    configure_logging(settings.log_level)
    code: int = args.func(args, settings)
    return code


if __name__ == "__main__":
    sys.exit(main())
