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
    # the oficial de cumplimiento: the UIF's reports and the screening lists, alone
    compliance_officer = "compliance_officer"
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
# A role that moves or approves money, an admin, a user enabled again: another admin or
# the manager decides (security.access says who, exactly).
DECIDE_USER_ACCESS = frozenset({Role.admin, Role.manager})
MANAGE_API_KEYS = frozenset({Role.admin})
# A key is its maker's own: whoever holds a role may make a key that acts for them with it.
# Nobody makes a key for someone else (an admin would then move money as a teller).
CREATE_API_KEYS = frozenset(COOPERATIVE_ROLES)
READ_AUDIT = frozenset({Role.admin, Role.auditor})

# Members hold personal data: no federation_analyst here.
STAFF = frozenset(COOPERATIVE_ROLES)
MANAGE_MEMBERS = frozenset({Role.teller, Role.credit_officer, Role.manager, Role.admin})
READ_MEMBERS = STAFF
# A withdrawal or a death has legal effect (shares are refunded, accounts close): the
# manager records it, with its document; a teller does not.
RECORD_LEGAL_STATUS = frozenset({Role.manager})
MANAGE_PRODUCTS = frozenset({Role.manager, Role.admin})
READ_PRODUCTS = STAFF
OPEN_ACCOUNTS = frozenset({Role.teller, Role.manager, Role.admin})
READ_ACCOUNTS = STAFF
# Cash at the counter: a teller only at their own branch (checked by the service). The
# admin administers users and settings and never moves money (segregation of duties).
MOVE_MONEY = frozenset({Role.teller, Role.manager})
# The counter: the manager (as the branch's supervisor) makes tills and sets their
# ceilings with the admin; holds the vault (its transfers, its banks); closes a session a
# teller left open. Who moves cash opens their own till. Auditors and accountants read it.
MANAGE_TILLS = frozenset({Role.manager, Role.admin})
SUPERVISE_TILLS = frozenset({Role.manager})
# A deceased or withdrawn member's savings are settled by the manager alone, on a document.
SETTLE_ACCOUNTS = frozenset({Role.manager})
READ_TILLS = frozenset({Role.teller, Role.manager, Role.admin, Role.accountant, Role.auditor})
# The rate board is the manager's (the branch's supervisor) to publish; the counter and the
# books read it.
PUBLISH_RATES = frozenset({Role.manager})
READ_RATES = READ_TILLS
# the SBS accounting rate of the day: what the books express dollars in
SET_ACCOUNTING_RATE = frozenset({Role.accountant, Role.manager})
MANAGE_ACCOUNTS = frozenset({Role.manager, Role.admin})
READ_LEDGER = frozenset({Role.accountant, Role.auditor, Role.manager, Role.admin})
MANAGE_CHART = frozenset({Role.accountant, Role.admin})
# A reversal: whoever booked an entry may undo it on its own business day (a teller's slip
# at their counter); anything else is a request that a second person decides.
REVERSE_ENTRIES = frozenset({Role.teller, Role.accountant, Role.manager})
APPROVE_REVERSALS = frozenset({Role.accountant, Role.manager})
READ_REVERSAL_REQUESTS = frozenset(REVERSE_ENTRIES | {Role.auditor})
# Balances by account carry no member's personal data.
READ_TRIAL_BALANCE = frozenset(READ_LEDGER | {Role.federation_analyst})
READ_ACCOUNTING_RATE = frozenset(READ_RATES | READ_LEDGER)
VERIFY_LEDGER = frozenset({Role.accountant, Role.auditor, Role.admin})
# Roles that may work at any branch; anyone else is held to the branch of their grant.
ANY_BRANCH = frozenset({Role.manager, Role.admin, Role.federation_admin})
# Credit: officers prepare and submit; the committee (or a manager, within limits) decides.
MANAGE_LOANS = frozenset({Role.credit_officer, Role.manager, Role.admin})
APPROVE_LOANS = frozenset({Role.credit_committee, Role.manager})
READ_LOANS = STAFF
DISBURSE_LOANS = frozenset({Role.teller, Role.manager})
# A write-off is asked for and approved by two people: the manager and the credit committee
# (or the board), in either order.
WRITE_OFF_LOANS = frozenset({Role.manager, Role.credit_committee})
# Portfolio quality by category is an aggregate: the federation compares it.
READ_PORTFOLIO = frozenset(
    {
        Role.credit_committee,
        Role.manager,
        Role.accountant,
        Role.auditor,
        Role.admin,
        Role.federation_analyst,
    }
)
CLOSE_BUSINESS_DAY = frozenset({Role.manager, Role.admin})
# An adjustment by hand (accruals, reclassifications before a month is closed) moves the
# cooperative's own money: the accountant asks, another accountant or the manager approves;
# a month once closed is the accountant's or the manager's decision.
POST_ADJUSTMENTS = frozenset({Role.accountant})
APPROVE_ADJUSTMENTS = frozenset({Role.accountant, Role.manager})
CLOSE_PERIODS = frozenset({Role.accountant, Role.manager})
# The year's close is the accountant's; the year's result is read like the statements.
CLOSE_FISCAL_YEARS = frozenset({Role.accountant})
# The assembly's agreement on the surplus is recorded by one of the books' people and
# approved by another.
DISTRIBUTE_SURPLUS = frozenset({Role.accountant, Role.manager})
READ_PERIODS = frozenset(
    {Role.accountant, Role.manager, Role.auditor, Role.admin, Role.federation_analyst}
)
# Statements and the classification annex are aggregates: the federation reads them too.
# The debtor report, deposit insurance and the cash register name members: only the
# cooperative's own (and the federation's administrator, who acts in every cooperative).
READ_REPORTS = frozenset({Role.accountant, Role.manager, Role.auditor, Role.federation_analyst})
READ_MEMBER_REPORTS = frozenset({Role.accountant, Role.manager, Role.auditor})
READ_FISCAL_YEARS = READ_REPORTS
READ_CLOSE_OF_BUSINESS = frozenset(CLOSE_BUSINESS_DAY | {Role.accountant, Role.auditor})
# Limits are risk policy: the admin sets them (and moves no money); who moves money and
# who audits it read them.
MANAGE_LIMITS = frozenset({Role.admin})
READ_LIMITS = frozenset({Role.admin, Role.manager, Role.teller, Role.auditor})
# Roles that move or approve money: a user who administers users and roles holds none.
# The compliance officer approves an operation a screening hit held.
MONEY_ROLES = frozenset(
    {Role.teller, Role.manager, Role.credit_committee, Role.accountant, Role.compliance_officer}
)
# A script may prepare and move money for its owner; it never approves, decides for a
# committee, or administers: those need a person at a screen.
API_KEY_FORBIDDEN_ROLES = frozenset(
    {Role.admin, Role.credit_committee, Role.manager, Role.compliance_officer} | FEDERATION_ROLES
)
# Events carry members' movements: the books' readers and the admin read the feed; the
# admin, who wires the cooperative to its other systems, keeps the webhook endpoints, and
# the auditor reads what was delivered.
READ_EVENTS = frozenset({Role.admin, Role.manager, Role.accountant, Role.auditor})
MANAGE_WEBHOOKS = frozenset({Role.admin})
READ_WEBHOOKS = frozenset({Role.admin, Role.auditor})
# Bringing a cooperative's past from its old system posts every opening balance: the books'
# people (the accountant, the manager), never the admin nor the federation.
IMPORT_DATA = frozenset({Role.accountant, Role.manager})
# the second person of an import (the manager's own when the cooperative already operates)
APPROVE_IMPORTS = frozenset({Role.accountant, Role.manager})
READ_IMPORTS = frozenset({Role.accountant, Role.manager, Role.auditor, Role.admin})

# The UIF's work (Ley 27693): any of the cooperative's staff reports an unusual operation;
# only the compliance officer reads the reports, decides them, keeps the screening lists
# and decides what a hit on them held. Nobody else, the auditor and the admin included.
REPORT_SUSPICIOUS = STAFF
COMPLIANCE = frozenset({Role.compliance_officer})
