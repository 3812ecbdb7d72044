from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import (
    ARRAY,
    BigInteger,
    CheckConstraint,
    Column,
    DateTime,
    ForeignKeyConstraint,
    Identity,
    Index,
    String,
    UniqueConstraint,
)
from sqlmodel import Field, SQLModel

from coopac_core.models_base import created_at_field, timestamp_field


class StaffUser(SQLModel, table=True):
    """A person who works with the system: cooperative staff, or federation staff
    (``cooperative_id`` empty)."""

    __tablename__ = "staff_user"
    __table_args__ = (
        Index("ix_staff_user_cooperative", "cooperative_id", "id", unique=True),
        CheckConstraint("username = lower(username)", name="username_lowercase"),
    )

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    cooperative_id: uuid.UUID | None = Field(default=None, foreign_key="cooperative.id")
    username: str = Field(max_length=64, unique=True)
    full_name: str = Field(max_length=200)
    # Empty until the user chooses it with their activation code: nobody else ever knows it.
    password_hash: str | None = Field(default=None, max_length=255)
    # The one-time code a new user activates their account with (its SHA-256: the code is
    # random, 60 bits, and expires), handed over by whoever created them.
    activation_code_hash: str | None = Field(default=None, max_length=64, unique=True)
    activation_expires_at: datetime | None = timestamp_field()
    # The person who created the user and so held their activation code: they never decide
    # a request about them (security.access).
    created_by_id: uuid.UUID | None = None
    is_active: bool = Field(default=True)
    # Bumped when a user is disabled or changes password: every token carrying an older
    # version stops working at once.
    token_version: int = Field(default=1)
    # Wrong passwords in a row; at the limit the account locks until locked_until.
    failed_logins: int = Field(default=0)
    locked_until: datetime | None = timestamp_field()
    # Set for a user an administrator created or sent to change their password: until they
    # choose their own, their session may do nothing but change it. The administrator
    # never knows the password the user works with.
    must_change_password: bool = Field(default=False)
    created_at: datetime = created_at_field()
    updated_at: datetime | None = timestamp_field()


class RoleGrant(SQLModel, table=True):
    __tablename__ = "role_grant"
    __table_args__ = (
        UniqueConstraint(
            "user_id",
            "cooperative_id",
            "role",
            name="uq_role_grant",
            postgresql_nulls_not_distinct=True,
        ),
        CheckConstraint(
            "(role IN ('federation_admin', 'federation_analyst')) = (cooperative_id IS NULL)",
            name="federation_roles_have_no_cooperative",
        ),
        CheckConstraint("role <> 'teller' OR branch_id IS NOT NULL", name="teller_has_branch"),
        Index("ix_role_grant_cooperative", "cooperative_id", "user_id"),
        ForeignKeyConstraint(
            ["cooperative_id", "branch_id"], ["branch.cooperative_id", "branch.id"]
        ),
    )

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    user_id: uuid.UUID = Field(foreign_key="staff_user.id", index=True)
    cooperative_id: uuid.UUID | None = Field(default=None, foreign_key="cooperative.id")
    branch_id: uuid.UUID | None = None
    role: str = Field(max_length=32)
    created_at: datetime = created_at_field()


class RefreshToken(SQLModel, table=True):
    """A refresh token handed out: used once, then replaced by the next of its family. A
    token presented twice was stolen or replayed: its whole family is revoked."""

    __tablename__ = "refresh_token"
    __table_args__ = (Index("ix_refresh_token_family", "family_id"),)

    jti: uuid.UUID = Field(primary_key=True)
    user_id: uuid.UUID = Field(foreign_key="staff_user.id")
    family_id: uuid.UUID
    expires_at: datetime = Field(sa_type=DateTime(timezone=True), nullable=False)
    used_at: datetime | None = timestamp_field()
    revoked_at: datetime | None = timestamp_field()
    created_at: datetime = created_at_field()


class LoginFailure(SQLModel, table=True):
    """A failed login, by the address it came from: too many from one address in a window
    and that address waits (whatever usernames it tries)."""

    __tablename__ = "login_failure"
    __table_args__ = (Index("ix_login_failure_address", "address", "occurred_at"),)

    id: int | None = Field(
        default=None, sa_column=Column(BigInteger, Identity(always=True), primary_key=True)
    )
    address: str = Field(max_length=64)
    username: str = Field(max_length=64)
    occurred_at: datetime = created_at_field()


class ApiKey(SQLModel, table=True):
    """A key for integration scripts: scoped to one cooperative and a set of roles.

    Only a SHA-256 of the secret is stored (the secret has 256 bits of entropy, so a slow
    password hash would add nothing); ``prefix`` finds the row without scanning.
    """

    __tablename__ = "api_key"
    __table_args__ = (
        ForeignKeyConstraint(
            ["cooperative_id", "branch_id"], ["branch.cooperative_id", "branch.id"]
        ),
    )

    cooperative_id: uuid.UUID = Field(foreign_key="cooperative.id", primary_key=True)
    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    name: str = Field(max_length=100)
    prefix: str = Field(max_length=16, unique=True)
    secret_hash: str = Field(max_length=64)
    roles: list[str] = Field(sa_column=Column(ARRAY(String(32)), nullable=False))
    branch_id: uuid.UUID | None = None
    created_by: uuid.UUID | None = Field(default=None, foreign_key="staff_user.id")
    # The person the key acts for: every four-eyes rule compares them, and the key dies
    # with their account (disabled, or roles withdrawn).
    owner_id: uuid.UUID | None = Field(default=None, foreign_key="staff_user.id")
    created_at: datetime = created_at_field()
    revoked_at: datetime | None = timestamp_field()
    last_used_at: datetime | None = timestamp_field()
    # what kind of work it may do (security.scopes), and until when
    scopes: list[str] = Field(
        default_factory=lambda: ["read"], sa_column=Column(ARRAY(String(16)), nullable=False)
    )
    expires_at: datetime | None = timestamp_field()
