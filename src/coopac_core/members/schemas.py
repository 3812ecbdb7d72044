from __future__ import annotations

import re
import uuid
from datetime import date, datetime
from typing import Annotated, Literal, Self

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    model_validator,
)

from coopac_core.federation.identifiers import Reason, ruc_problem
from coopac_core.federation.schemas import valid_ubigeo
from coopac_core.members.models import DocumentType, MemberStatus, Sex
from coopac_core.validation import invalid

Text100 = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]
Text300 = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300)]

_DNI = re.compile(r"^\d{8}$")
_CE = re.compile(r"^[A-Z0-9]{8,12}$")


def document_problem(kind: DocumentType, number: str) -> Reason | None:
    if kind is DocumentType.DNI and not _DNI.match(number):
        return "El DNI debe tener 8 dígitos", "A DNI has 8 digits"
    if kind is DocumentType.CE and not _CE.match(number):
        return (
            "El carné de extranjería debe tener de 8 a 12 caracteres alfanuméricos",
            "A CE (carné de extranjería) has 8 to 12 letters or digits",
        )
    if kind is DocumentType.RUC:
        return ruc_problem(number)
    return None


Ubigeo = Annotated[str, AfterValidator(valid_ubigeo)]


RELATED_PARTY = (
    "A director, officer or employee of the cooperative, or their relative: their loans "
    "together are held to the related-parties limit"
)


class MemberCreate(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "document_type": "DNI",
                    "document_number": "41234567",
                    "first_names": "Juana",
                    "last_names": "Mamani Quispe",
                    "birth_date": "1980-05-14",
                    "sex": "F",
                    "phone": "951234567",
                    "address": "Comunidad Chucuito s/n",
                    "ubigeo": "210104",
                    "occupation": "Productora lechera",
                }
            ]
        }
    )

    document_type: DocumentType
    document_number: Annotated[
        str, StringConstraints(strip_whitespace=True, to_upper=True, max_length=15)
    ]
    first_names: Text100 | None = None
    last_names: Text100 | None = None
    legal_name: (
        Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
        | None
    ) = None
    birth_date: date | None = None
    sex: Sex | None = None
    phone: Annotated[str, StringConstraints(strip_whitespace=True, max_length=30)] | None = None
    email: Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)] | None = None
    address: Text300 | None = None
    ubigeo: Ubigeo | None = None
    occupation: Text100 | None = None
    is_member: bool = Field(default=True, description="False for a client who is not a member")
    related_party: bool = Field(default=False, description=RELATED_PARTY)
    status: Literal[MemberStatus.applicant, MemberStatus.active] = MemberStatus.active
    branch_id: uuid.UUID | None = Field(
        default=None,
        description="The member's branch (agencia de afiliación); by default the registering "
        "teller's branch",
    )

    @model_validator(mode="after")
    def _person(self) -> Self:
        if (problem := document_problem(self.document_type, self.document_number)) is not None:
            raise invalid("document_number", reason_es=problem[0], reason_en=problem[1])
        if self.document_type is DocumentType.RUC:
            if not self.legal_name:
                raise invalid("legal_name_required")
        elif not (self.first_names and self.last_names):
            raise invalid("names_required")
        elif self.legal_name:
            raise invalid("legal_name_only_ruc")
        if self.birth_date and self.birth_date.year < 1900:
            raise invalid("birth_date")
        return self


class MemberUpdate(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {"phone": "951000111"},
                {"status": "deceased", "document_reference": "Acta de defunción 2026-004512"},
            ]
        }
    )

    first_names: Text100 | None = None
    last_names: Text100 | None = None
    legal_name: (
        Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
        | None
    ) = None
    birth_date: date | None = None
    sex: Sex | None = None
    phone: Annotated[str, StringConstraints(strip_whitespace=True, max_length=30)] | None = None
    email: Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)] | None = None
    address: Text300 | None = None
    ubigeo: Ubigeo | None = None
    occupation: Text100 | None = None
    branch_id: uuid.UUID | None = Field(
        default=None, description="Move the member to another branch (manager or admin)"
    )
    related_party: bool | None = Field(
        default=None, description=RELATED_PARTY + " (manager or admin)"
    )
    status: MemberStatus | None = None
    document_reference: Text100 | None = Field(
        default=None,
        description="Required to record a withdrawal or a death: the letter or certificate",
    )


class MemberOut(BaseModel):
    model_config = ConfigDict(
        from_attributes=True,
        json_schema_extra={
            "examples": [
                {
                    "id": "0b7d3a3e-1c59-4b9e-8c1d-2f0a5c7e9b10",
                    "cooperative_id": "4f9aae38-05d9-464d-be89-5551844626e1",
                    "member_number": "00000042",
                    "is_member": True,
                    "document_type": "DNI",
                    "document_number": "41234567",
                    "first_names": "Juana",
                    "last_names": "Mamani Quispe",
                    "legal_name": None,
                    "birth_date": "1980-05-14",
                    "sex": "F",
                    "phone": "951234567",
                    "email": None,
                    "address": "Comunidad Chucuito s/n",
                    "ubigeo": "210104",
                    "occupation": "Productora lechera",
                    "status": "active",
                    "applied_on": "2026-11-23",
                    "admitted_on": "2026-11-23",
                    "suspended_on": None,
                    "withdrawn_on": None,
                    "deceased_on": None,
                    "created_at": "2026-11-23T14:05:31.412-05:00",
                }
            ]
        },
    )

    id: uuid.UUID
    cooperative_id: uuid.UUID
    member_number: str
    is_member: bool
    document_type: DocumentType
    document_number: str
    first_names: str | None
    last_names: str | None
    legal_name: str | None
    birth_date: date | None
    sex: Sex | None
    phone: str | None
    email: str | None
    address: str | None
    ubigeo: str | None
    occupation: str | None
    status: MemberStatus
    applied_on: date
    admitted_on: date | None
    suspended_on: date | None
    withdrawn_on: date | None
    deceased_on: date | None
    status_document: str | None = None
    branch_id: uuid.UUID | None = None
    related_party: bool = False
    created_at: datetime
