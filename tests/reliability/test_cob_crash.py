"""The service is killed (SIGKILL, every worker) in the middle of a close of business and
started again: the run resumes by itself, and every account is accrued exactly once for
every day it closed, no day missing, none twice; every loan's interest too.

Where it is killed is a known point, not a moment: a transaction of the test holds the
accrual of one account on the second day (its row inserted, not committed), so the run
commits the first day and part of the second, then waits there; the test kills it once
it sees the run waiting."""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest
from sqlalchemy import Connection, Engine, create_engine, text
from sqlalchemy.engine import URL

from coopac_core.federation.identifiers import ruc_check_digit
from tests.support.process import Service
from tests.support.world import activate, decide

pytestmark = pytest.mark.heavy

ACCOUNTS = 400
LOANS = 100
DAYS = 4
PASSWORD = "clave-del-cierre-123"


@pytest.fixture
def service(
    new_database: Callable[..., URL], migrated_template: URL, tmp_path: Path
) -> Iterator[tuple[Service, URL]]:
    url = new_database(migrated_template)
    svc = Service(url, tmp_path)
    # small chunks: the run takes long enough, in many transactions, to be killed inside
    svc.env["COOPAC_COB_CHUNK_SIZE"] = "100"
    # the run waits for the test's held row as long as the test takes to see it waiting
    svc.env["COOPAC_LOCK_TIMEOUT_MS"] = svc.env["COOPAC_STATEMENT_TIMEOUT_MS"] = "600000"
    yield svc, url
    svc.stop()


def _login(http: httpx.Client, username: str, password: str) -> dict[str, str]:
    token = http.post("/api/v1/auth/token", data={"username": username, "password": password})
    assert token.status_code == 200, token.text
    return {"Authorization": f"Bearer {token.json()['access_token']}"}


def _cooperative(http: httpx.Client, svc: Service) -> tuple[str, dict[str, str]]:
    """A cooperative whose books start DAYS + 1 days back, and its manager's headers."""
    subprocess.run(
        [sys.executable, "-m", "coopac_core.cli", "create-admin", "--username", "fed.jefa",
         "--password", PASSWORD],
        env=svc.env, check=True, capture_output=True, timeout=120,
    )  # fmt: skip
    fed = _login(http, "fed.jefa", PASSWORD)
    start = datetime.now(ZoneInfo("America/Lima")).date() - timedelta(days=DAYS + 1)
    body = "2060000009"
    coop = http.post(
        "/api/v1/cooperatives",
        json={
            "code": "COOPKILL",
            "name": "Cooperativa del cierre",
            "ruc": body + str(ruc_check_digit(body)),
            "sbs_level": "2A",
            "business_date": start.isoformat(),
        },
        headers=fed,
    ).json()
    prefix = f"/api/v1/cooperatives/{coop['id']}"
    r = http.post(
        f"{prefix}/branches",
        json={"code": "PUNO", "name": "Agencia Puno", "ubigeo": "210101"},
        headers=fed,
    )
    assert r.status_code == 201, r.text
    r = http.post(
        f"{prefix}/savings-products",
        json={"code": "AHV", "name": "Ahorro", "kind": "sight", "currency": "PEN", "tea": "0.03"},
        headers=fed,
    )
    assert r.status_code == 201, r.text
    # the federation makes the first admin; the cooperative's admin makes its manager
    admin = _staff(http, coop["id"], fed, "kill.admin", "admin")
    # nobody else in the cooperative can approve its manager yet: the federation does
    return str(coop["id"]), _staff(http, coop["id"], admin, "kill.gerente", "manager", fed)


def _staff(
    http: httpx.Client,
    coop: str,
    maker: dict[str, str],
    username: str,
    role: str,
    decider: dict[str, str] | None = None,
) -> dict[str, str]:
    """A user ``maker`` makes (``decider`` approving their role), logged in once they chose
    their own password with their activation code."""
    r = http.post(
        f"/api/v1/cooperatives/{coop}/users",
        json={"username": username, "full_name": username, "roles": [role]},
        headers=maker,
    )
    assert r.status_code == 201, r.text
    if decider is not None:
        decide(http, coop, r.json(), decider)
    return activate(http, r.json())


