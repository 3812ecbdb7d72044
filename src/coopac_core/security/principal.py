"""Who is calling, and what they may touch. Pure: no database, no HTTP, tested directly."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from coopac_core.errors import RoleNotAllowed
from coopac_core.federation.errors import CooperativeNotFound
from coopac_core.security.roles import FEDERATION_ROLES, Role


@dataclass(frozen=True)
class Principal:
    name: str
    full_name: str | None = None
    user_id: uuid.UUID | None = None
    api_key_id: uuid.UUID | None = None
    home_cooperative_id: uuid.UUID | None = None
    federation_roles: frozenset[Role] = frozenset()
    cooperative_roles: Mapping[uuid.UUID, frozenset[Role]] = field(default_factory=dict)
    # A teller's branch, per cooperative.
    branches: Mapping[uuid.UUID, uuid.UUID] = field(default_factory=dict)
    # For an API key: the user it acts for.
    owner_user_id: uuid.UUID | None = None
    # A session that may only change its password (see StaffUser.must_change_password).
    password_change_required: bool = False

    @property
    def person_id(self) -> uuid.UUID | None:
        """The person behind the action, whatever the credential: the user, or the owner
        of the API key. Every rule that needs two people compares this."""
        return self.user_id or self.owner_user_id

    @property
    def is_federation_admin(self) -> bool:
        return Role.federation_admin in self.federation_roles

    @property
    def is_federation_user(self) -> bool:
        return bool(self.federation_roles)

    def roles_in(self, cooperative_id: uuid.UUID) -> frozenset[Role]:
        return self.cooperative_roles.get(cooperative_id, frozenset()) | self.federation_roles

    def require(
        self,
        cooperative_id: uuid.UUID,
        allowed: Iterable[Role],
        *,
        federation_may_act: bool = True,
    ) -> frozenset[Role]:
        """Raise unless the caller holds one of ``allowed`` in the cooperative.

        A caller with no role at all in that cooperative gets 404, exactly as for a
        cooperative that does not exist: other tenants are not even confirmed to exist.
        The federation's administrator may act in any cooperative, except where
        ``federation_may_act`` is false: moving, approving or holding a member's money is
        the cooperative's own staff's, never the federation's.
        """
        roles = self.roles_in(cooperative_id)
        if not roles:
            raise CooperativeNotFound()
        if roles & frozenset(allowed):
            return roles
        if Role.federation_admin in roles:
            if federation_may_act:
                return roles
            raise RoleNotAllowed(federation=True)
        raise RoleNotAllowed()

    def require_federation(self, allowed: Iterable[Role]) -> None:
        if not self.federation_roles & frozenset(allowed):
            raise RoleNotAllowed("Solo la federación puede realizar esta operación")

    def visible_cooperatives(self) -> frozenset[uuid.UUID] | None:
        """The cooperatives this caller can see; None means all of them."""
        if self.federation_roles & FEDERATION_ROLES:
            return None
        return frozenset(self.cooperative_roles)


@dataclass(frozen=True)
class CoopContext:
    """An action inside one cooperative by a caller already authorized for it: the person
    (or key) behind it, the cooperative, and the roles that let them in."""

    cooperative_id: uuid.UUID
    principal: Principal
    roles: frozenset[Role]
