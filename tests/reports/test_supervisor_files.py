"""The files a cooperative sends the supervisor each month, over HTTP: the debtor file (RCD)
of a cooperative with every credit type, every category and every accounting status, its
totals equal to the trial balance's loan accounts; and the trial balance file, whose
figures are the ledger's."""

from __future__ import annotations

import csv
import io
from datetime import date
from decimal import Decimal as D
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

from coopac_core.reports.supervisor import rcd
from coopac_core.security.roles import Role
from tests.loans.test_close_of_business import Walk, _cooperative
from tests.support.world import World

START = date(2025, 6, 20)
PERIOD = "2025-11"
MONTH_END = date(2025, 11, 30)


def _product(walk: Walk, code: str, credit_type: str) -> str:
    out = walk.post(
        "/loan-products",
        Role.admin,
        {
            "code": code,
            "name": code.title(),
            "credit_type": credit_type,
            "currency": "PEN",
            "tea_min": "0.10",
            "tea_max": "0.40",
            "amount_min": "100.00",
            "amount_max": "90000.00",
            "term_min": 1,
            "term_max": 60,
        },
    )
    assert walk.last.status_code == 201, walk.last.text
    return str(out["id"])


def _debtors_file(walk: Walk, fmt: str) -> Any:
    return walk.c.get(
        walk.url("/reports/debtors-file"),
        params={"period": PERIOD, "format": fmt},
        headers=walk.coop.headers[Role.accountant],
    )