def _load_accounts(url: URL, coop: str) -> None:
    """ACCOUNTS members with an account and their opening deposit, in one entry (SQL)."""
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO member (cooperative_id, id, member_number, is_member, document_type, "
                "document_number, first_names, last_names, status, applied_on, admitted_on) "
                "SELECT c.id, gen_random_uuid(), lpad(n::text, 8, '0'), true, 'DNI', "
                "lpad((40000000 + n)::text, 8, '0'), 'Socia', 'Crash', 'active', "
                "c.business_date, c.business_date FROM cooperative c, "
                "generate_series(1, :n) AS n WHERE c.id = :c"
            ),
            {"c": coop, "n": ACCOUNTS},
        )
        conn.execute(
            text(
                "INSERT INTO savings_account (cooperative_id, id, number, member_id, product_id, "
                "currency, status, balance, held_amount, gl_account_id, opened_on) "
                "SELECT m.cooperative_id, gen_random_uuid(), '2' || m.member_number || '0', m.id, "
                "p.id, 'PEN', 'active', 0, 0, p.gl_account_id, c.business_date "
                "FROM member m JOIN savings_product p ON p.cooperative_id = m.cooperative_id "
                "JOIN cooperative c ON c.id = m.cooperative_id WHERE m.cooperative_id = :c"
            ),
            {"c": coop},
        )
        conn.execute(
            text(
                "WITH e AS (INSERT INTO journal_entry (cooperative_id, id, kind, business_date, "
                "value_date, description, actor_name) SELECT id, gen_random_uuid(), 'deposit', "
                "business_date, business_date, 'Saldos iniciales', 'test' FROM cooperative "
                "WHERE id = :c RETURNING cooperative_id, id, business_date) "
                "INSERT INTO posting (cooperative_id, entry_id, gl_account_id, currency, amount, "
                "account_kind, account_id, balance_after, business_date, value_date) "
                "SELECT e.cooperative_id, e.id, a.gl_account_id, 'PEN', -500.00, 'savings', a.id, "
                "500.00, e.business_date, e.business_date FROM e JOIN savings_account a "
                "ON a.cooperative_id = e.cooperative_id "
                "UNION ALL SELECT e.cooperative_id, e.id, g.id, 'PEN', 500.00 * :n, NULL, NULL, "
                "NULL, e.business_date, e.business_date FROM e JOIN gl_account g "
                "ON g.cooperative_id = e.cooperative_id AND g.code = '1111.PUNO'"
            ),
            {"c": coop, "n": ACCOUNTS},
        )
    engine.dispose()


def _load_loans(url: URL, coop: str) -> None:
    """LOANS loans of S/ 1,200 paid out on the first day: 12 installments of 30 days, each
    with S/ 12.00 of interest; their balances set by one entry (SQL)."""
    engine = create_engine(url)
    with engine.begin() as conn:
        params = {"c": coop, "n": LOANS}
        conn.execute(
            text(
                "INSERT INTO loan_product (cooperative_id, id, code, name, credit_type, "
                "is_agricultural, currency, tea_min, tea_max, amount_min, amount_max, term_min, "
                "term_max, method, frequency, max_grace_periods, commission_rate, "
                "insurance_monthly_rate, moratory_tea, guarantors_required, gl_account_id, "
                "is_active) SELECT :c, gen_random_uuid(), 'CONSUMO', 'Consumo', 'consumo', "
                "false, 'PEN', 0.1, 0.4, 100, 50000, 1, 36, 'french', 'monthly', 0, 0, 0, 0.12, "
                "0, g.id, true FROM gl_account g WHERE g.cooperative_id = :c AND g.code = '1411'"
            ),
            params,
        )
        conn.execute(
            text(
                "INSERT INTO loan (cooperative_id, id, number, member_id, product_id, currency, "
                "amount, tea, term, method, frequency, disbursement_date, terms, purpose, "
                "guarantee, commission, insurance_monthly_rate, moratory_tea, status, balance, "
                "gl_account_id, created_by, disbursed_on, accounting_status, "
                "overdue_gl_account_id, judicial_gl_account_id, overdue_balance, "
                "judicial_balance, suspended_interest, suspended_moratory, days_past_due, "
                "category, debtor_category, provision_generic, provision_specific, "
                "written_off_balance) "
                "SELECT :c, gen_random_uuid(), '5' || m.member_number, m.id, p.id, 'PEN', 1200, "
                "0.24, 12, 'french', 'monthly', c.business_date, '{}', 'consumption', 'none', "
                "0, 0, 0.12, 'active', 0, p.gl_account_id, 'test', c.business_date, 'current', "
                "(SELECT id FROM gl_account WHERE cooperative_id = :c AND code = '1415'), "
                "(SELECT id FROM gl_account WHERE cooperative_id = :c AND code = '1416'), "
                "0, 0, 0, 0, 0, 'normal', 'normal', 0, 0, 0 "
                "FROM member m JOIN loan_product p ON p.cooperative_id = m.cooperative_id "
                "JOIN cooperative c ON c.id = m.cooperative_id WHERE m.cooperative_id = :c "
                "ORDER BY m.member_number LIMIT :n"
            ),
            params,
        )
        conn.execute(
            text(
                "INSERT INTO loan_installment (cooperative_id, loan_id, number, due_date, days, "
                "principal, interest, fees, insurance, principal_paid, interest_paid, fees_paid, "
                "insurance_paid, interest_accrued, moratory_due, moratory_accrued, "
                "moratory_paid) SELECT l.cooperative_id, l.id, k, l.disbursement_date + 30 * k, "
                "30, 100, 12, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 FROM loan l, "
                "generate_series(1, 12) AS k WHERE l.cooperative_id = :c"
            ),
            params,
        )
        conn.execute(
            text(
                "WITH e AS (INSERT INTO journal_entry (cooperative_id, id, kind, business_date, "
                "value_date, description, actor_name) SELECT id, gen_random_uuid(), "
                "'loan_disbursement', business_date, business_date, 'Créditos', 'test' "
                "FROM cooperative WHERE id = :c RETURNING cooperative_id, id, business_date) "
                "INSERT INTO posting (cooperative_id, entry_id, gl_account_id, currency, amount, "
                "account_kind, account_id, balance_after, business_date, value_date) "
                "SELECT e.cooperative_id, e.id, l.gl_account_id, 'PEN', 1200.00, 'loan', l.id, "
                "1200.00, e.business_date, e.business_date FROM e JOIN loan l "
                "ON l.cooperative_id = e.cooperative_id "
                "UNION ALL SELECT e.cooperative_id, e.id, g.id, 'PEN', -1200.00 * :n, NULL, NULL, "
                "NULL, e.business_date, e.business_date FROM e JOIN gl_account g "
                "ON g.cooperative_id = e.cooperative_id AND g.code = '1111.PUNO'"
            ),
            params,
        )
    engine.dispose()


