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


def test_a_description_that_looks_like_a_formula_stays_text(client: TestClient, bank: Bank) -> None:
    """A member's deposit described as a formula opens as its text, in csv and xlsx; the
    amounts stay numbers (OWASP's CSV injection rule)."""
    account = bank.account(client)
    attacks = ['=HYPERLINK("http://x.example","y")', "+cmd|' /C calc'!A0", "@SUM(1+1)", "-2+3",
               "\t=1+1", "\r=1+1"]  # fmt: skip
    entries = {}
    for text in attacks:
        r = client.post(
            bank.url(f"/savings-accounts/{account['id']}/deposits"),
            json={"amount": "1.00", "branch_id": bank.puno, "description": text},
            headers={
                **bank.teller,
                "Idempotency-Key": f"formula-{attacks.index(text)}-{account['id']}",
            },
        )
        assert r.status_code == 201, r.text
        # a leading tab or return is trimmed as any blank: "=1+1" remains, and is neutralised
        entries[r.json()["journal_entry_id"]] = text.strip()
    accountant = bank.coop.headers[Role.accountant]
    r = client.get(bank.url("/journal-entries/export"), headers=accountant)
    assert r.status_code == 200, r.text
    rows = [row for row in csv.DictReader(io.StringIO(r.text)) if row["entry_id"] in entries]
    assert len(rows) == 2 * len(attacks)
    for row in rows:
        assert row["description"] == "'" + entries[row["entry_id"]], row
        assert not (row["debit"] + row["credit"]).startswith("'")
    r = client.get(
        bank.url("/journal-entries/export"), params={"format": "xlsx"}, headers=accountant
    )
    sheet = load_workbook(io.BytesIO(r.content)).active
    assert sheet is not None
    header = [c.value for c in sheet[1]]
    at = {name: i for i, name in enumerate(header)}
    seen = 0
    for line in sheet.iter_rows(min_row=2):
        entry = line[at["entry_id"]].value
        if entry in entries:
            seen += 1
            cell = line[at["description"]]
            assert (cell.data_type, cell.value) == ("s", "'" + entries[entry])
            amount = line[at["debit"]].value or line[at["credit"]].value
            assert amount == 1.0
    assert seen == 2 * len(attacks)
