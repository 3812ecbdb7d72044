"""A cooperative user's roles: which may be held together, which need a second person to
be given, and how a user is shown with them."""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from sqlmodel import Session, select

from coopac_core.federation.errors import BranchNotFound
from coopac_core.federation.models import Branch
from coopac_core.security.errors import AdminWithMoneyRole, BranchRequired, InvalidRole
from coopac_core.security.models import RoleGrant, StaffUser
from coopac_core.security.roles import BRANCH_ROLES, COOPERATIVE_ROLES, MONEY_ROLES, Role
from coopac_core.security.schemas import UserOut

# Roles that move or approve money, and the admin (who makes users): given only when a
# second person approves (security.access). The others (a credit officer prepares, an
# auditor reads) are given at once.
NEEDS_SECOND_PERSON = frozenset(MONEY_ROLES | {Role.admin})


def check_roles(
    session: Session,
    cooperative_id: uuid.UUID,
    roles: Iterable[Role],
    branch_id: uuid.UUID | None,
) -> None:
    roles = set(roles)
    if roles - COOPERATIVE_ROLES:
        bad = ", ".join(sorted(roles - COOPERATIVE_ROLES))
        raise InvalidRole(reason=f"Roles de federación no se otorgan en una cooperativa: {bad}")
    if Role.admin in roles and roles & MONEY_ROLES:
        raise AdminWithMoneyRole(roles=", ".join(sorted(roles & MONEY_ROLES)))
    if roles & BRANCH_ROLES and branch_id is None:
        raise BranchRequired()
    if branch_id is not None and session.get(Branch, (cooperative_id, branch_id)) is None:
        raise BranchNotFound()


def needs_second_person(
    held: Iterable[Role],
    held_branch: uuid.UUID | None,
    wanted: Iterable[Role],
    wanted_branch: uuid.UUID | None,
) -> bool:
    """Whether going from ``held`` to ``wanted`` gives a role that moves or approves money
    (or admin), or moves such a role to another branch (a teller's cash power). Taking
    roles away never does."""
    held, wanted = set(held), set(wanted)
    if (wanted - held) & NEEDS_SECOND_PERSON:
        return True
    return wanted_branch != held_branch and bool(wanted & NEEDS_SECOND_PERSON & BRANCH_ROLES)


def grants_of(session: Session, user_id: uuid.UUID) -> list[RoleGrant]:
    return list(session.exec(select(RoleGrant).where(RoleGrant.user_id == user_id)))


def branch_of(grants: Iterable[RoleGrant]) -> uuid.UUID | None:
    return next((g.branch_id for g in grants if g.branch_id is not None), None)


def replace_grants(
    session: Session,
    user: StaffUser,
    cooperative_id: uuid.UUID,
    roles: Iterable[Role],
    branch_id: uuid.UUID | None,
) -> list[RoleGrant]:
    for g in grants_of(session, user.id):
        session.delete(g)
    session.flush()
    grants = [
        RoleGrant(user_id=user.id, cooperative_id=cooperative_id, role=r, branch_id=branch_id)
        for r in sorted(set(roles))
    ]
    session.add_all(grants)
    return grants


def user_out(user: StaffUser, grants: Iterable[RoleGrant]) -> UserOut:
    grants = list(grants)
    return UserOut(
        id=user.id,
        cooperative_id=user.cooperative_id,
        username=user.username,
        full_name=user.full_name,
        roles=sorted(Role(g.role) for g in grants),
        branch_id=branch_of(grants),
        is_active=user.is_active,
        password_change_required=user.must_change_password,
        activation_expires_at=user.activation_expires_at,
        created_at=user.created_at,
    )
