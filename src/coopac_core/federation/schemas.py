from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
)

from coopac_core.federation.identifiers import ruc_problem, ubigeo_problem
from coopac_core.federation.models import SbsLevel
from coopac_core.money import Currency
from coopac_core.validation import invalid


def _valid_ruc(value: str) -> str:
    if (problem := ruc_problem(value)) is not None:
        raise invalid("ruc", reason_es=problem[0], reason_en=problem[1])
    return value


def valid_ubigeo(value: str) -> str:
    if (problem := ubigeo_problem(value)) is not None:
        raise invalid("ubigeo", reason_es=problem[0], reason_en=problem[1])
    return value


Ruc = Annotated[str, StringConstraints(strip_whitespace=True), AfterValidator(_valid_ruc)]
Ubigeo = Annotated[str, StringConstraints(strip_whitespace=True), AfterValidator(valid_ubigeo)]


def _normalize_code(value: object) -> object:
    return value.strip().upper() if isinstance(value, str) else value


Code = Annotated[
    str,
    BeforeValidator(_normalize_code),
    StringConstraints(min_length=1, max_length=20, pattern=r"^[A-Z0-9_-]+$"),
]
Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]


class CooperativeCreate(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "code": "COOPSUR",
                    "name": "Cooperativa de Ahorro y Crédito Sur Andino",
                    "ruc": "20131312955",
                    "sbs_level": "2A",
                }
            ]
        }
    )

    code: Code
    name: Name
    ruc: Ruc
    sbs_level: SbsLevel
    business_date: date | None = Field(
        default=None,
        ge=date(2000, 1, 1),
        description="Where its books start: today in the cooperative's time zone by "
        "default, or a past date for a cooperative taking over from its previous system "
        "(close of business then catches up day by day). Never in the future.",
    )
    operates_with_non_members: bool = Field(
        default=False,
        description="A COOPAC operates only with its members (Ley 30822); true for a "
        "UNICA-style group that lends to non-members backed by a member guarantor",
    )


class CooperativeUpdate(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{"sbs_level": "2B"}]})

    name: Name | None = None
    ruc: Ruc | None = None
    sbs_level: SbsLevel | None = None
    is_active: bool | None = None
    operates_with_non_members: bool | None = None
    exchange_rate: Decimal | None = Field(
        default=None,
        gt=0,
        max_digits=10,
        decimal_places=4,
        description="Soles per dollar for the cooperative's reports (federation figures, "
        "the large cash operations register)",
    )


class CooperativeOut(BaseModel):
    model_config = ConfigDict(
        from_attributes=True,
        json_schema_extra={
            "examples": [
                {
                    "id": "4f9aae38-05d9-464d-be89-5551844626e1",
                    "code": "COOPSUR",
                    "name": "Cooperativa de Ahorro y Crédito Sur Andino",
                    "ruc": "20131312955",
                    "sbs_level": "2A",
                    "base_currency": "PEN",
                    "timezone": "America/Lima",
                    "business_date": "2026-11-23",
                    "is_active": True,
                    "operates_with_non_members": False,
                    "exchange_rate": "3.7500",
                    "created_at": "2026-11-23T14:05:31.412-05:00",
                }
            ]
        },
    )

    id: uuid.UUID
    code: str
    name: str
    ruc: str
    sbs_level: SbsLevel
    base_currency: Currency
    timezone: str
    business_date: date
    is_active: bool
    operates_with_non_members: bool
    exchange_rate: Decimal
    created_at: datetime


class BranchCreate(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "code": "PUNO",
                    "name": "Agencia Puno",
                    "ubigeo": "210101",
                    "address": "Jr. Lima 123, Puno",
                }
            ]
        }
    )

    code: Code
    name: Name
    ubigeo: Ubigeo
    address: Annotated[str, StringConstraints(strip_whitespace=True, max_length=300)] | None = None


class BranchOut(BaseModel):
    model_config = ConfigDict(
        from_attributes=True,
        json_schema_extra={
            "examples": [
                {
                    "id": "6f1c9a55-9a8e-4d59-9a7c-2b1e0f3f8d11",
                    "cooperative_id": "4f9aae38-05d9-464d-be89-5551844626e1",
                    "code": "PUNO",
                    "name": "Agencia Puno",
                    "ubigeo": "210101",
                    "address": "Jr. Lima 123, Puno",
                    "is_active": True,
                    "created_at": "2026-11-23T14:05:31.412-05:00",
                }
            ]
        },
    )

    id: uuid.UUID
    cooperative_id: uuid.UUID
    code: str
    name: str
    ubigeo: str
    address: str | None
    is_active: bool
    created_at: datetime
