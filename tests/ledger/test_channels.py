"""Every entry says where it came in: close of business's accruals, provisions, transfers to
overdue and interest paid in say ``system``; a teller's operations ``counter``; an
operation a request names as an agent's, ``agent``."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from fastapi.testclient import TestClient

from coopac_core.security.roles import Role
from tests.loans.test_close_of_business import _cooperative
from tests.support.counter import key
from tests.support.world import World

START = date(2025, 6, 20)
BY_CLOSE_OF_BUSINESS = {
    "interest_accrual", "interest", "loan_accrual", "loan_transfer", "loan_provision",
}  # fmt: skip


def test_each_kind_of_entry_records_its_channel(client: TestClient, world: World) -> None:
    walk = _cooperative(client, world, "COOPCANAL", "2060001111", START, "consumo_no_revolvente")
    saver, borrower = walk.member(), walk.member()
    product = walk.post(
        "/savings-products",
        Role.admin,
        {"code": "AHORRO", "name": "Ahorro", "kind": "sight", "currency": "PEN", "tea": "0.05"},
    )
    account = walk.post(
        "/savings-accounts", Role.teller, {"member_id": saver, "product_id": product["id"]}
    )
    branch = walk.coop.branches["PUNO"]
    walk.post(f"/savings-accounts/{account['id']}/deposits", Role.teller,
              {"amount": "300.00", "branch_id": branch}, money=True)  # fmt: skip
    assert walk.last.status_code == 201, walk.last.text
    r = client.post(
        walk.url(f"/savings-accounts/{account['id']}/deposits"),
        json={"amount": "20.00", "branch_id": branch},
        headers={**walk.coop.headers[Role.teller], **key(), "X-Channel": "agent"},
    )
    assert r.status_code == 201, r.text
    walk.loan(borrower)  # never paid: overdue, provisioned
    walk.close_to(date(2025, 9, 2))

    channels: dict[str, set[str]] = defaultdict(set)
    cursor = None
    while True:
        params = {"limit": 200, **({"cursor": cursor} if cursor else {})}
        page = walk.get("/journal-entries", Role.accountant, **params)
        for entry in page["items"]:
            channels[entry["kind"]].add(entry["channel"])
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert set(channels) >= BY_CLOSE_OF_BUSINESS, channels
    assert all(channels[kind] == {"system"} for kind in BY_CLOSE_OF_BUSINESS), channels
    assert channels["deposit"] == {"counter", "agent"}
    assert channels["loan_disbursement"] == {"counter"}
