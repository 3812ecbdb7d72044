"""Who is calling, and what they may touch. Pure: no database, tested directly."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from coopac_core.errors import Forbidden, NotFound
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

    @property
    def is_federation_admin(self) -> bool:
        return Role.federation_admin in self.federation_roles

    @property
    def is_federation_user(self) -> bool:
        return bool(self.federation_roles)

    def roles_in(self, cooperative_id: uuid.UUID) -> frozenset[Role]:
        return self.cooperative_roles.get(cooperative_id, frozenset()) | self.federation_roles

    def require(self, cooperative_id: uuid.UUID, allowed: Iterable[Role]) -> frozenset[Role]:
        """Raise unless the caller holds one of ``allowed`` in the cooperative.

        A caller with no role at all in that cooperative gets 404, exactly as for a
        cooperative that does not exist: other tenants are not even confirmed to exist.
        """
        roles = self.roles_in(cooperative_id)
        if not roles:
            raise NotFound("Cooperativa no encontrada", code="cooperative_not_found")
        if Role.federation_admin in roles or roles & frozenset(allowed):
            return roles
        raise Forbidden("Su rol no permite esta operación", code="forbidden")

    def require_federation(self, allowed: Iterable[Role]) -> None:
        if not self.federation_roles & frozenset(allowed):
            raise Forbidden("Solo la federación puede realizar esta operación", code="forbidden")

    def visible_cooperatives(self) -> frozenset[uuid.UUID] | None:
        """The cooperatives this caller can see; None means all of them."""
        if self.federation_roles & FEDERATION_ROLES:
            return None
        return frozenset(self.cooperative_roles)