def _hold_an_accrual(engine: Engine, coop: str) -> Connection:
    """A transaction, left open, that inserted the second day's accrual of the account in
    the middle: the run's chunk that reaches it waits for this transaction to end."""
    conn = engine.connect()
    conn.execute(
        text(
            "INSERT INTO savings_accrual (cooperative_id, account_id, accrual_date, product_id, "
            "balance, amount) SELECT a.cooperative_id, a.id, c.business_date + 1, a.product_id, "
            "0, 0 FROM savings_account a JOIN cooperative c ON c.id = a.cooperative_id "
            "WHERE a.cooperative_id = :c ORDER BY a.id OFFSET :middle LIMIT 1"
        ),
        {"c": coop, "middle": ACCOUNTS // 2},
    )
    return conn


def _wait_for_the_held_accrual(engine: Engine) -> None:
    """Until a session of the service waits for the held row (or long after: then the
    assertions that follow say what the run did instead)."""
    deadline = time.monotonic() + 120
    # each look its own transaction: a transaction sees one snapshot of the activity
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        while time.monotonic() < deadline:
            waiting = conn.execute(
                text(
                    "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                    "AND wait_event_type = 'Lock' AND query LIKE '%savings_accrual%'"
                )
            ).scalar_one()
            if waiting:
                return
            time.sleep(0.05)


def _run(http: httpx.Client, url: str, headers: dict[str, str]) -> Any:
    return http.get(url, headers=headers).json()


def test_sigkill_mid_close_of_business_accrues_every_account_once_a_day(
    service: tuple[Service, URL],
) -> None:
    svc, url = service
    svc.start()
    http = httpx.Client(base_url=svc.base, timeout=30)
    coop, manager = _cooperative(http, svc)
    _load_accounts(url, coop)
    _load_loans(url, coop)
    holder = create_engine(url)
    hold = _hold_an_accrual(holder, coop)
    r = http.post(
        f"/api/v1/cooperatives/{coop}/close-of-business", json={"days": DAYS}, headers=manager
    )
    assert r.status_code == 202, r.text
    location = r.headers["Location"]
    # killed where the run waits for the held account: the first day and part of the
    # second committed, the rest not
    _wait_for_the_held_accrual(holder)
    run = _run(http, location, manager)
    accrual = next(s for s in run["steps"] if s["name"] == "savings_accrual")
    assert run["status"] == "running", run
    assert ACCOUNTS <= accrual["processed"] < 2 * ACCOUNTS, accrual
    svc.kill()
    hold.rollback()  # the held row was never the run's: gone, the account is accrued anew
    hold.close()
    svc.start()  # resumes the run by itself
    deadline = time.monotonic() + 180
    while (run := _run(http, location, manager))["status"] == "running":
        assert time.monotonic() < deadline, run
        time.sleep(0.2)
    assert run["status"] == "succeeded", run

    holder.dispose()
    engine = create_engine(url)
    with engine.connect() as conn:
        per_day = conn.execute(
            text(
                "SELECT accrual_date, count(*), count(DISTINCT account_id) FROM savings_accrual "
                "WHERE cooperative_id = :c GROUP BY accrual_date ORDER BY accrual_date"
            ),
            {"c": coop},
        ).all()
        # each loan's first installment has accrued its share of the DAYS - 1 days elapsed
        # at the end of the last day closed (paid out on the first): 12.00 x (DAYS - 1) / 30, once
        accrued = conn.execute(
            text(
                "SELECT sum(interest_accrued), count(DISTINCT loan_id) FILTER (WHERE "
                "interest_accrued > 0) FROM loan_installment WHERE cooperative_id = :c"
            ),
            {"c": coop},
        ).one()
    engine.dispose()
    assert len(per_day) == DAYS
    assert all(rows == accounts == ACCOUNTS for _, rows, accounts in per_day), per_day
    share = round(Decimal("12.00") * (DAYS - 1) / 30, 2)
    assert tuple(accrued) == (share * LOANS, LOANS)
    verify = subprocess.run(
        [sys.executable, "-m", "coopac_core.cli", "verify-ledger"],
        env=svc.env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert verify.returncode == 0, verify.stdout + verify.stderr
