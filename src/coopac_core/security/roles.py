"""Roles and what they may do. Data, not scattered literals: one place to read and change."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    teller = "teller"
    credit_officer = "credit_officer"
    credit_committee = "credit_committee"
    manager = "manager"
    accountant = "accountant"
    auditor = "auditor"
    admin = "admin"
    federation_admin = "federation_admin"
    federation_analyst = "federation_analyst"


FEDERATION_ROLES = frozenset({Role.federation_admin, Role.federation_analyst})
COOPERATIVE_ROLES = frozenset(set(Role) - FEDERATION_ROLES)
# A teller works at one branch; their grant names it.
BRANCH_ROLES = frozenset({Role.teller})

# Who may do what. A federation_admin may act in every cooperative; a federation_analyst
# reads aggregates only, never members' personal data, so it appears only where listed.
MANAGE_COOPERATIVE = frozenset({Role.admin})
READ_COOPERATIVE = frozenset(COOPERATIVE_ROLES | {Role.federation_analyst})
MANAGE_BRANCHES = frozenset({Role.admin})
READ_BRANCHES = READ_COOPERATIVE
MANAGE_USERS = frozenset({Role.admin})
READ_USERS = frozenset({Role.admin, Role.manager, Role.auditor})
MANAGE_API_KEYS = frozenset({Role.admin})
READ_AUDIT = frozenset({Role.admin, Role.auditor})
