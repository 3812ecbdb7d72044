from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Self

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    field_validator,
    model_validator,
)
from pydantic.config import JsonDict

from coopac_core.security.passwords import MIN_PASSWORD_LENGTH, password_problem
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


class UserCreate(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "username": "cajero.puno",
                    "password": "cambiar-esta-clave",
                    "full_name": "Rosa Quispe Mamani",
                    "roles": ["teller"],
                    "branch_id": "6f1c9a55-9a8e-4d59-9a7c-2b1e0f3f8d11",
                }
            ]
        }
    )

    username: Username
    password: Password
    full_name: FullName
    roles: list[Role] = Field(min_length=1, max_length=len(Role))
    branch_id: uuid.UUID | None = None

    @field_validator("roles")
    @classmethod
    def _distinct(cls, roles: list[Role]) -> list[Role]:
        return sorted(set(roles))

    @model_validator(mode="after")
    def _strong_password(self) -> Self:
        if (problem := password_problem(self.password, self.username)) is not None:
            raise invalid("password", reason_es=problem[0], reason_en=problem[1])
        return self


class UserUpdate(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{"is_active": False}]})

    full_name: FullName | None = None
    roles: list[Role] | None = Field(default=None, min_length=1, max_length=len(Role))
    branch_id: uuid.UUID | None = None
    is_active: bool | None = None

    @model_validator(mode="before")
    @classmethod
    def _no_password(cls, data: object) -> object:
        # An administrator never sets (nor learns) the password a user works with: they
        # send the user to choose a new one (POST .../users/{id}/force-password-change).
        if isinstance(data, dict) and "password" in data:
            raise invalid("password_not_settable")
        return data


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
    created_at: datetime


class FederationUserCreate(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "username": "fed.analista",
                    "password": "cambiar-esta-clave",
                    "full_name": "Analista de la federación",
                    "roles": ["federation_analyst"],
                }
            ]
        }
    )

    username: Username
    password: Password
    full_name: FullName
    roles: list[Role] = Field(min_length=1, max_length=2, examples=[["federation_analyst"]])

    @model_validator(mode="after")
    def _strong_password(self) -> Self:
        if (problem := password_problem(self.password, self.username)) is not None:
            raise invalid("password", reason_es=problem[0], reason_en=problem[1])
        return self


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
