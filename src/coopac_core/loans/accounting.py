"""Where a loan's money sits in the books (SBS chart, ``ledger.chart``), and the lines an
operation adds so that the books follow the loan: principal split between vigentes (14x1),
vencidos (14x5) and judicial (14x6); interest recognised as it accrues (14x8 against 51x4)
or, while the loan is suspended, carried in memorandum accounts until collected."""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from sqlmodel import Session

from coopac_core.ledger import service as ledger
from coopac_core.ledger.models import AccountPart
from coopac_core.loans.classification import Category
from coopac_core.loans.models import AccountingStatus, Loan
from coopac_core.money import round_cents

ZERO = Decimal("0.00")

# GL accounts a loan's money moves through, by chart template ({c}: currency digit).
LOAN_CURRENT_GL = "14{c}1"
LOAN_REFINANCED_GL = "14{c}4"
LOAN_OVERDUE_GL = "14{c}5"
LOAN_JUDICIAL_GL = "14{c}6"
ACCRUED_INTEREST_GL = "14{c}8"
PROVISION_SPECIFIC_GL = "14{c}9.01"
PROVISION_GENERIC_GL = "14{c}9.02"
PROVISION_EXPENSE_GL = "43{c}2"
INTEREST_INCOME_GL = "51{c}4"
MORATORY_INCOME_GL = "51{c}4.02"
FEE_INCOME_GL = "51{c}4.03"
RECOVERY_INCOME_GL = "56{c}4"
INSURANCE_PAYABLE_GL = "25{c}1"  # desgravamen collected for the insurer
DEFERRED_INCOME_GL = "29{c}1.02"  # a refinanced loan's capitalised interest and charges
WRITTEN_OFF_GL = "81{c}3"
WRITTEN_OFF_CONTRA_GL = "83{c}3"
SUSPENDED_GL = "81{c}4"
SUSPENDED_CONTRA_GL = "83{c}4"

# A debtor in these categories has its interest suspended, whatever the loan's own state.
SUSPENDING_CATEGORIES = frozenset({Category.dudoso, Category.perdida})


def is_suspended(loan: Loan) -> bool:
    """Overdue or judicial loans, refinanced loans, and loans of debtors in Dudoso or
    Pérdida do not accrue to income: their interest is carried in suspense until
    collected (DOMAIN.md)."""
    return (
        loan.accounting_status != AccountingStatus.current
        or loan.refinanced_from_id is not None
        or loan.debtor_category in SUSPENDING_CATEGORIES
    )


def deferred_interest(loan: Loan, balance: Decimal) -> Decimal:
    """What a refinanced loan's capitalised interest and charges still hold in deferred
    income (29x1.02) while ``balance`` of its principal is owed: the part of them in that
    balance, as the principal is collected in proportion (DOMAIN.md: recognised when
    collected). Rounded half-up; nothing once the balance is gone."""
    if not loan.capitalised_interest or not balance:
        return ZERO
    return round_cents(loan.capitalised_interest * balance / loan.amount)


def current_balance(loan: Loan) -> Decimal:
    """The part of the principal in vigentes (14x1)."""
    return loan.balance - loan.overdue_balance - loan.judicial_balance


# The account each of a loan's kept balances is on (ledger.models.AccountPart), and its
# column: coopac_post_statement moves the column with the lines that name the loan with
# the part, and refuses one on another account.
PART_ACCOUNTS: dict[AccountPart, tuple[str, str]] = {
    AccountPart.loan_interest: (SUSPENDED_GL, "suspended_interest"),
    AccountPart.loan_moratory: (SUSPENDED_GL, "suspended_moratory"),
    AccountPart.loan_specific: (PROVISION_SPECIFIC_GL, "provision_specific"),
    AccountPart.loan_generic: (PROVISION_GENERIC_GL, "provision_generic"),
    AccountPart.loan_written_off: (WRITTEN_OFF_GL, "written_off_balance"),
}
# the allowance is a contra-asset: a credit raises it
CREDIT_PARTS = frozenset({AccountPart.loan_specific, AccountPart.loan_generic})


def part_line(part: AccountPart, change: Decimal) -> Decimal:
    """The amount a line on the part's account posts to change it by ``change``."""
    return -change if part in CREDIT_PARTS else change


