from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, ClassVar

from pydantic import (
    AliasChoices,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    field_validator,
    model_validator,
)
from pydantic.config import JsonDict

from coopac_core.approvals import engine as approvals
from coopac_core.approvals.models import ApprovalRequest, ApprovalStatus
from coopac_core.security.passwords import MIN_PASSWORD_LENGTH
from coopac_core.security.roles import Role
from coopac_core.security.scopes import ApiKeyScope
from coopac_core.validation import invalid


def _normalize_username(value: object) -> object:
    return value.strip().lower() if isinstance(value, str) else value


Username = Annotated[
    str,
    BeforeValidator(_normalize_username),
    StringConstraints(min_length=3, max_length=64, pattern=r"^[a-z0-9._-]+$"),
]
Password = Annotated[str, Field(min_length=MIN_PASSWORD_LENGTH, max_length=256)]
FullName = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]


class LogoutRequest(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{"refresh_token": "eyJhbGciOi..."}]})

    refresh_token: Annotated[str, StringConstraints(min_length=1, max_length=4096)]


class PasswordChange(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {"current_password": "clave-de-hoy-2026", "new_password": "otra-clave-mas-larga"}
            ]
        }
    )

    current_password: Annotated[str, Field(min_length=1, max_length=256)]
    new_password: Password


class TokenResponse(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "access_token": "eyJhbGciOiJIUzI1NiJ9...",
                    "token_type": "bearer",
                    "expires_in": 900,
                    "refresh_token": "eyJhbGciOiJIUzI1NiJ9...",
                    "refresh_expires_in": 28800,
                    "password_change_required": False,
                }
            ]
        }
    )

    access_token: str
    token_type: str = "bearer"  # noqa: S105 - the OAuth2 token type, not a secret
    expires_in: int = Field(description="Seconds until the access token expires", examples=[900])
    refresh_token: str
    refresh_expires_in: int = Field(examples=[28800])
    password_change_required: bool = Field(
        default=False,
        description="True until the user chooses their own password (a user an administrator "
        "created or sent to change it): these tokens may only call POST /api/v1/auth/password "
        "and GET /api/v1/auth/me; anything else is 403 password_change_required",
    )


class RoleGrantOut(BaseModel):
    role: Role
    cooperative_id: uuid.UUID | None
    branch_id: uuid.UUID | None


class MeResponse(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "id": "3b4c5d6e-7f80-4192-a3b4-c5d6e7f8091a",
                    "api_key_id": None,
                    "username": "sur.cajero",
                    "full_name": "Rosa Quispe Mamani",
                    "cooperative_id": "4f9aae38-05d9-464d-be89-5551844626e1",
                    "roles": [
                        {
                            "role": "teller",
                            "cooperative_id": "4f9aae38-05d9-464d-be89-5551844626e1",
                            "branch_id": "6f1c9a55-9a8e-4d59-9a7c-2b1e0f3f8d11",
                        }
                    ],
                }
            ]
        }
    )

    id: uuid.UUID | None = Field(description="The user's id; empty for an API key")
    api_key_id: uuid.UUID | None = None
    username: str = Field(examples=["cajero.puno"])
    full_name: str | None = None
    cooperative_id: uuid.UUID | None
    roles: list[RoleGrantOut]
    password_change_required: bool = False


def _no_password(data: object) -> object:
    # An administrator never sets (nor learns) the password a user works with: a new user
    # chooses it with their activation code; one who must change it is sent to (POST
    # .../users/{id}/force-password-change).
    if isinstance(data, dict) and "password" in data:
        raise invalid("password_not_settable")
    return data


class UserCreate(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "username": "cajero.puno",
                    "full_name": "Rosa Quispe Mamani",
                    "roles": ["teller"],
                    "branch_id": "6f1c9a55-9a8e-4d59-9a7c-2b1e0f3f8d11",
                }
            ]
        }
    )

    username: Username
    full_name: FullName
    roles: list[Role] = Field(min_length=1, max_length=len(Role))
    branch_id: uuid.UUID | None = None

    @field_validator("roles")
    @classmethod
    def _distinct(cls, roles: list[Role]) -> list[Role]:
        return sorted(set(roles))

    @model_validator(mode="before")
    @classmethod
    def _no_password(cls, data: object) -> object:
        return _no_password(data)


class UserUpdate(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{"is_active": False}]})

    full_name: FullName | None = None
    roles: list[Role] | None = Field(default=None, min_length=1, max_length=len(Role))
    branch_id: uuid.UUID | None = None
    is_active: bool | None = None

    @model_validator(mode="before")
    @classmethod
    def _no_password(cls, data: object) -> object:
        return _no_password(data)


class UserOut(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "id": "3b4c5d6e-7f80-4192-a3b4-c5d6e7f8091a",
                    "cooperative_id": "4f9aae38-05d9-464d-be89-5551844626e1",
                    "username": "sur.cajero",
                    "full_name": "Rosa Quispe Mamani",
                    "roles": ["teller"],
                    "branch_id": "6f1c9a55-9a8e-4d59-9a7c-2b1e0f3f8d11",
                    "is_active": True,
                    "created_at": "2026-11-23T14:05:31.412-05:00",
                }
            ]
        }
    )

    id: uuid.UUID
    cooperative_id: uuid.UUID | None
    username: str
    full_name: str
    roles: list[Role]
    branch_id: uuid.UUID | None
    is_active: bool
    password_change_required: bool = Field(
        default=False, description="The user must choose their own password at next login"
    )
    activation_expires_at: datetime | None = Field(
        default=None,
        description="Until when the user's activation code works; empty once they chose "
        "their password (POST /api/v1/auth/activate)",
    )
    created_at: datetime


