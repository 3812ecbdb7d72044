"""The journal export: every posting of the range with its GL code, and the member's
account and member numbers where it touches a product, the same in csv and xlsx."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta

from fastapi.testclient import TestClient
from openpyxl import load_workbook

from coopac_core.security.roles import Role
from tests.support.bank import Bank


def test_export_names_gl_account_and_member(client: TestClient, bank: Bank) -> None:
    member = bank.member(client)
    account = bank.account(client, member_id=member["id"])
    deposit = bank.deposit(client, account["id"], "123.45")
    accountant = bank.coop.headers[Role.accountant]
    coop = client.get(f"/api/v1/cooperatives/{bank.coop.id}", headers=bank.admin).json()
    day = coop["business_date"]
    r = client.get(
        bank.url("/journal-entries/export"), params={"from": day, "to": day}, headers=accountant
    )
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith("text/csv")
    assert f"movimientos-{day}-{day}.csv" in r.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(r.text)))
    mine = [row for row in rows if row["entry_id"] == deposit["journal_entry_id"]]
    assert len(mine) == 2
    [cash] = [row for row in mine if row["debit"]]
    [saving] = [row for row in mine if row["credit"]]
    assert (cash["debit"], saving["credit"]) == ("123.45", "123.45")
    assert cash["gl_code"].startswith("1111.") and cash["member_number"] == ""
    assert saving["account_number"] == account["number"]
    assert saving["member_number"] == member["member_number"]
    assert saving["kind"] == "deposit" and saving["branch"] == "PUNO"
    # debits equal credits over the export, per currency
    for currency in {row["currency"] for row in rows}:
        lines = [row for row in rows if row["currency"] == currency]
        debit = sum(float(row["debit"] or 0) * 100 for row in lines)
        credit = sum(float(row["credit"] or 0) * 100 for row in lines)
        assert round(debit) == round(credit)
    # the same rows in a spreadsheet
    r = client.get(
        bank.url("/journal-entries/export"),
        params={"from": day, "to": day, "format": "xlsx"},
        headers=accountant,
    )
    assert r.status_code == 200, r.text
    sheet = load_workbook(io.BytesIO(r.content), read_only=True).active
    assert sheet is not None
    table = list(sheet.iter_rows(values_only=True))
    assert list(table[0])[:3] == ["business_date", "booked_at", "entry_id"]
    assert len(table) == len(rows) + 1
    # nothing the day before; a teller does not export; a backwards range is refused
    before = (date.fromisoformat(day) - timedelta(days=1)).isoformat()
    r = client.get(bank.url("/journal-entries/export"), params={"to": before}, headers=accountant)
    assert r.text.count("\n") == 1
    r = client.get(bank.url("/journal-entries/export"), headers=bank.teller)
    assert r.status_code == 403
    r = client.get(
        bank.url("/journal-entries/export"), params={"from": day, "to": before}, headers=accountant
    )
    assert (r.status_code, r.json()["code"]) == (422, "date_range_invalid")