@dataclass
class Lines:
    """An operation's lines on GL-only accounts, by template, summed: each account gets one
    line whatever number of movements made it. The loan's kept balances (suspense,
    provisions, written off) change by lines of their own that name it
    (``change``); what they will hold once posted is ``held``."""

    loan: Loan
    amounts: dict[str, Decimal] = field(default_factory=lambda: defaultdict(Decimal))
    parts: dict[AccountPart, Decimal] = field(default_factory=lambda: defaultdict(Decimal))

    def add(self, template: str, amount: Decimal) -> None:
        self.amounts[template] += amount

    def move(self, debit: str, credit: str, amount: Decimal) -> None:
        if amount:
            self.add(debit, amount)
            self.add(credit, -amount)

    def change(self, part: AccountPart, by: Decimal) -> None:
        """The loan's ``part`` changes by ``by``: a line on its account, naming the loan.
        The other side is the caller's."""
        self.parts[part] += part_line(part, by)

    def held(self, part: AccountPart) -> Decimal:
        """What the loan's ``part`` holds once these lines post."""
        kept: Decimal = getattr(self.loan, PART_ACCOUNTS[part][1])
        return kept + part_line(part, self.parts[part])

    def legs(self, session: Session) -> list[ledger.Leg]:
        """One line per account with an amount, and one per part changed; the accounts read
        in one query."""
        used = sorted(t for t, amount in self.amounts.items() if amount)
        parts = sorted(p for p, amount in self.parts.items() if amount)
        accounts = ledger.gl_accounts_for(
            session,
            self.loan.cooperative_id,
            sorted(set(used) | {PART_ACCOUNTS[p][0] for p in parts}),
            self.loan.currency,
        )
        return [ledger.Leg(accounts[t], self.amounts[t]) for t in used] + [
            ledger.Leg(accounts[PART_ACCOUNTS[p][0]], self.parts[p], self.loan, p) for p in parts
        ]

    # --- interest -----------------------------------------------------------------------

    def suspend(self, part: AccountPart, amount: Decimal) -> None:
        """Interest into suspense (memorandum: 81x4 against 83x4), or out of it (negative)."""
        self.change(part, amount)
        self.add(SUSPENDED_CONTRA_GL, -amount)

    def recognise(self, moratory: Decimal) -> None:
        """Moratory interest accrued at a payment (since close of business last did): into
        14x8, or into suspense while the loan is suspended."""
        if moratory <= 0:
            return
        if is_suspended(self.loan):
            self.suspend(AccountPart.loan_moratory, moratory)
        else:
            self.move(ACCRUED_INTEREST_GL, MORATORY_INCOME_GL, moratory)

    def recognise_interest(self, interest: Decimal) -> None:
        """Compensatory interest on overdue principal accrued at a payment (since close of
        business last did): into 14x8, or into suspense while the loan is suspended."""
        if interest <= 0:
            return
        if is_suspended(self.loan):
            self.suspend(AccountPart.loan_interest, interest)
        else:
            self.move(ACCRUED_INTEREST_GL, INTEREST_INCOME_GL, interest)

    def collect(self, interest: Decimal, moratory: Decimal, beyond: Decimal) -> None:
        """Interest collected: what had accrued clears its receivable, the part in suspense
        (older) first, which becomes income now; ``beyond`` had not accrued yet: income."""
        for amount, part, income in (
            (interest, AccountPart.loan_interest, INTEREST_INCOME_GL),
            (moratory, AccountPart.loan_moratory, MORATORY_INCOME_GL),
        ):
            if amount <= 0:
                continue
            from_suspense = min(amount, self.held(part))
            if from_suspense:
                self.suspend(part, -from_suspense)
                self.add(income, -from_suspense)
            self.add(ACCRUED_INTEREST_GL, -(amount - from_suspense))
        self.add(INTEREST_INCOME_GL, -beyond)

    def collect_principal(self, principal: Decimal) -> None:
        """Principal repaid: the part of a refinanced loan's capitalised interest it carried
        leaves deferred income, into interest income (a write-off releases what is left
        against the provision expense instead)."""
        released = deferred_interest(self.loan, self.loan.balance) - deferred_interest(
            self.loan, self.loan.balance - principal
        )
        self.move(DEFERRED_INCOME_GL, INTEREST_INCOME_GL, released)

    def unrecognise(self, interest: Decimal) -> None:
        """Interest recognised and no longer owed (a prepayment lowered it): out of
        suspense first, else out of income."""
        if interest <= 0:
            return
        from_suspense = min(interest, self.held(AccountPart.loan_interest))
        if from_suspense:
            self.suspend(AccountPart.loan_interest, -from_suspense)
        self.move(INTEREST_INCOME_GL, ACCRUED_INTEREST_GL, interest - from_suspense)


def principal_legs(session: Session, loan: Loan, amount: Decimal) -> list[ledger.Leg]:
    """The credit lines of principal repaid: judicial first, then vencidos (the oldest
    installments are paid first, and they are the ones transferred), then vigentes. The
    loan's parts move with them when they post (coopac_post_statement); reads only the
    accounts it credits."""
    legs = []
    left = amount
    for part_held, account_id in (
        (loan.judicial_balance, loan.judicial_gl_account_id),
        (loan.overdue_balance, loan.overdue_gl_account_id),
    ):
        part = min(left, part_held)
        if part > 0 and account_id is not None:
            account = ledger.get_gl_account(session, loan.cooperative_id, account_id)
            legs.append(ledger.Leg(account, -part, loan))
            left -= part
    if left > 0:
        current = ledger.get_gl_account(session, loan.cooperative_id, loan.gl_account_id)
        legs.append(ledger.Leg(current, -left, loan))
    return legs


def principal_gl_ids(session: Session, cooperative_id: uuid.UUID, currency: str) -> list[uuid.UUID]:
    return [
        ledger.gl_account_for(session, cooperative_id, t, currency).id
        for t in (LOAN_OVERDUE_GL, LOAN_JUDICIAL_GL)
    ]