class UserAccessRequestOut(BaseModel):
    """Roles that move or approve money, an admin, or a reactivation: asked by one
    person, decided by another (the cooperative's other admin or its manager)."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "id": "5d4c3b2a-1f0e-4d9c-8b7a-6f5e4d3c2b1a",
                    "user_id": "3b4c5d6e-7f80-4192-a3b4-c5d6e7f8091a",
                    "username": "cajero.puno",
                    "roles": ["teller"],
                    "branch_id": "6f1c9a55-9a8e-4d59-9a7c-2b1e0f3f8d11",
                    "reactivate": False,
                    "status": "pending",
                    "requested_by": "sur.admin",
                    "requested_at": "2026-11-23T08:05:00Z",
                    "expires_at": "2026-11-26T08:05:00Z",
                    "decided_by": None,
                    "decided_at": None,
                    "decision_note": None,
                }
            ]
        }
    )

    id: uuid.UUID
    user_id: uuid.UUID
    username: str
    roles: list[Role] = Field(description="The user's roles once approved (all of them)")
    branch_id: uuid.UUID | None
    reactivate: bool = Field(description="Approving it also enables the disabled user")
    status: ApprovalStatus
    requested_by: str
    requested_at: datetime
    expires_at: datetime | None
    decided_by: str | None
    decided_at: datetime | None
    decision_note: str | None

    @classmethod
    def of(cls, row: ApprovalRequest) -> UserAccessRequestOut:
        p = row.payload
        assert row.subject_id is not None
        return cls(
            id=row.id,
            user_id=row.subject_id,
            username=p["username"],
            roles=[Role(r) for r in p["roles"]],
            branch_id=uuid.UUID(p["branch_id"]) if p.get("branch_id") else None,
            reactivate=bool(p.get("reactivate")),
            **approvals.decision_fields(row),
        )


class UserCreated(UserOut):
    # left out of what an Idempotency-Key keeps for a replay (idempotency.transaction)
    shown_once: ClassVar[tuple[str, ...]] = ("activation_code",)

    activation_code: str | None = Field(
        description="The one-time code the user chooses their password with at POST "
        "/api/v1/auth/activate, within 72 hours: shown in this answer only (a retry with the "
        "same Idempotency-Key leaves it out), to be handed to the user",
        examples=["K7QM-2XPD-9RTW"],
    )
    access_request: UserAccessRequestOut | None = Field(
        default=None,
        description="The roles that move or approve money (or admin) waiting for a second "
        "person; the user holds the others already",
    )


class ActivationRequest(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "username": "cajero.puno",
                    "activation_code": "K7QM-2XPD-9RTW",
                    "new_password": "mi-clave-de-la-agencia",
                }
            ]
        }
    )

    username: Username | None = Field(
        default=None, description="Optional: when given, it must be the code's user"
    )
    activation_code: Annotated[str, StringConstraints(min_length=1, max_length=64)] = Field(
        validation_alias=AliasChoices("activation_code", "code")
    )
    new_password: Password = Field(validation_alias=AliasChoices("new_password", "password"))


class FederationUserCreate(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "username": "fed.analista",
                    "full_name": "Analista de la federación",
                    "roles": ["federation_analyst"],
                }
            ]
        }
    )

    username: Username
    full_name: FullName
    roles: list[Role] = Field(min_length=1, max_length=2, examples=[["federation_analyst"]])

    @model_validator(mode="before")
    @classmethod
    def _no_password(cls, data: object) -> object:
        return _no_password(data)


class ApiKeyCreate(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "name": "export-nocturno",
                    "roles": ["accountant"],
                    "scopes": ["reports"],
                    "expires_at": "2027-06-30T23:59:00-05:00",
                }
            ]
        }
    )

    name: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]
    roles: list[Role] = Field(
        min_length=1,
        description="At most the caller's own roles (the key acts for them); never admin, "
        "manager or credit_committee",
    )
    branch_id: uuid.UUID | None = None
    scopes: list[ApiKeyScope] = Field(
        default_factory=lambda: [ApiKeyScope.read],
        min_length=1,
        description="What kind of work the key may do: read, counter, reports, imports, admin",
    )
    expires_at: datetime | None = Field(
        default=None, description="When it stops working (at most a year ahead)"
    )


_API_KEY_EXAMPLE: JsonDict = {
    "id": "3b4c5d6e-7f80-4192-a3b4-c5d6e7f8091a",
    "cooperative_id": "4f9aae38-05d9-464d-be89-5551844626e1",
    "name": "export-nocturno",
    "prefix": "a1b2c3d4e5f6",
    "roles": ["accountant"],
    "branch_id": None,
    "owner_id": "3b4c5d6e-7f80-4192-a3b4-c5d6e7f8091a",
    "created_at": "2026-11-23T14:05:31.412-05:00",
    "revoked_at": None,
    "scopes": ["reports"],
    "expires_at": "2027-06-30T23:59:00-05:00",
    "last_used_at": "2026-11-23T14:05:31.412-05:00",
}


class ApiKeyOut(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [_API_KEY_EXAMPLE]})

    id: uuid.UUID
    cooperative_id: uuid.UUID
    name: str
    prefix: str
    roles: list[Role]
    branch_id: uuid.UUID | None
    owner_id: uuid.UUID | None
    created_at: datetime
    revoked_at: datetime | None
    last_used_at: datetime | None = Field(description="To within five minutes")
    scopes: list[ApiKeyScope]
    expires_at: datetime | None


class ApiKeyCreated(ApiKeyOut):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [{**_API_KEY_EXAMPLE, "key": "coopac_a1b2c3d4e5f6_Zx9...shown-once"}]
        }
    )

    key: str = Field(description="The full key. It is shown only this once; store it safely.")
