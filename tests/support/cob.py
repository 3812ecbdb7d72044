"""Close of business from a test: start a run and wait for it, as a client would; or, for a
test that only needs days behind it, the same run in this process (``close_in_process``)."""

from __future__ import annotations

import time
import uuid
from typing import Any

from fastapi.testclient import TestClient

from coopac_core.cob.execution import execute
from coopac_core.cob.models import RunStatus
from coopac_core.cob.service import start_run
from coopac_core.db import Database
from coopac_core.security.principal import CoopContext, Principal
from coopac_core.security.roles import Role
from tests.support import counter
from tests.support.world import Coop


def wait_for_run(client: TestClient, coop: Coop, location: str, timeout: float = 120) -> Any:
    deadline = time.monotonic() + timeout
    while True:
        run = client.get(location, headers=coop.headers[Role.manager]).json()
        if run["status"] != "running":
            return run
        assert time.monotonic() < deadline, run
        time.sleep(0.05)


def close_days(
    client: TestClient, coop: Coop, days: int = 1, role: Role = Role.manager, **extra: object
) -> tuple[int, Any]:
    """(status, body): the refusal, or the finished run when it was accepted (202). The
    tills are counted and closed first, and opened again on the new day, as at a branch."""
    counter.close_all(client, coop)
    r = client.post(
        f"/api/v1/cooperatives/{coop.id}/close-of-business",
        json={"days": days, **extra},
        headers=coop.headers[role],
    )
    counter.open_counters(client, coop)
    if r.status_code != 202:
        return r.status_code, r.json()
    assert r.json()["status"] == "running"
    return 202, wait_for_run(client, coop, r.headers["Location"])


def close_until(client: TestClient, coop: Coop, days: int) -> str:
    """Close ``days`` days, 31 at a time; the business date after."""
    left = days
    while left:
        step = min(left, 31)
        status, run = close_days(client, coop, step)
        assert status == 202 and run["status"] == "succeeded", run
        left -= step
    r = client.get(f"/api/v1/cooperatives/{coop.id}", headers=coop.headers[Role.manager])
    return str(r.json()["business_date"])


def close_in_process(client: TestClient, db: Database, coop: Coop, days: int) -> str:
    """History for a test that is not about the close: the run the API starts
    (``cob.service.start_run``, then ``cob.execution.execute``), done here in one call,
    with no request to start it and no polling for its end. The tills are closed first and
    opened again on the new day, as ``close_days`` does. The business date after."""
    counter.close_all(client, coop)
    coop_id = uuid.UUID(coop.id)
    manager = CoopContext(coop_id, Principal(name="test.history"), frozenset({Role.manager}))
    with db.session(coop_id) as session:
        run_id = start_run(session, manager, days).id
    assert execute(db, coop_id, run_id) == RunStatus.succeeded
    counter.open_counters(client, coop)
    r = client.get(f"/api/v1/cooperatives/{coop.id}", headers=coop.headers[Role.manager])
    return str(r.json()["business_date"])
