"""Receipts: a number per counter operation, gapless per branch and series even with
twenty tellers at once and refusals among their operations; as JSON or an 80 mm PDF."""

from __future__ import annotations

import random
import uuid
from collections import defaultdict
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal

import httpx
import pytest
from fastapi.testclient import TestClient

from coopac_core.config import Settings
from coopac_core.db import Database
from coopac_core.main import create_app
from coopac_core.money import Currency
from coopac_core.security.roles import Role
from coopac_core.tellers.receipts import amount_in_words
from tests.support import counter
from tests.support.bank import Bank
from tests.support.live import serve
from tests.support.world import World, add_user, login

TELLERS = 20
OPS = 12


@pytest.fixture(scope="module")
def live_url(settings: Settings, db: Database) -> Iterator[str]:
    with serve(create_app(settings, db)) as url:
        yield url


def test_amounts_in_words_as_peruvian_receipts_write_them() -> None:
    assert amount_in_words(Decimal("120.50"), Currency.PEN) == "CIENTO VEINTE Y 50/100 SOLES"
    assert amount_in_words(Decimal("1.00"), Currency.PEN) == "UNO Y 00/100 SOLES"
    assert (
        amount_in_words(Decimal("2021.07"), Currency.USD)
        == "DOS MIL VEINTIUNO Y 07/100 DÓLARES AMERICANOS"
    )


def test_a_receipt_as_json_and_as_an_80mm_pdf(client: TestClient, bank: Bank) -> None:
    account = bank.account(client)
    dep = bank.deposit(client, account["id"], "120.50")
    number = dep["receipt_number"]
    r = client.get(bank.url(f"/receipts/{number}"), headers=bank.teller)
    assert r.status_code == 200, r.text
    receipt = r.json()
    assert (receipt["number"], receipt["kind"], receipt["amount"], receipt["currency"]) == (
        number,
        "deposit",
        "120.50",
        "PEN",
    )
    assert receipt["amount_in_words"] == "CIENTO VEINTE Y 50/100 SOLES"
    assert receipt["member"]["name"] == "Mamani Quispe, Juana"
    assert receipt["teller"] == "coopa.teller"
    assert receipt["account_number"] == account["number"]
    pdf = client.get(bank.url(f"/receipts/{number}"), params={"format": "pdf"}, headers=bank.teller)
    assert pdf.headers["content-type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    assert b"/MediaBox [0 0 226.77" in pdf.content  # 80 mm wide
    same = client.get(
        bank.url(f"/receipts/{number}"), headers={**bank.teller, "Accept": "application/pdf"}
    )
    assert same.content.startswith(b"%PDF")
    r = client.get(bank.url("/receipts/PUNO-X-00000001"), headers=bank.teller)
    assert (r.status_code, r.json()["code"]) == (404, "receipt_not_found")


def test_receipts_stay_gapless_under_twenty_tellers_at_once(
    client: TestClient, world: World, bank: Bank, live_url: str
) -> None:
    tellers = []
    for n in range(TELLERS):
        name = f"coopa.cajero.r{n:02d}"
        add_user(client, world.a, name, ["teller"], branch="PUNO")
        headers = login(client, name)
        counter.open_counter(
            client, world.a, Role.teller, headers, code=f"R{n:02d}", cash={"PEN": "300.00"}
        )
        tellers.append(headers)
    accounts = [bank.account(client)["id"] for _ in range(TELLERS)]

    def work(n: int) -> list[tuple[int, str | None]]:
        rnd = random.Random(n)
        out: list[tuple[int, str | None]] = []
        with httpx.Client(base_url=live_url, timeout=30) as http:
            for i in range(OPS):
                account = accounts[rnd.randrange(TELLERS)]
                # a third are withdrawals, many more than the till or the account holds
                kind = "withdrawals" if i % 3 == 2 else "deposits"
                amount = "500.00" if kind == "withdrawals" else f"{rnd.randint(1, 90)}.00"
                r = http.post(
                    bank.url(f"/savings-accounts/{account}/{kind}"),
                    json={"amount": amount},
                    headers={**tellers[n], "Idempotency-Key": str(uuid.uuid4())},
                )
                out.append((r.status_code, r.json().get("receipt_number")))
        return out

    with ThreadPoolExecutor(TELLERS) as pool:
        results = list(pool.map(work, range(TELLERS)))
    series: dict[str, list[int]] = defaultdict(list)
    for n, ops in enumerate(results):
        ok = [number for status, number in ops if status == 201]
        assert any(status >= 400 for status, _ in ops)  # refusals among them
        for number in ok:
            assert number is not None
            branch, code, seq = number.split("-")
            assert (branch, code) == ("PUNO", f"R{n:02d}")
            series[code].append(int(seq))
    for code, numbers in series.items():
        # the first receipt of each series is the till's funding from the vault
        assert sorted(numbers) == list(range(2, len(numbers) + 2)), code
    r = client.get(bank.url("/ledger/verification"), headers=world.a.headers[Role.auditor])
    assert r.json()["ok"], r.text


def test_a_receipt_prints_whatever_script_the_members_name_is_in(
    client: TestClient, bank: Bank
) -> None:
    """A name outside Latin-1 (an Aymara apostrophe, another script, an emoji) answered 500
    as a PDF once: it prints, the characters the receipt's font lacks replaced."""
    member = bank.member(client, first_names="Ch\u02bcuqi 春花 🌽", last_names="Mamani")
    account = bank.account(client, member_id=member["id"])
    number = bank.deposit(client, account["id"], "10.00")["receipt_number"]
    pdf = client.get(bank.url(f"/receipts/{number}"), params={"format": "pdf"}, headers=bank.teller)
    assert pdf.status_code == 200, pdf.text
    assert pdf.content.startswith(b"%PDF")
    r = client.get(bank.url(f"/receipts/{number}"), headers=bank.teller)
    assert "春花" in r.json()["member"]["name"]  # the record keeps the name as it is
