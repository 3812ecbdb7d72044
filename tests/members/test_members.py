from __future__ import annotations

from fastapi.testclient import TestClient

from coopac_core.security.roles import Role
from tests.support.bank import Bank, new_dni
from tests.support.world import World


def test_open_member_opens_its_share_account(client: TestClient, bank: Bank) -> None:
    dni = new_dni()
    r = client.post(
        bank.url("/members"),
        json={
            "document_type": "DNI",
            "document_number": dni,
            "first_names": "Juana",
            "last_names": "Mamani Quispe",
            "birth_date": "1980-05-14",
            "sex": "F",
            "phone": "951234567",
            "address": "Comunidad Chucuito s/n",
            "ubigeo": "210104",
            "occupation": "Productora lechera",
        },
        headers=bank.teller,
    )
    assert r.status_code == 201, r.text
    m = r.json()
    assert m["status"] == "active"
    assert m["is_member"] is True
    assert len(m["member_number"]) == 8
    assert m["admitted_on"] is not None
    share = client.get(bank.url(f"/members/{m['id']}/share-account"), headers=bank.teller)
    assert share.status_code == 200
    assert share.json()["balance"] == "0.00"
    assert share.json()["currency"] == "PEN"
    # duplicate document in the same cooperative
    dup = client.post(
        bank.url("/members"),
        json={
            "document_type": "DNI",
            "document_number": dni,
            "first_names": "X",
            "last_names": "Y",
        },
        headers=bank.teller,
    )
    assert dup.status_code == 409
    assert dup.json()["code"] == "member_exists"


def test_member_numbers_are_unique_and_sequential(client: TestClient, bank: Bank) -> None:
    a = bank.member(client)
    b = bank.member(client)
    assert int(str(b["member_number"])) == int(str(a["member_number"])) + 1


def test_legal_person_and_document_validation(client: TestClient, bank: Bank) -> None:
    r = client.post(
        bank.url("/members"),
        json={
            "document_type": "RUC",
            "document_number": "20100130204",
            "legal_name": "Asociación de Productores Lecheros",
        },
        headers=bank.teller,
    )
    assert r.status_code == 201, r.text
    assert r.json()["legal_name"] == "Asociación de Productores Lecheros"
    for body in (
        {
            "document_type": "DNI",
            "document_number": "1234567",
            "first_names": "A",
            "last_names": "B",
        },
        {"document_type": "RUC", "document_number": "20100130205", "legal_name": "X"},
        {"document_type": "RUC", "document_number": "20100070970"},
        {"document_type": "DNI", "document_number": new_dni(), "first_names": "Solo"},
        {
            "document_type": "PASAPORTE",
            "document_number": "X1",
            "first_names": "A",
            "last_names": "B",
        },
    ):
        r = client.post(bank.url("/members"), json=body, headers=bank.teller)
        assert r.status_code == 422, (body, r.text)
        assert r.json()["code"] == "validation_error"


def test_foreign_resident_with_carne_de_extranjeria(client: TestClient, bank: Bank) -> None:
    r = client.post(
        bank.url("/members"),
        json={
            "document_type": "CE",
            "document_number": "001234567",
            "first_names": "Ana",
            "last_names": "Pérez",
        },
        headers=bank.teller,
    )
    assert r.status_code == 201, r.text


def test_non_member_client_has_no_share_account(client: TestClient, bank: Bank) -> None:
    m = bank.member(client, is_member=False)
    assert m["is_member"] is False
    r = client.get(bank.url(f"/members/{m['id']}/share-account"), headers=bank.teller)
    assert r.status_code == 404
    assert r.json()["code"] == "share_account_not_found"


def test_search_by_document_name_and_member_number(client: TestClient, bank: Bank) -> None:
    m = bank.member(client, first_names="Eulogio", last_names="Condori Apaza")
    h = bank.teller
    by_doc = client.get(
        bank.url("/members"), params={"document_number": m["document_number"]}, headers=h
    ).json()
    assert [x["id"] for x in by_doc["items"]] == [m["id"]]
    by_name = client.get(bank.url("/members"), params={"q": "condori apa"}, headers=h).json()
    assert m["id"] in [x["id"] for x in by_name["items"]]
    by_number = client.get(
        bank.url("/members"), params={"q": str(int(str(m["member_number"])))}, headers=h
    ).json()
    assert m["id"] in [x["id"] for x in by_number["items"]]
    # pages of one, in member-number order, with no repeats
    numbers: list[str] = []
    cursor = None
    for _ in range(5):
        params: dict[str, object] = {"limit": 1}
        if cursor:
            params["cursor"] = cursor
        page = client.get(bank.url("/members"), params=params, headers=h).json()
        numbers += [x["member_number"] for x in page["items"]]
        cursor = page["next_cursor"]
    assert numbers == sorted(set(numbers))


def test_status_transitions(client: TestClient, bank: Bank) -> None:
    m = bank.member(client)
    url = bank.url(f"/members/{m['id']}")
    r = client.patch(url, json={"status": "suspended"}, headers=bank.teller)
    assert r.status_code == 200
    assert r.json()["suspended_on"] is not None
    # a withdrawal has legal effect: not a teller's, and never without its document
    r = client.patch(url, json={"status": "withdrawn"}, headers=bank.teller)
    assert (r.status_code, r.json()["code"]) == (403, "forbidden")
    manager = bank.coop.headers[Role.manager]
    r = client.patch(url, json={"status": "withdrawn"}, headers=manager)
    assert (r.status_code, r.json()["code"]) == (422, "document_reference_required")
    assert client.get(url, headers=bank.teller).json()["status"] == "suspended"
    r = client.patch(
        url,
        json={"status": "withdrawn", "phone": "999888777", "document_reference": "Carta 12"},
        headers=manager,
    )
    assert r.status_code == 200
    assert r.json()["status_document"] == "Carta 12"
    assert r.json()["withdrawn_on"] is not None
    assert r.json()["phone"] == "999888777"
    r = client.patch(url, json={"status": "active"}, headers=bank.teller)
    assert r.status_code == 409
    assert r.json()["code"] == "invalid_status_transition"


def test_member_permissions_and_isolation(client: TestClient, bank: Bank, world: World) -> None:
    m = bank.member(client)
    body = {
        "document_type": "DNI",
        "document_number": new_dni(),
        "first_names": "A",
        "last_names": "B",
    }
    assert (
        client.post(
            bank.url("/members"), json=body, headers=world.a.headers[Role.auditor]
        ).status_code
        == 403
    )
    assert (
        client.get(
            bank.url(f"/members/{m['id']}"), headers=world.a.headers[Role.auditor]
        ).status_code
        == 200
    )
    # members are personal data: not for the federation's analysts
    assert client.get(bank.url("/members"), headers=world.fed_analyst).status_code == 403
    other = client.get(bank.url(f"/members/{m['id']}"), headers=world.b.headers[Role.admin])
    assert other.status_code == 404
    # same document in another cooperative is a different person record: allowed
    r = client.post(
        f"/api/v1/cooperatives/{world.b.id}/members",
        json={
            "document_type": "DNI",
            "document_number": m["document_number"],
            "first_names": "A",
            "last_names": "B",
        },
        headers=world.b.headers[Role.teller],
    )
    assert r.status_code == 201