def test_the_debtor_file_and_the_trial_balance_file(client: TestClient, world: World) -> None:
    walk = _cooperative(client, world, "COOPRCD", "2060000711", START, "consumo_no_revolvente")
    products = {
        t: _product(walk, code, t)
        for code, t in (
            ("REVOL", "consumo_revolvente"),
            ("MICRO", "microempresa"),
            ("PEQUE", "pequena_empresa"),
            ("MEDIA", "mediana_empresa"),
            ("HIPOT", "hipotecario"),
        )
    }
    # nobody pays: each loan's age at 30 November puts its debtor in another category
    judicial, refinanced = walk.member(), walk.member()
    walk.loan(judicial)  # consumo, 133 days behind: Pérdida, then taken to court
    walk.loan(refinanced)
    walk.close_to(date(2025, 8, 1))
    micro = walk.member()  # 90 days behind: Dudoso
    walk.loan(micro, product_id=products["microempresa"])
    walk.close_to(date(2025, 8, 30))
    old = walk.get("/loans", Role.credit_officer, member_id=refinanced)["items"][0]
    body = {"installments": 12, "reason": "Helada: paga con la campaña siguiente"}
    walk.post(f"/loans/{old['id']}/refinance", Role.credit_committee, body)
    assert walk.last.status_code == 202, walk.last.text
    walk.post(f"/loans/{old['id']}/refinance/approve", Role.manager, money=True)
    assert walk.last.status_code == 200, walk.last.text
    walk.close_to(date(2025, 9, 10))
    small = walk.member()  # 51 days behind: Deficiente
    walk.loan(small, product_id=products["pequena_empresa"])
    walk.close_to(date(2025, 10, 1))
    revolving = walk.member()  # 29 days behind: CPP
    walk.loan(revolving, product_id=products["consumo_revolvente"])
    walk.close_to(date(2025, 10, 20))
    home = walk.member()  # 10 days behind, within a mortgage's 30: Normal
    walk.loan(home, product_id=products["hipotecario"], purpose="housing", term=24)
    walk.close_to(date(2025, 11, 1))
    medium = walk.member()  # not yet due: Normal
    walk.loan(medium, product_id=products["mediana_empresa"], purpose="business")
    walk.close_to(date(2025, 11, 20))
    court = walk.get("/loans", Role.credit_officer, member_id=judicial)["items"][0]
    walk.post(f"/loans/{court['id']}/judicial-collection", Role.credit_committee)
    assert walk.last.status_code == 200, walk.last.text
    walk.close_to(date(2025, 12, 1))  # November is taken (provisional)

    r = _debtors_file(walk, "json")
    assert r.status_code == 200, r.text
    out = r.json()
    ids = {
        m: walk.get(f"/members/{m}", Role.teller)["document_number"]
        for m in (judicial, refinanced, micro, small, revolving, home, medium)
    }
    records = {rec["document_number"]: rec for rec in out["records"]}
    assert len(records) == 7 and out["debtors"] == 7
    seen = {m: (records[doc]["credit_type"], records[doc]["category"]) for m, doc in ids.items()}
    assert seen[judicial] == ("consumo_no_revolvente", "perdida")
    assert seen[micro] == ("microempresa", "dudoso")
    assert seen[small] == ("pequena_empresa", "deficiente")
    assert seen[revolving] == ("consumo_revolvente", "cpp")
    assert seen[home] == ("hipotecario", "normal")
    assert seen[medium] == ("mediana_empresa", "normal")
    court_rec, refi = records[ids[judicial]], records[ids[refinanced]]
    assert D(court_rec["judicial"]) > 0 and D(court_rec["current"]) == 0
    assert D(refi["refinanced"]) > 0 and D(refi["current"]) == 0
    assert D(records[ids[micro]]["overdue"]) > 0
    assert D(records[ids[medium]]["current"]) > 0 and D(records[ids[medium]]["overdue"]) == 0
    assert D(court_rec["provision_specific"]) > 0
    assert D(records[ids[medium]]["provision_generic"]) > 0

    # the totals are the trial balance's at the month end, account by account
    tb = walk.get("/ledger/trial-balance", Role.accountant, as_of=MONTH_END.isoformat())
    ledger = {a["code"]: D(a["balance"]) for a in tb["accounts"]}
    totals = {t["gl_account"]: t for t in out["totals"] if t["currency"] == "PEN"}
    for field, template in rcd.BALANCE_ACCOUNTS.items():
        code = template.format(c=1)
        in_file = sum((D(rec[_JSON[field]]) for rec in out["records"]), D("0.00"))
        expected = ledger.get(code, D("0.00"))
        if field in rcd.CREDIT_BALANCES:
            expected = -expected
        assert D(totals[code]["file_total"]) == in_file == expected, code
        assert D(totals[code]["ledger_balance"]) == expected, code
    assert ledger["1414"] > 0 and ledger["1416"] > 0 and ledger["1415"] > 0

    # the file itself: a control record, then one fixed-width record per debtor
    r = _debtors_file(walk, "txt")
    assert r.status_code == 200, r.text
    lines = r.content.decode("ascii").split("\r\n")
    assert lines[-1] == "" and len(lines) == 1 + 7 + 1
    control, details = lines[0], lines[1:-1]
    assert len(control) == rcd.width(rcd.CONTROL)
    assert control.startswith("006" + walk.get("")["ruc"]) and "202511" in control
    assert all(len(line) == rcd.width(rcd.DEBTOR) for line in details)
    line: str = next(ln for ln in details if ids[judicial] in ln)
    at = {f.name: (sum(g.width for g in rcd.DEBTOR[:i]), f.width) for i, f in enumerate(rcd.DEBTOR)}

    def cell(name: str) -> str:
        start, size = at[name]
        return line[start : start + size]

    assert cell("clasificacion") == "4" and cell("tipo_credito") == "12"
    assert D(cell("saldo_judicial")) / 100 == D(court_rec["judicial"])
    assert cell("nombre").startswith("MAMANI ROSA")

    # the trial balance file: the ledger's closing balances; this month's opening is last
    # month's closing; its debits and credits balance
    r = walk.c.get(
        walk.url("/reports/trial-balance-file"),
        params={"period": PERIOD, "format": "json"},
        headers=walk.coop.headers[Role.accountant],
    )
    assert r.status_code == 200, r.text
    month = r.json()
    closing = {ln["code"]: D(ln["closing"]) for ln in month["lines"] if ln["currency"] == "PEN"}
    assert {c: v for c, v in closing.items() if v} == {c: v for c, v in ledger.items() if v}
    before = walk.get(
        "/reports/trial-balance-file", Role.accountant, period="2025-10", format="json"
    )
    previous = {ln["code"]: D(ln["closing"]) for ln in before["lines"]}
    for ln in month["lines"]:
        assert D(ln["opening"]) == previous.get(ln["code"], D("0.00")), ln
        assert D(ln["closing"]) == D(ln["opening"]) + D(ln["debits"]) - D(ln["credits"])
        if ln["currency"] == "PEN":
            assert D(ln["closing_pen"]) == D(ln["closing"])
        elif ln["code"].startswith("1"):  # dollar assets at the month's rate
            rate = D(month["exchange_rate"])
            assert D(ln["closing_pen"]) == (D(ln["closing"]) * rate).quantize(D("0.01"))
    for total in month["totals"]:
        assert total["debits"] == total["credits"], total
    r = walk.c.get(
        walk.url("/reports/trial-balance-file"),
        params={"period": PERIOD},
        headers=walk.coop.headers[Role.accountant],
    )
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    header = next(csv.reader(io.StringIO(r.text)))
    assert header[:7] == ["Cuenta", "Denominación", "Moneda", "Saldo inicial", "Debe", "Haber",
                          "Saldo final"]  # fmt: skip
    walk.verified()


_JSON = {
    "saldo_vigente": "current",
    "saldo_refinanciado": "refinanced",
    "saldo_vencido": "overdue",
    "saldo_judicial": "judicial",
    "rendimientos_devengados": "accrued_interest",
    "provision_especifica": "provision_specific",
    "provision_generica": "provision_generic",
}


def test_the_layouts_page_lists_every_field_as_the_module_marks_it() -> None:
    page = (Path(__file__).resolve().parents[2] / "docs" / "rcd.md").read_text()
    for fields in (rcd.CONTROL, rcd.DEBTOR):
        for spec in fields:
            state = "confirmed" if spec.confirmed else "to confirm"
            assert f"`{spec.name}` |" in page and f"{state}: {spec.source} |" in page, spec.name
