"""The demo's people and figures: the cooperatives, their branches, staff, members,
reserves and loans, and the federation's users."""

from __future__ import annotations

from dataclasses import dataclass

from coopac_core.federation.schemas import BranchCreate, CooperativeCreate
from coopac_core.security.principal import Principal
from coopac_core.security.roles import Role

DEMO_PASSWORD = "demo-coopac-2026"  # noqa: S105 - documented demo password
# The demo acts as the federation's administrator: it may work at any branch.
CLI = Principal(name="cli:demo", federation_roles=frozenset({Role.federation_admin}))


@dataclass(frozen=True)
class DemoLogin:
    username: str
    roles: str
    cooperative: str


COOPERATIVES = [
    CooperativeCreate(
        code="COOPSUR",
        name="Cooperativa de Ahorro y Crédito Sur Andino",
        ruc="20131312955",
        sbs_level="2A",
    ),
    CooperativeCreate(
        code="COOPNORTE",
        name="Cooperativa de Ahorro y Crédito Norte Chico",
        ruc="20100070970",
        sbs_level="1",
    ),
    CooperativeCreate(
        code="COOPCENTRO",
        name="Cooperativa de Ahorro y Crédito Valle del Mantaro",
        ruc="20485612301",
        sbs_level="2B",
    ),
]
BRANCHES = {
    "COOPSUR": [
        BranchCreate(code="PUNO", name="Agencia Puno", ubigeo="210101", address="Jr. Lima 123"),
        BranchCreate(
            code="JULIACA",
            name="Agencia Juliaca",
            ubigeo="211101",
            address="Av. Circunvalación 456",
        ),
    ],
    "COOPNORTE": [
        BranchCreate(
            code="HUACHO", name="Agencia Huacho", ubigeo="150801", address="Av. 28 de Julio 789"
        ),
    ],
    "COOPCENTRO": [
        BranchCreate(
            code="HUANCAYO", name="Agencia Huancayo", ubigeo="120101", address="Jr. Ica 310"
        ),
    ],
}
# (username, roles, cooperative code, branch code)
USERS: list[tuple[str, list[Role], str, str | None]] = [
    ("sur.cajero", [Role.teller], "COOPSUR", "PUNO"),
    ("sur.cajero2", [Role.teller], "COOPSUR", "JULIACA"),
    ("sur.credito", [Role.credit_officer], "COOPSUR", "PUNO"),
    ("sur.comite", [Role.credit_committee], "COOPSUR", None),
    ("sur.gerente", [Role.manager], "COOPSUR", None),
    ("sur.contador", [Role.accountant], "COOPSUR", None),
    ("sur.auditor", [Role.auditor], "COOPSUR", None),
    ("sur.cumplimiento", [Role.compliance_officer], "COOPSUR", None),
    ("sur.admin", [Role.admin], "COOPSUR", None),
    ("norte.cajero", [Role.teller], "COOPNORTE", "HUACHO"),
    ("norte.gerente", [Role.manager], "COOPNORTE", None),
    ("norte.contador", [Role.accountant], "COOPNORTE", None),
    ("norte.admin", [Role.admin], "COOPNORTE", None),
    ("centro.cajero", [Role.teller], "COOPCENTRO", "HUANCAYO"),
    ("centro.gerente", [Role.manager], "COOPCENTRO", None),
    ("centro.contador", [Role.accountant], "COOPCENTRO", None),
    ("centro.admin", [Role.admin], "COOPCENTRO", None),
]
# (document, first names, last names, sex, occupation, shares paid, savings deposit)
MEMBERS = {
    "COOPSUR": [
        ("41234567", "Juana", "Mamani Quispe", "F", "Productora lechera", "100.00", "850.00"),
        ("42345678", "Eulogio", "Condori Apaza", "M", "Agricultor (papa y quinua)", "60.00",
         "320.50"),
        ("43456789", "Rosa", "Huanca Choque", "F", "Comerciante", "200.00", "1500.00"),
    ],
    "COOPNORTE": [
        ("44567890", "Marcelino", "Flores Ramos", "M", "Pescador artesanal", "50.00", "640.00"),
        ("45678901", "Teodora", "Salazar Vega", "F", "Bodeguera", "80.00", "2300.00"),
    ],
    "COOPCENTRO": [
        ("46789012", "Hilario", "Quispe Rojas", "M", "Productor de alcachofa", "300.00",
         "4200.00"),
        ("47890123", "Nelly", "Ccanto Poma", "F", "Tejedora", "150.00", "9800.00"),
        ("48901234", "Wilber", "Huamán Soto", "M", "Transportista", "100.00", "1250.00"),
    ],
}  # fmt: skip
# What each cooperative brought from its previous system: its reserves, held in the bank.
RESERVES = {"COOPSUR": "180000.00", "COOPNORTE": "45000.00", "COOPCENTRO": "260000.00"}
# (document, product, amount, term in months, pays on time): monthly loans paid out on the
# first day of the books; the late ones fall behind, into arrears and provisions.
LOANS = {
    "COOPSUR": [
        ("41234567", "MYPE", "3000.00", 12, True),
        ("42345678", "CONSUMO", "1500.00", 6, False),
        ("43456789", "MYPE", "5000.00", 12, True),
    ],
    "COOPNORTE": [
        ("44567890", "CONSUMO", "1200.00", 6, True),
        ("45678901", "MYPE", "2500.00", 10, False),
    ],
    "COOPCENTRO": [
        ("46789012", "MYPE", "8000.00", 12, True),
        ("47890123", "CONSUMO", "2000.00", 8, True),
        ("48901234", "MYPE", "3500.00", 12, False),
    ],
}
FEDERATION_USERS = [
    ("fed.admin", [Role.federation_admin]),
    ("fed.analista", [Role.federation_analyst]),
]
