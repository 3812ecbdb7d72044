from __future__ import annotations

import uuid
from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import CheckConstraint, ForeignKeyConstraint, Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from coopac_core.models_base import created_at_field, timestamp_field


class DocumentType(StrEnum):
    DNI = "DNI"
    CE = "CE"  # carné de extranjería
    RUC = "RUC"  # a legal person


class MemberStatus(StrEnum):
    applicant = "applicant"
    active = "active"
    suspended = "suspended"
    withdrawn = "withdrawn"
    deceased = "deceased"


class Sex(StrEnum):
    F = "F"
    M = "M"


class Member(SQLModel, table=True):
    __tablename__ = "member"
    __table_args__ = (
        UniqueConstraint("cooperative_id", "member_number", name="uq_member_number"),
        UniqueConstraint(
            "cooperative_id", "document_type", "document_number", name="uq_member_document"
        ),
        CheckConstraint("document_type IN ('DNI', 'CE', 'RUC')", name="document_type_valid"),
        CheckConstraint(
            "status IN ('applicant', 'active', 'suspended', 'withdrawn', 'deceased')",
            name="status_valid",
        ),
        CheckConstraint(
            "(document_type = 'RUC') = (legal_name IS NOT NULL)", name="legal_person_named"
        ),
        Index("ix_member_names", "cooperative_id", "last_names", "first_names"),
        ForeignKeyConstraint(
            ["cooperative_id", "branch_id"], ["branch.cooperative_id", "branch.id"]
        ),
    )

    cooperative_id: uuid.UUID = Field(foreign_key="cooperative.id", primary_key=True)
    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    member_number: str = Field(max_length=20)
    # The member's branch (agencia de afiliación): where their accounts are served without
    # them being present (a teller elsewhere moves no money out of them by transfer).
    # Empty for members registered before branches were recorded: any branch serves them.
    branch_id: uuid.UUID | None = None
    # False for a client who is not a member: a saver, or a borrower backed by a member.
    is_member: bool = Field(default=True)
    document_type: str = Field(max_length=3)
    document_number: str = Field(max_length=15)
    first_names: str | None = Field(default=None, max_length=100)
    last_names: str | None = Field(default=None, max_length=100)
    legal_name: str | None = Field(default=None, max_length=200)
    birth_date: date | None = None
    sex: str | None = Field(default=None, max_length=1)
    phone: str | None = Field(default=None, max_length=30)
    email: str | None = Field(default=None, max_length=200)
    address: str | None = Field(default=None, max_length=300)
    ubigeo: str | None = Field(default=None, max_length=6)
    occupation: str | None = Field(default=None, max_length=100)
    # a director, officer or employee of the cooperative, or their relative: the loans of all
    # of them together are held to the related-parties limit (prudential)
    related_party: bool = Field(default=False, sa_column_kwargs={"server_default": "false"})
    status: str = Field(default="applicant", max_length=12)
    applied_on: date
    admitted_on: date | None = None
    suspended_on: date | None = None
    withdrawn_on: date | None = None
    deceased_on: date | None = None
    # The document behind a change with legal effect (a resignation letter, a death
    # certificate): the last one recorded.
    status_document: str | None = Field(default=None, max_length=100)
    created_at: datetime = created_at_field()
    updated_at: datetime | None = timestamp_field()
