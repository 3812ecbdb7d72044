"""Generated from the OpenAPI document by clients/python/generate.py: do not edit."""

from __future__ import annotations

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, RootModel, SecretStr
from enum import StrEnum
from uuid import UUID
from typing import Any, Literal
from datetime import date as date_aliased


class AccessOut(BaseModel):
    """
    Who read or decided the report, and when (the audit trail of its accesses).
    """

    action: str = Field(..., title="Action")
    at: AwareDatetime = Field(..., title="At")
    by: str = Field(..., title="By")


class AccountKind(StrEnum):
    """
    The member products whose balances the ledger keeps.
    """

    savings = "savings"
    share = "share"
    loan = "loan"


class AccountPart(StrEnum):
    """
    Balances a member account keeps beside its own, each on a GL account of its own: a
    line on that account names the member account with its part (in ``account_kind``), and
    the posting trigger (``coopac_post_statement``) moves the part with it, as it moves
    balances; no one writes them otherwise. A loan's interest in suspense (81x4, interest
    and moratory apart, for the income each becomes), its provisions (14x9.01, 14x9.02:
    credits raise them) and what is still owed on it once written off (81x3).
    """

    loan_interest = "loan_interest"
    loan_moratory = "loan_moratory"
    loan_specific = "loan_specific"
    loan_generic = "loan_generic"
    loan_written_off = "loan_written_off"


class AccountStatus(StrEnum):
    active = "active"
    dormant = "dormant"
    blocked = "blocked"
    closed = "closed"


class AccountingRateIn(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
    )
    rate: float | str = Field(
        ...,
        description="The SBS accounting rate of the business day, soles per dollar",
        title="Rate",
    )


class AccountingRateSource(StrEnum):
    accounting = "accounting"
    cooperative = "cooperative"


class AccountingStatus(StrEnum):
    """
    Where the loan's principal sits in the books (SBS situación contable).
    """

    current = "current"
    overdue = "overdue"
    judicial = "judicial"


class Username(RootModel[str]):
    root: str = Field(
        ...,
        description="Optional: when given, it must be the code's user",
        max_length=64,
        min_length=3,
        title="Username",
    )


class ActivationRequest(BaseModel):
    activation_code: str = Field(
        ..., max_length=64, min_length=1, title="Activation Code"
    )
    new_password: str = Field(..., max_length=256, min_length=12, title="New Password")
    username: Username | None = Field(
        None,
        description="Optional: when given, it must be the code's user",
        title="Username",
    )


class Credit(RootModel[str]):
    root: str = Field(
        ..., examples=["100.00"], pattern="^-?[0-9]+\\.[0-9]{2}$", title="Credit"
    )


class Debit(RootModel[str]):
    root: str = Field(
        ..., examples=["100.00"], pattern="^-?[0-9]+\\.[0-9]{2}$", title="Debit"
    )


class AdjustmentLine(BaseModel):
    account: str = Field(
        ...,
        description="The GL account's code, e.g. 5614",
        max_length=40,
        min_length=4,
        title="Account",
    )
    credit: Credit | None = Field(None, title="Credit")
    debit: Debit | None = Field(None, title="Debit")


class EducationFund(RootModel[str]):
    root: str = Field(
        ...,
        examples=["100.00"],
        pattern="^-?[0-9]+\\.[0-9]{2}$",
        title="Education Fund",
    )


class Reserve(RootModel[str]):
    root: str = Field(
        ..., examples=["100.00"], pattern="^-?[0-9]+\\.[0-9]{2}$", title="Reserve"
    )


class Returns(RootModel[str]):
    root: str = Field(
        ..., examples=["100.00"], pattern="^-?[0-9]+\\.[0-9]{2}$", title="Returns"
    )


class ShareInterest(RootModel[str]):
    root: str = Field(
        ...,
        examples=["100.00"],
        pattern="^-?[0-9]+\\.[0-9]{2}$",
        title="Share Interest",
    )


class SocialFund(RootModel[str]):
    root: str = Field(
        ..., examples=["100.00"], pattern="^-?[0-9]+\\.[0-9]{2}$", title="Social Fund"
    )


class Breach(StrEnum):
    below = "below"
    above = "above"


class Max(RootModel[str]):
    root: str = Field(
        ..., examples=["0.0512"], pattern="^-?[0-9]+\\.[0-9]+$", title="Max"
    )


class Min(RootModel[str]):
    root: str = Field(
        ..., examples=["0.0512"], pattern="^-?[0-9]+\\.[0-9]+$", title="Min"
    )


class ApiKeyScope(StrEnum):
    read = "read"
    counter = "counter"
    reports = "reports"
    imports = "imports"
    admin = "admin"


class ApprovalStatus(StrEnum):
    pending = "pending"
    approved = "approved"
    rejected = "rejected"
    expired = "expired"


class AttemptOut(BaseModel):
    duration_ms: int = Field(..., title="Duration Ms")
    error: str | None = Field(..., title="Error")
    number: int = Field(..., title="Number")
    started_at: AwareDatetime = Field(..., title="Started At")
    status_code: int | None = Field(
        ...,
        description="The receiver's HTTP status; none if unreached",
        title="Status Code",
    )
    worker: str = Field(..., title="Worker")


class AuditEventOut(BaseModel):
    action: str = Field(..., title="Action")
    actor_api_key_id: UUID | None = Field(..., title="Actor Api Key Id")
    actor_name: str = Field(..., title="Actor Name")
    actor_user_id: UUID | None = Field(..., title="Actor User Id")
    cooperative_id: UUID | None = Field(..., title="Cooperative Id")
    details: dict[str, Any] | None = Field(..., title="Details")
    id: int = Field(..., title="Id")
    occurred_at: AwareDatetime = Field(..., title="Occurred At")
    request_id: str | None = Field(..., title="Request Id")
    resource_id: str | None = Field(..., title="Resource Id")
    resource_type: str = Field(..., title="Resource Type")


class BankAccount(RootModel[str]):
    root: str = Field(
        ...,
        description="The GL code of the bank account; the chart's 11x3 if not given",
        max_length=40,
        title="Bank Account",
    )


class Reference(RootModel[str]):
    root: str = Field(..., max_length=200, title="Reference")


class BodyStartImport(BaseModel):
    gl_balances: str | None = Field(
        None,
        description="A CSV file (docs/imports.md has its layout)",
        title="Gl Balances",
    )
    loans: str | None = Field(
        None, description="A CSV file (docs/imports.md has its layout)", title="Loans"
    )
    members: str | None = Field(
        None, description="A CSV file (docs/imports.md has its layout)", title="Members"
    )
    savings: str | None = Field(
        None, description="A CSV file (docs/imports.md has its layout)", title="Savings"
    )
    shares: str | None = Field(
        None, description="A CSV file (docs/imports.md has its layout)", title="Shares"
    )


class Address(RootModel[str]):
    root: str = Field(..., max_length=300, title="Address")


class BranchCreate(BaseModel):
    address: Address | None = Field(None, title="Address")
    code: str = Field(..., max_length=20, min_length=1, title="Code")
    name: str = Field(..., max_length=200, min_length=1, title="Name")
    ubigeo: str = Field(..., title="Ubigeo")


class BranchOut(BaseModel):
    address: str | None = Field(..., title="Address")
    code: str = Field(..., title="Code")
    cooperative_id: UUID = Field(..., title="Cooperative Id")
    created_at: AwareDatetime = Field(..., title="Created At")
    id: UUID = Field(..., title="Id")
    is_active: bool = Field(..., title="Is Active")
    name: str = Field(..., title="Name")
    ubigeo: str = Field(..., title="Ubigeo")


class Description(RootModel[str]):
    root: str = Field(..., max_length=300, title="Description")


class Direction(StrEnum):
    """
    in: cash received; out: cash paid
    """

    in_ = "in"
    out = "out"


class Reason(StrEnum):
    single = "single"
    daily = "daily"
    monthly = "monthly"


class CashThresholds(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
    )
    monthly_usd: str | None = Field(
        "50000.00",
        examples=["100.00"],
        pattern="^-?[0-9]+\\.[0-9]{2}$",
        title="Monthly Usd",
    )
    screening_usd: str | None = Field(
        "1000.00",
        examples=["100.00"],
        pattern="^-?[0-9]+\\.[0-9]{2}$",
        title="Screening Usd",
    )
    single_usd: str | None = Field(
        "10000.00",
        examples=["100.00"],
        pattern="^-?[0-9]+\\.[0-9]{2}$",
        title="Single Usd",
    )


class CashThresholdsOut(BaseModel):
    exchange_rate: str = Field(..., title="Exchange Rate")
    monthly_pen: str = Field(
        ..., examples=["100.00"], pattern="^-?[0-9]+\\.[0-9]{2}$", title="Monthly Pen"
    )
    monthly_usd: str = Field(
        ..., examples=["100.00"], pattern="^-?[0-9]+\\.[0-9]{2}$", title="Monthly Usd"
    )
    single_pen: str = Field(
        ..., examples=["100.00"], pattern="^-?[0-9]+\\.[0-9]{2}$", title="Single Pen"
    )
    single_usd: str = Field(
        ..., examples=["100.00"], pattern="^-?[0-9]+\\.[0-9]{2}$", title="Single Usd"
    )


class Category(StrEnum):
    normal = "normal"
    cpp = "cpp"
    deficiente = "deficiente"
    dudoso = "dudoso"
    perdida = "perdida"


class Channel(StrEnum):
    counter = "counter"
    agent = "agent"
    mobile = "mobile"
    batch = "batch"
    system = "system"


class ClassificationCellOut(BaseModel):
    balance: str = Field(
        ...,
        description="Direct credits: principal, in soles",
        examples=["100.00"],
        pattern="^-?[0-9]+\\.[0-9]{2}$",
        title="Balance",
    )
    debtors: int = Field(..., title="Debtors")
    loans: int = Field(..., title="Loans")
    provision_booked: str = Field(
        ...,
        examples=["100.00"],
        pattern="^-?[0-9]+\\.[0-9]{2}$",
        title="Provision Booked",
    )
    provision_required: str = Field(
        ...,
        examples=["100.00"],
        pattern="^-?[0-9]+\\.[0-9]{2}$",
        title="Provision Required",
    )


class CloseOfBusiness(BaseModel):
    days: int | None = Field(
        1,
        description="Business days to close in a row; more than one needs the manager",
        ge=1,
        le=31,
        title="Days",
    )
    force: bool | None = Field(
        False,
        description="The manager closes although till sessions of those days are open (they stay open; no cash moves on them until they are closed)",
        title="Force",
    )
    pre_holiday: bool | None = Field(
        False,
        description="The manager closes tomorrow in advance (the eve of a holiday): the business date may then reach tomorrow, never further",
        title="Pre Holiday",
    )


class RealizableValue(RootModel[str]):
    root: str = Field(
        ...,
        description="What it would fetch if sold (the appraisal's): a preferred guarantee lowers the provision only on the part of the loan this covers. Default: value",
        examples=["100.00"],
        pattern="^[0-9]{1,12}(\\.[0-9]{1,2})?$",
        title="Realizable Value",
    )


class ExchangeRate(RootModel[float]):
    root: float = Field(
        ...,
        description="Soles per dollar for the cooperative's reports (federation figures, the large cash operations register)",
        gt=0.0,
        title="Exchange Rate",
    )


class Name(RootModel[str]):
    root: str = Field(..., max_length=200, min_length=1, title="Name")


class CounterPurpose(StrEnum):
    """
    The accounts the cooperative sets for what the counter books besides cash.
    """

    cash_over = "cash_over"
    cash_short = "cash_short"
    cash_in_transit = "cash_in_transit"
    exchange_position = "exchange_position"
    exchange_income = "exchange_income"


class OverdueWholeAfterDays(RootModel[int]):
    root: int = Field(..., ge=1, le=3650)


class CreditPolicy(BaseModel):
    """
    ``GET/PUT .../credit-policy``. Days are counted past the due date: "more than N".
    """

    model_config = ConfigDict(
        extra="forbid",
    )
    advance_max_installments: int | None = Field(
        2,
        description="A payment beyond what is due that covers up to this many installments advances them (Res. SBS 3274-2017); more is a prepayment",
        ge=0,
        le=12,
        title="Advance Max Installments",
    )
    mediana_empresa_bands: tuple[int, int, int, int] | None = Field(
        [15, 60, 120, 365],
        description="Last day past due of Normal, CPP, Deficiente and Dudoso for mediana empresa; beyond the last: Pérdida",
        title="Mediana Empresa Bands",
    )
    moratory_tea: str | None = Field(
        None,
        description="The cooperative's moratory rate (a TEA; the central bank caps it every six months), for loans granted from now on; a product's own moratory TEA caps it. None: each product's",
        title="Moratory Tea",
    )
    overdue_installment_after_days: int | None = Field(
        30,
        description="Consumo and hipotecario: an unpaid installment moves to créditos vencidos (14x5) this many days after its due date",
        ge=1,
        le=3650,
        title="Overdue Installment After Days",
    )
    overdue_whole_after_days: dict[CreditType, OverdueWholeAfterDays] | None = Field(
        None,
        description="Days past due after which the whole balance is vencido, by credit type",
        title="Overdue Whole After Days",
    )
    refinance_regular_installments: int | None = Field(
        6,
        description="A refinanced loan is not classified better than its debtor's category when it was refinanced until this many of its installments were paid on time (DOMAIN.md: a period of regular payments, to confirm; two quarters of monthly installments by default)",
        ge=1,
        le=60,
        title="Refinance Regular Installments",
    )


class CreditTo(StrEnum):
    """
    Where a member's part is credited: their share capital, or their savings (their
    oldest sight account in soles; their share capital if they have none).
    """

    share = "share"
    savings = "savings"


class CreditType(StrEnum):
    consumo = "consumo"
    consumo_revolvente = "consumo_revolvente"
    consumo_no_revolvente = "consumo_no_revolvente"
    microempresa = "microempresa"
    pequena_empresa = "pequena_empresa"
    mediana_empresa = "mediana_empresa"
    hipotecario = "hipotecario"


class CsvDialect(StrEnum):
    """
    How a csv is written: ``default`` (comma, decimal point, UTF-8) for tools;
    ``excel-es`` (semicolon, decimal comma, UTF-8 with a BOM) for Excel in a Peruvian
    locale, which reads the default as one column and 1.50 as a date.
    """

    default = "default"
    excel_es = "excel-es"


class Currency(StrEnum):
    PEN = "PEN"
    USD = "USD"


class CurrencyAmount(BaseModel):
    amount: str = Field(
        ..., examples=["100.00"], pattern="^-?[0-9]+\\.[0-9]{2}$", title="Amount"
    )
    currency: Currency


class DebtorLineOut(BaseModel):
    balance: str = Field(
        ...,
        description="Principal at the month end, every part",
        examples=["100.00"],
        pattern="^-?[0-9]+\\.[0-9]{2}$",
        title="Balance",
    )
    category: Category = Field(..., description="The debtor's, after alignment")
    credit_type: CreditType
    currency: Currency
    current_balance: str = Field(
        ...,
        description="In 14x1",
        examples=["100.00"],
        pattern="^-?[0-9]+\\.[0-9]{2}$",
        title="Current Balance",
    )
    days_past_due: int = Field(..., title="Days Past Due")
    document_number: str = Field(..., title="Document Number")
    document_type: str = Field(..., title="Document Type")
    gl_account: str = Field(
        ...,
        description="The account of its worst part: 14x6 (judicial), else 14x5 (overdue), else 14x1",
        title="Gl Account",
    )
    judicial_balance: str = Field(
        ...,
        description="In 14x6",
        examples=["100.00"],
        pattern="^-?[0-9]+\\.[0-9]{2}$",
        title="Judicial Balance",
    )
    loans: int = Field(..., title="Loans")
    member_number: str = Field(..., title="Member Number")
    name: str = Field(..., title="Name")
    overdue_balance: str = Field(
        ...,
        description="In 14x5",
        examples=["100.00"],
        pattern="^-?[0-9]+\\.[0-9]{2}$",
        title="Overdue Balance",
    )


class DebtorRecordOut(BaseModel):
    """
    A debtor, credit type and currency at the month end: the file's detail record.
    """

    accrued_interest: str = Field(
        ...,
        description="Rendimientos devengados, 14x8",
        examples=["100.00"],
        pattern="^-?[0-9]+\\.[0-9]{2}$",
        title="Accrued Interest",
    )
    category: Category = Field(..., description="The debtor's, after alignment")
    contingent: str = Field(
        ...,
        description="Créditos contingentes (none are granted: 0)",
        examples=["100.00"],
        pattern="^-?[0-9]+\\.[0-9]{2}$",
        title="Contingent",
    )
    credit_type: CreditType
    currency: Currency
    current: str = Field(
        ...,
        description="Vigentes, 14x1",
        examples=["100.00"],
        pattern="^-?[0-9]+\\.[0-9]{2}$",
        title="Current",
    )
    days_past_due: int = Field(..., title="Days Past Due")
    document_number: str = Field(..., title="Document Number")
    document_type: str = Field(..., title="Document Type")
    guarantees: str = Field(
        ...,
        description="Pledged deposits and collateral, realisable value",
        examples=["100.00"],
        pattern="^-?[0-9]+\\.[0-9]{2}$",
        title="Guarantees",
    )
    judicial: str = Field(
        ...,
        description="En cobranza judicial, 14x6",
        examples=["100.00"],
        pattern="^-?[0-9]+\\.[0-9]{2}$",
        title="Judicial",
    )
    loans: int = Field(..., title="Loans")
    member_number: str = Field(..., title="Member Number")
    name: str = Field(..., title="Name")
    overdue: str = Field(
        ...,
        description="Vencidos, 14x5",
        examples=["100.00"],
        pattern="^-?[0-9]+\\.[0-9]{2}$",
        title="Overdue",
    )
    person_type: str = Field(..., description="natural or legal", title="Person Type")
    provision_generic: str = Field(
        ...,
        description="14x9.02, as a positive amount",
        examples=["100.00"],
        pattern="^-?[0-9]+\\.[0-9]{2}$",
        title="Provision Generic",
    )
    provision_specific: str = Field(
        ...,
        description="14x9.01, as a positive amount",
        examples=["100.00"],
        pattern="^-?[0-9]+\\.[0-9]{2}$",
        title="Provision Specific",
    )
    record: int = Field(
        ..., description="The record's number in the file, from 1", title="Record"
    )
    refinanced: str = Field(
        ...,
        description="Refinanciados, 14x4",
        examples=["100.00"],
        pattern="^-?[0-9]+\\.[0-9]{2}$",
        title="Refinanced",
    )
    sex: str | None = Field(..., title="Sex")


class Note(RootModel[str]):
    root: str = Field(..., max_length=300, title="Note")


class Decision(BaseModel):
    note: Note | None = Field(None, title="Note")


class DeliveryStatus(StrEnum):
    pending = "pending"
    sending = "sending"
    succeeded = "succeeded"
    failed = "failed"


class Denomination(BaseModel):
    count: int = Field(..., ge=0, le=1000000, title="Count")
    value: str = Field(
        ...,
        description="A note's or coin's face value: 200.00, 0.50",
        examples=["100.00"],
        pattern="^[0-9]{1,12}(\\.[0-9]{1,2})?$",
        title="Value",
    )


class DisbursementRequest(BaseModel):
    """
    Pay the loan out: into one of the member's savings accounts, or in cash at a branch.
    """

    branch_id: UUID | None = Field(None, title="Branch Id")
    to_account_id: UUID | None = Field(
        None,
        description="The borrower's savings account (also accepted as savings_account_id)",
        title="To Account Id",
    )


class DismissReport(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
    )
    reason: str = Field(..., max_length=500, min_length=3, title="Reason")


class ReservePercent(RootModel[float]):
    root: float = Field("20", ge=0.0, le=100.0, title="Reserve Percent")


class ShareInterestRate(RootModel[float]):
    root: float = Field("0", ge=0.0, le=1.0, title="Share Interest Rate")


class Distribution(BaseModel):
    """
    The general assembly's agreement on a year's result: the reserve's percentage, the
    rate of interest on share capital (a year's, on the months the capital was there),
    the funds' sums and where each member's part is credited; or, for a loss, that the
    reserve covers it.
    """

    model_config = ConfigDict(
        extra="forbid",
    )
    agreement: str = Field(
        ...,
        description="The assembly's act",
        max_length=300,
        min_length=1,
        title="Agreement",
    )
    cover_loss: bool | None = Field(False, title="Cover Loss")
    credit_to: CreditTo | None = CreditTo.share
    education_fund: str | None = Field(
        "0.00",
        examples=["100.00"],
        pattern="^[0-9]{1,12}(\\.[0-9]{1,2})?$",
        title="Education Fund",
    )
    reserve_percent: ReservePercent | str | None = Field(
        "20", title="Reserve Percent", validate_default=True
    )
    share_interest_rate: ShareInterestRate | str | None = Field(
        "0", title="Share Interest Rate", validate_default=True
    )
    social_fund: str | None = Field(
        "0.00",
        examples=["100.00"],
        pattern="^[0-9]{1,12}(\\.[0-9]{1,2})?$",
        title="Social Fund",
    )


class DocumentType(StrEnum):
    DNI = "DNI"
    CE = "CE"
    RUC = "RUC"


class DueInstallment(BaseModel):
    due_date: date_aliased = Field(..., title="Due Date")
    number: int = Field(..., title="Number")
    owed: str = Field(
        ...,
        description="What is still owed on it",
        examples=["100.00"],
        pattern="^-?[0-9]+\\.[0-9]{2}$",
        title="Owed",
    )


class EarlyWithdrawal(StrEnum):
    not_allowed = "not_allowed"
    forfeit_interest = "forfeit_interest"
    penalty_tea = "penalty_tea"


class EndpointStatus(StrEnum):
    active = "active"
    disabled = "disabled"


class EntryKind(StrEnum):
    """
    What business event an entry records.
    """

    deposit = "deposit"
    withdrawal = "withdrawal"
    transfer = "transfer"
    share_payment = "share_payment"
    share_refund = "share_refund"
    loan_disbursement = "loan_disbursement"
    loan_repayment = "loan_repayment"
    loan_write_off = "loan_write_off"
    reversal = "reversal"
    interest_accrual = "interest_accrual"
    interest = "interest"
    loan_accrual = "loan_accrual"
    loan_transfer = "loan_transfer"
    loan_provision = "loan_provision"
    loan_judicial = "loan_judicial"
    loan_recovery = "loan_recovery"
    loan_refinance = "loan_refinance"
    adjustment = "adjustment"
    cash_transfer = "cash_transfer"
    bank_deposit = "bank_deposit"
    bank_withdrawal = "bank_withdrawal"
    cash_over_short = "cash_over_short"
    exchange = "exchange"
    exchange_revaluation = "exchange_revaluation"
    opening_balance = "opening_balance"
    loan_parts = "loan_parts"
    year_close = "year_close"
    surplus_distribution = "surplus_distribution"


class EventType(StrEnum):
    """
    Every event the service writes. A money movement is ``money.<kind of entry>``, except
    a loan's disbursement, repayment and write-off, which are the loan's.
    """

    member_created = "member.created"
    member_updated = "member.updated"
    loan_submitted = "loan.submitted"
    loan_approved = "loan.approved"
    loan_rejected = "loan.rejected"
    loan_disbursed = "loan.disbursed"
    loan_repaid = "loan.repaid"
    loan_overdue = "loan.overdue"
    loan_written_off = "loan.written_off"
    loan_classification_changed = "loan.classification_changed"
    close_of_business_finished = "close_of_business.finished"
    period_closed = "period.closed"
    money_deposit = "money.deposit"
    money_withdrawal = "money.withdrawal"
    money_transfer = "money.transfer"
    money_share_payment = "money.share_payment"
    money_share_refund = "money.share_refund"
    money_reversal = "money.reversal"
    money_interest_accrual = "money.interest_accrual"
    money_interest = "money.interest"
    money_loan_accrual = "money.loan_accrual"
    money_loan_transfer = "money.loan_transfer"
    money_loan_provision = "money.loan_provision"
    money_loan_judicial = "money.loan_judicial"
    money_loan_recovery = "money.loan_recovery"
    money_loan_refinance = "money.loan_refinance"
    money_adjustment = "money.adjustment"
    money_cash_transfer = "money.cash_transfer"
    money_bank_deposit = "money.bank_deposit"
    money_bank_withdrawal = "money.bank_withdrawal"
    money_cash_over_short = "money.cash_over_short"
    money_exchange = "money.exchange"
    money_exchange_revaluation = "money.exchange_revaluation"
    money_opening_balance = "money.opening_balance"
    money_loan_parts = "money.loan_parts"
    money_year_close = "money.year_close"
    money_surplus_distribution = "money.surplus_distribution"
    import_finished = "import.finished"
    approval_requested = "approval.requested"
    approval_approved = "approval.approved"
    approval_rejected = "approval.rejected"


class ExcessAs(StrEnum):
    advance_installments = "advance_installments"
    prepayment = "prepayment"


class ExchangeKind(StrEnum):
    buy_usd = "buy_usd"
    sell_usd = "sell_usd"
    deposit_usd = "deposit_usd"


class ExchangeOut(BaseModel):
    account_id: UUID | None = Field(None, title="Account Id")
    amount_pen: str = Field(
        ..., examples=["100.00"], pattern="^-?[0-9]+\\.[0-9]{2}$", title="Amount Pen"
    )
    amount_usd: str = Field(
        ..., examples=["100.00"], pattern="^-?[0-9]+\\.[0-9]{2}$", title="Amount Usd"
    )
    booked_at: AwareDatetime = Field(..., title="Booked At")
    journal_entry_id: UUID = Field(..., title="Journal Entry Id")
    kind: ExchangeKind
    member_id: UUID = Field(..., title="Member Id")
    rate: str = Field(
        ..., description="The rate applied: the board's buy or sell", title="Rate"
    )
    rate_id: UUID = Field(..., title="Rate Id")
    receipt_number: str | None = Field(..., title="Receipt Number")
    spread_income: str = Field(
        ...,
        description="What the cooperative earns against the mid rate",
        examples=["100.00"],
        pattern="^-?[0-9]+\\.[0-9]{2}$",
        title="Spread Income",
    )


class ExportFormat(StrEnum):
    csv = "csv"
    xlsx = "xlsx"


class ExposureOut(BaseModel):
    document_number: str = Field(..., title="Document Number")
    exposure: str = Field(
        ...,
        description="The debtor's loans at the month end, in soles",
        examples=["100.00"],
        pattern="^-?[0-9]+\\.[0-9]{2}$",
        title="Exposure",
    )
    member_id: UUID = Field(..., title="Member Id")
    name: str = Field(..., title="Name")
    over_limit: bool = Field(..., title="Over Limit")
    related_party: bool = Field(..., title="Related Party")
    share: str | None = Field(..., description="Over effective equity", title="Share")


class FieldError(BaseModel):
    field: str = Field(..., examples=["body.ruc"], title="Field")
    message: str = Field(
        ..., examples=["RUC inválido: dígito verificador incorrecto"], title="Message"
    )
    type: str = Field(..., examples=["value_error"], title="Type")


class FileStatus(StrEnum):
    pending = "pending"
    checked = "checked"
    loaded = "loaded"
    refused = "refused"


class FileTotalOut(BaseModel):
    """
    The file's total on a ledger account, beside the trial balance's at the month end
    (the account's balance, provisions as positive amounts).
    """

    currency: Currency
    file_total: str = Field(
        ..., examples=["100.00"], pattern="^-?[0-9]+\\.[0-9]{2}$", title="File Total"
    )
    gl_account: str = Field(..., title="Gl Account")
    ledger_balance: str = Field(
        ...,
        examples=["100.00"],
        pattern="^-?[0-9]+\\.[0-9]{2}$",
        title="Ledger Balance",
    )


class FiscalYearStatus(StrEnum):
    """
    ``open`` until it is closed (there is no row for it); ``closed`` once its results are
    in the year's result; ``distributed`` once the assembly's agreement is applied.
    """

    open = "open"
    closed = "closed"
    distributed = "distributed"


class Frequency(StrEnum):
    monthly = "monthly"
    biweekly = "biweekly"
    weekly = "weekly"
    dates = "dates"


class GlAccountCreate(BaseModel):
    code: str = Field(..., pattern="^[1-8]\\d{3}(\\.[A-Z0-9]{1,20})*$", title="Code")
    currency: Currency
    name: str = Field(..., max_length=200, min_length=1, title="Name")


class GraceType(StrEnum):
    none = "none"
    interest_only = "interest_only"
    capitalised = "capitalised"


class Guarantee(StrEnum):
    none = "none"
    preferred = "preferred"
    preferred_quick = "preferred_quick"


class Health(BaseModel):
    status: Literal["ok"] = Field(..., title="Status")
    version: str = Field(..., title="Version")


class HeldOperation(StrEnum):
    admission = "admission"
    deposit = "deposit"
    withdrawal = "withdrawal"
    exchange = "exchange"
    share_payment = "share_payment"
    loan_repayment = "loan_repayment"
    loan_recovery = "loan_recovery"
    loan_disbursement = "loan_disbursement"
    account_closing = "account_closing"
    share_refund = "share_refund"


class HoldCreate(BaseModel):
    amount: str = Field(
        ...,
        examples=["100.00"],
        pattern="^[0-9]{1,12}(\\.[0-9]{1,2})?$",
        title="Amount",
    )
    loan_id: UUID | None = Field(
        None,
        description="The loan this deposit is pledged to (autoliquidable): it covers the loan's provision at 1%",
        title="Loan Id",
    )
    reason: str = Field(..., max_length=300, min_length=1, title="Reason")


class HoldStatus(StrEnum):
    active = "active"
    released = "released"


class ImportApproval(BaseModel):
    """
    The second person's part: asked in the preparer's name once the check passed.
    """

    decided_at: AwareDatetime | None = Field(..., title="Decided At")
    decided_by: str | None = Field(..., title="Decided By")
    decision_note: str | None = Field(..., title="Decision Note")
    expires_at: AwareDatetime | None = Field(..., title="Expires At")
    requested_at: AwareDatetime = Field(..., title="Requested At")
    requested_by: str = Field(..., title="Requested By")
    status: ApprovalStatus


class ImportFileKind(StrEnum):
    """
    In the order they load: each may name what an earlier one loaded.
    """

    members = "members"
    savings = "savings"
    shares = "shares"
    loans = "loans"
    gl_balances = "gl_balances"


class ImportFileOut(BaseModel):
    errors: int = Field(..., description="Rows refused", title="Errors")
    filename: str = Field(..., title="Filename")
    kind: ImportFileKind
    loaded: int | None = Field(..., title="Loaded")
    phases: dict[str, float] | None = Field(
        None, description="Seconds staging, checking and loading", title="Phases"
    )
    rows: int | None = Field(
        ..., description="Rows the file holds (its header aside)", title="Rows"
    )
    seconds: float | None = Field(None, title="Seconds")
    status: FileStatus


class ImportRowError(BaseModel):
    file: ImportFileKind
    line: int = Field(
        ..., description="The line in the file (the header is line 1)", title="Line"
    )
    reason: str = Field(..., title="Reason")


class ImportStatus(StrEnum):
    """
    A job is checked whole (loaded and rolled back), then waits for another person;
    approved, it loads whole in one transaction.
    """

    checking = "checking"
    awaiting_approval = "awaiting_approval"
    rejected = "rejected"
    running = "running"
    succeeded = "succeeded"
    failed = "failed"


class Indicator(StrEnum):
    """
    Every figure of a row; the ratios are fractions ("0.0500" is 5%).
    """

    members = "members"
    savers = "savers"
    borrowers = "borrowers"
    total_assets = "total_assets"
    deposits = "deposits"
    share_capital = "share_capital"
    gross_loans = "gross_loans"
    overdue_loans = "overdue_loans"
    provisions = "provisions"
    overdue_ratio = "overdue_ratio"
    high_risk_ratio = "high_risk_ratio"
    par30 = "par30"
    provision_coverage = "provision_coverage"
    p1 = "p1"
    p2 = "p2"
    capital_to_assets = "capital_to_assets"
    institutional_capital_ratio = "institutional_capital_ratio"
    liquidity_ratio = "liquidity_ratio"
    liquidity_pen = "liquidity_pen"
    liquidity_usd = "liquidity_usd"
    roa = "roa"
    roe = "roe"
    loans_to_assets = "loans_to_assets"
    operations = "operations"
    digital_share = "digital_share"


class CapitalToAssets(RootModel[str]):
    root: str = Field(
        ...,
        examples=["0.0512"],
        pattern="^-?[0-9]+\\.[0-9]+$",
        title="Capital To Assets",
    )


class DigitalShare(RootModel[str]):
    root: str = Field(
        ...,
        description="Of them, those through a digital channel (an agent, the mobile app)",
        examples=["0.0512"],
        pattern="^-?[0-9]+\\.[0-9]+$",
        title="Digital Share",
    )


class HighRiskRatio(RootModel[str]):
    root: str = Field(
        ..., examples=["0.0512"], pattern="^-?[0-9]+\\.[0-9]+$", title="High Risk Ratio"
    )


class InstitutionalCapitalRatio(RootModel[str]):
    root: str = Field(
        ...,
        examples=["0.0512"],
        pattern="^-?[0-9]+\\.[0-9]+$",
        title="Institutional Capital Ratio",
    )


class LiquidityPen(RootModel[str]):
    root: str = Field(
        ...,
        description="Liquid assets over short-term liabilities in soles (the supervisor's)",
        examples=["0.0512"],
        pattern="^-?[0-9]+\\.[0-9]+$",
        title="Liquidity Pen",
    )


class LiquidityRatio(RootModel[str]):
    root: str = Field(
        ..., examples=["0.0512"], pattern="^-?[0-9]+\\.[0-9]+$", title="Liquidity Ratio"
    )


class LiquidityUsd(RootModel[str]):
    root: str = Field(
        ...,
        description="Liquid assets over short-term liabilities in dollars (the supervisor's)",
        examples=["0.0512"],
        pattern="^-?[0-9]+\\.[0-9]+$",
        title="Liquidity Usd",
    )


class LoansToAssets(RootModel[str]):
    root: str = Field(
        ..., examples=["0.0512"], pattern="^-?[0-9]+\\.[0-9]+$", title="Loans To Assets"
    )


class OverdueRatio(RootModel[str]):
    root: str = Field(
        ..., examples=["0.0512"], pattern="^-?[0-9]+\\.[0-9]+$", title="Overdue Ratio"
    )


class P1(RootModel[str]):
    root: str = Field(
        ...,
        description="PEARLS P1: the allowance over loans more than 12 months in arrears",
        examples=["0.0512"],
        pattern="^-?[0-9]+\\.[0-9]+$",
        title="P1",
    )


class P2(RootModel[str]):
    root: str = Field(
        ...,
        description="PEARLS P2: the allowance left after P1's over loans 1 to 12 months in arrears",
        examples=["0.0512"],
        pattern="^-?[0-9]+\\.[0-9]+$",
        title="P2",
    )


class Par30(RootModel[str]):
    root: str = Field(
        ..., examples=["0.0512"], pattern="^-?[0-9]+\\.[0-9]+$", title="Par30"
    )


class ProvisionCoverage(RootModel[str]):
    root: str = Field(
        ...,
        examples=["0.0512"],
        pattern="^-?[0-9]+\\.[0-9]+$",
        title="Provision Coverage",
    )


class Roa(RootModel[str]):
    root: str = Field(
        ..., examples=["0.0512"], pattern="^-?[0-9]+\\.[0-9]+$", title="Roa"
    )


class Roe(RootModel[str]):
    root: str = Field(
        ..., examples=["0.0512"], pattern="^-?[0-9]+\\.[0-9]+$", title="Roe"
    )


class IndicatorTotalsOut(BaseModel):
    borrowers: int = Field(..., title="Borrowers")
    capital_to_assets: CapitalToAssets | None = Field(..., title="Capital To Assets")
    cooperatives: int = Field(..., title="Cooperatives")
    deposits: str = Field(
        ...,
        description="The savings control accounts (21x1, 21x2, 21x3)",
        examples=["100.00"],
        pattern="^-?[0-9]+\\.[0-9]{2}$",
        title="Deposits",
    )
    digital_share: DigitalShare | None = Field(
        ...,
        description="Of them, those through a digital channel (an agent, the mobile app)",
        title="Digital Share",
    )
    gross_loans: str = Field(
        ...,
        description="14x1 + 14x4 + 14x5 + 14x6",
        examples=["100.00"],
        pattern="^-?[0-9]+\\.[0-9]{2}$",
        title="Gross Loans",
    )
    high_risk_ratio: HighRiskRatio | None = Field(..., title="High Risk Ratio")
    institutional_capital_ratio: InstitutionalCapitalRatio | None = Field(
        ..., title="Institutional Capital Ratio"
    )
    liquidity_pen: LiquidityPen | None = Field(
        ...,
        description="Liquid assets over short-term liabilities in soles (the supervisor's)",
        title="Liquidity Pen",
    )
    liquidity_ratio: LiquidityRatio | None = Field(..., title="Liquidity Ratio")
    liquidity_usd: LiquidityUsd | None = Field(
        ...,
        description="Liquid assets over short-term liabilities in dollars (the supervisor's)",
        title="Liquidity Usd",
    )
    loans_to_assets: LoansToAssets | None = Field(..., title="Loans To Assets")
    members: int = Field(..., title="Members")
    operations: int = Field(
        ...,
        description="The month's member operations, reversals left out",
        title="Operations",
    )
    overdue_loans: str = Field(
        ...,
        description="14x5 + 14x6",
        examples=["100.00"],
        pattern="^-?[0-9]+\\.[0-9]{2}$",
        title="Overdue Loans",
    )
    overdue_ratio: OverdueRatio | None = Field(..., title="Overdue Ratio")
    p1: P1 | None = Field(
        ...,
        description="PEARLS P1: the allowance over loans more than 12 months in arrears",
        title="P1",
    )
    p2: P2 | None = Field(
        ...,
        description="PEARLS P2: the allowance left after P1's over loans 1 to 12 months in arrears",
        title="P2",
    )
    par30: Par30 | None = Field(..., title="Par30")
    provision_coverage: ProvisionCoverage | None = Field(
        ..., title="Provision Coverage"
    )
    provisions: str = Field(
        ...,
        description="The allowance booked (14x9)",
        examples=["100.00"],
        pattern="^-?[0-9]+\\.[0-9]{2}$",
        title="Provisions",
    )
    roa: Roa | None = Field(..., title="Roa")
    roe: Roe | None = Field(..., title="Roe")
    savers: int = Field(..., title="Savers")
    share_capital: str = Field(
        ..., examples=["100.00"], pattern="^-?[0-9]+\\.[0-9]{2}$", title="Share Capital"
    )
    total_assets: str = Field(
        ..., examples=["100.00"], pattern="^-?[0-9]+\\.[0-9]{2}$", title="Total Assets"
    )


class InstallmentOut(BaseModel):
    balance_after: str = Field(
        ..., examples=["100.00"], pattern="^-?[0-9]+\\.[0-9]{2}$", title="Balance After"
    )
    days: int = Field(..., title="Days")
    due_date: date_aliased = Field(..., title="Due Date")
    fees: str = Field(
        ..., examples=["100.00"], pattern="^-?[0-9]+\\.[0-9]{2}$", title="Fees"
    )
    insurance: str = Field(
        ..., examples=["100.00"], pattern="^-?[0-9]+\\.[0-9]{2}$", title="Insurance"
    )
    interest: str = Field(
        ..., examples=["100.00"], pattern="^-?[0-9]+\\.[0-9]{2}$", title="Interest"
    )
    number: int = Field(..., title="Number")
    principal: str = Field(
        ..., examples=["100.00"], pattern="^-?[0-9]+\\.[0-9]{2}$", title="Principal"
    )
    total: str = Field(
        ..., examples=["100.00"], pattern="^-?[0-9]+\\.[0-9]{2}$", title="Total"
    )


class InstallmentStatus(StrEnum):
    paid = "paid"
    partial = "partial"
    pending = "pending"
    overdue = "overdue"


class InsuredLineOut(BaseModel):
    accrued_interest: str = Field(
        ...,
        examples=["100.00"],
        pattern="^-?[0-9]+\\.[0-9]{2}$",
        title="Accrued Interest",
    )
    deposits: str = Field(
        ..., examples=["100.00"], pattern="^-?[0-9]+\\.[0-9]{2}$", title="Deposits"
    )
    document_number: str = Field(..., title="Document Number")
    document_type: str = Field(..., title="Document Type")
    insured: str = Field(
        ..., examples=["100.00"], pattern="^-?[0-9]+\\.[0-9]{2}$", title="Insured"
    )
    member_id: UUID = Field(..., title="Member Id")
    member_number: str = Field(..., title="Member Number")
    name: str = Field(..., title="Name")
    total: str = Field(
        ..., examples=["100.00"], pattern="^-?[0-9]+\\.[0-9]{2}$", title="Total"
    )
    uninsured: str = Field(
        ..., examples=["100.00"], pattern="^-?[0-9]+\\.[0-9]{2}$", title="Uninsured"
    )


class InsuredTotalsOut(BaseModel):
    accrued_interest: str = Field(
        ...,
        examples=["100.00"],
        pattern="^-?[0-9]+\\.[0-9]{2}$",
        title="Accrued Interest",
    )
    deposits: str = Field(
        ..., examples=["100.00"], pattern="^-?[0-9]+\\.[0-9]{2}$", title="Deposits"
    )
    insured: str = Field(
        ..., examples=["100.00"], pattern="^-?[0-9]+\\.[0-9]{2}$", title="Insured"
    )
    members: int = Field(..., title="Members")
    total: str = Field(
        ..., examples=["100.00"], pattern="^-?[0-9]+\\.[0-9]{2}$", title="Total"
    )
    uninsured: str = Field(
        ..., examples=["100.00"], pattern="^-?[0-9]+\\.[0-9]{2}$", title="Uninsured"
    )


class LimitName(StrEnum):
    capital_ratio = "capital_ratio"
    single_borrower = "single_borrower"
    related_parties = "related_parties"
    fixed_assets = "fixed_assets"


class LimitOut(BaseModel):
    bound: str = Field(
        ...,
        description="min: the ratio must reach the limit; max: not exceed it",
        title="Bound",
    )
    breached: bool = Field(..., title="Breached")
    limit: str = Field(..., title="Limit")
    name: LimitName
    value: str | None = Field(
        ...,
        description="The ratio (a fraction); null: no equity to hold it to",
        title="Value",
    )


class LiquidityLineOut(BaseModel):
    below: bool = Field(..., title="Below")
    currency: Currency
    liquid_assets: str = Field(
        ...,
        description="Cash and banks (11), in soles",
        examples=["100.00"],
        pattern="^-?[0-9]+\\.[0-9]{2}$",
        title="Liquid Assets",
    )
    minimum: str = Field(..., title="Minimum")
    ratio: str | None = Field(..., title="Ratio")
    short_term_liabilities: str = Field(
        ...,
        description="Members' deposits with their interest (21) and borrowings (24), in soles",
        examples=["100.00"],
        pattern="^-?[0-9]+\\.[0-9]{2}$",
        title="Short Term Liabilities",
    )


class LiquidityOut(BaseModel):
    """
    The liquidity ratios of a month end (its snapshot) or of a day close of business ended.
    """

    cooperative_id: UUID = Field(..., title="Cooperative Id")
    day: date_aliased = Field(..., title="Day")
    lines: list[LiquidityLineOut] = Field(..., title="Lines")
    period: str | None = Field(..., title="Period")


class DueDates(RootModel[list[date_aliased]]):
    root: list[date_aliased] = Field(..., max_length=360, title="Due Dates")


class PrincipalByDateItem(RootModel[str]):
    root: str = Field(..., examples=["100.00"], pattern="^[0-9]{1,12}(\\.[0-9]{1,2})?$")


class PrincipalByDate(RootModel[list[PrincipalByDateItem]]):
    root: list[PrincipalByDateItem] = Field(
        ..., max_length=360, title="Principal By Date"
    )


class PurposeDetail(RootModel[str]):
    root: str = Field(..., max_length=300, min_length=1, title="Purpose Detail")


class BoardAgreement(RootModel[str]):
    root: str = Field(
        ...,
        description="The board's agreement that lets an approval exceed the single-borrower limit (422 concentration_limit without it)",
        max_length=100,
        min_length=1,
        title="Board Agreement",
    )


class Note1(RootModel[str]):
    root: str = Field(..., max_length=300, min_length=1, title="Note")


class LoanDecision(BaseModel):
    board_agreement: BoardAgreement | None = Field(
        None,
        description="The board's agreement that lets an approval exceed the single-borrower limit (422 concentration_limit without it)",
        title="Board Agreement",
    )
    note: Note1 | None = Field(None, title="Note")


class Tcea(RootModel[str]):
    root: str = Field(
        ...,
        description="The TCEA agreed at disbursement",
        examples=["0.035000"],
        pattern="^-?[0-9]+\\.[0-9]{6}$",
        title="Tcea",
    )


class Tcea1(RootModel[str]):
    root: str = Field(
        ..., examples=["0.035000"], pattern="^-?[0-9]+\\.[0-9]{6}$", title="Tcea"
    )


class Installment(RootModel[str]):
    root: str = Field(
        ...,
        description="The level installment (French method)",
        examples=["100.00"],
        pattern="^-?[0-9]+\\.[0-9]{2}$",
        title="Installment",
    )


class DueDates1(RootModel[list[date_aliased]]):
    root: list[date_aliased] = Field(
        ..., description="For frequency 'dates'", max_length=360, title="Due Dates"
    )


class PrincipalByDate1Item(RootModel[str]):
    root: str = Field(..., examples=["100.00"], pattern="^[0-9]{1,12}(\\.[0-9]{1,2})?$")


class PrincipalByDate1(RootModel[list[PrincipalByDate1Item]]):
    root: list[PrincipalByDate1Item] = Field(
        ...,
        description="For method 'irregular'",
        max_length=360,
        title="Principal By Date",
    )


class LoanStatus(StrEnum):
    draft = "draft"
    submitted = "submitted"
    approved = "approved"
    rejected = "rejected"
    active = "active"
    paid_off = "paid_off"
    written_off = "written_off"
    refinanced = "refinanced"


class LogoutRequest(BaseModel):
    refresh_token: str = Field(
        ..., max_length=4096, min_length=1, title="Refresh Token"
    )


class MaturityInstruction(StrEnum):
    renew = "renew"
    renew_principal = "renew_principal"
    transfer = "transfer"


class MaturityInstructionChange(BaseModel):
    maturity_instruction: MaturityInstruction
    payout_account_id: UUID | None = Field(None, title="Payout Account Id")


class Address1(RootModel[str]):
    root: str = Field(..., max_length=300, min_length=1, title="Address")


class Email(RootModel[str]):
    root: str = Field(..., max_length=200, title="Email")


class FirstNames(RootModel[str]):
    root: str = Field(..., max_length=100, min_length=1, title="First Names")


class LastNames(RootModel[str]):
    root: str = Field(..., max_length=100, min_length=1, title="Last Names")


class LegalName(RootModel[str]):
    root: str = Field(..., max_length=200, min_length=1, title="Legal Name")


class Occupation(RootModel[str]):
    root: str = Field(..., max_length=100, min_length=1, title="Occupation")


class Phone(RootModel[str]):
    root: str = Field(..., max_length=30, title="Phone")


class Status(StrEnum):
    applicant = "applicant"
    active = "active"


class MemberShareOut(BaseModel):
    account_id: UUID = Field(..., title="Account Id")
    credited_to: CreditTo
    member_id: UUID = Field(..., title="Member Id")
    member_number: str | None = Field(..., title="Member Number")
    member_return: str = Field(
        ..., examples=["100.00"], pattern="^-?[0-9]+\\.[0-9]{2}$", title="Member Return"
    )
    name: str = Field(..., title="Name")
    share_interest: str = Field(
        ...,
        examples=["100.00"],
        pattern="^-?[0-9]+\\.[0-9]{2}$",
        title="Share Interest",
    )
    total: str = Field(
        ..., examples=["100.00"], pattern="^-?[0-9]+\\.[0-9]{2}$", title="Total"
    )


class MemberStatus(StrEnum):
    applicant = "applicant"
    active = "active"
    suspended = "suspended"
    withdrawn = "withdrawn"
    deceased = "deceased"


class DocumentReference(RootModel[str]):
    root: str = Field(
        ...,
        description="Required to record a withdrawal or a death: the letter or certificate",
        max_length=100,
        min_length=1,
        title="Document Reference",
    )


class Method(StrEnum):
    french = "french"
    equal_principal = "equal_principal"
    single_payment = "single_payment"
    irregular = "irregular"


class Movement(BaseModel):
    """
    The answer to a money POST: the account's line and its new balance.
    """

    account_id: UUID = Field(..., title="Account Id")
    amount: str = Field(
        ..., examples=["100.00"], pattern="^-?[0-9]+\\.[0-9]{2}$", title="Amount"
    )
    available_balance: str = Field(
        ...,
        examples=["100.00"],
        pattern="^-?[0-9]+\\.[0-9]{2}$",
        title="Available Balance",
    )
    balance: str = Field(
        ..., examples=["100.00"], pattern="^-?[0-9]+\\.[0-9]{2}$", title="Balance"
    )
    booked_at: AwareDatetime = Field(..., title="Booked At")
    currency: Currency
    description: str | None = Field(..., title="Description")
    id: int = Field(..., description="The statement line of this movement", title="Id")
    journal_entry_id: UUID = Field(..., title="Journal Entry Id")
    kind: EntryKind
    receipt_number: str | None = Field(
        None,
        description="The counter's receipt, for an operation in cash",
        title="Receipt Number",
    )
    value_date: date_aliased = Field(..., title="Value Date")


class NormalSide(StrEnum):
    debit = "debit"
    credit = "credit"


class OfflineOperationType(StrEnum):
    deposit = "deposit"
    withdrawal = "withdrawal"
    transfer = "transfer"
    share_payment = "share_payment"
    loan_repayment = "loan_repayment"


class PerDay(RootModel[str]):
    root: str = Field(
        ...,
        description="Empty: no daily total",
        examples=["100.00"],
        pattern="^[0-9]{1,12}(\\.[0-9]{1,2})?$",
        title="Per Day",
    )


class PerDay1(RootModel[str]):
    root: str = Field(
        ..., examples=["100.00"], pattern="^-?[0-9]+\\.[0-9]{2}$", title="Per Day"
    )


class Source(StrEnum):
    default = "default"
    cooperative = "cooperative"


class OperationStatus(StrEnum):
    applied = "applied"
    refused = "refused"
    skipped = "skipped"


class PageAuditEventOut(BaseModel):
    items: list[AuditEventOut] = Field(..., title="Items")
    next_cursor: str | None = Field(None, title="Next Cursor")


class PageBranchOut(BaseModel):
    items: list[BranchOut] = Field(..., title="Items")
    next_cursor: str | None = Field(None, title="Next Cursor")


class PasswordChange(BaseModel):
    current_password: str = Field(
        ..., max_length=256, min_length=1, title="Current Password"
    )
    new_password: str = Field(..., max_length=256, min_length=12, title="New Password")


class GrantType(StrEnum):
    password = "password"


class PasswordGrant(BaseModel):
    grant_type: GrantType | None = GrantType.password
    password: SecretStr = Field(..., max_length=256)
    username: str = Field(..., examples=["sur.cajero"], max_length=64)


class PayoffOut(BaseModel):
    """
    What settles the loan on ``date``: a repayment of exactly ``total`` that day closes it
    with nothing left and nothing refunded.
    """

    currency: Currency
    date: date_aliased = Field(..., title="Date")
    fees: str = Field(
        ..., examples=["100.00"], pattern="^-?[0-9]+\\.[0-9]{2}$", title="Fees"
    )
    insurance: str = Field(
        ..., examples=["100.00"], pattern="^-?[0-9]+\\.[0-9]{2}$", title="Insurance"
    )
    interest: str = Field(
        ...,
        description="Interest due, and on the principal not yet due from the last due date to the day (a prepayment's)",
        examples=["100.00"],
        pattern="^-?[0-9]+\\.[0-9]{2}$",
        title="Interest",
    )
    loan_id: UUID = Field(..., title="Loan Id")
    moratory: str = Field(
        ...,
        description="Moratory interest on overdue principal to the day",
        examples=["100.00"],
        pattern="^-?[0-9]+\\.[0-9]{2}$",
        title="Moratory",
    )
    principal: str = Field(
        ...,
        description="All the principal still owed, due or not",
        examples=["100.00"],
        pattern="^-?[0-9]+\\.[0-9]{2}$",
        title="Principal",
    )
    total: str = Field(
        ..., examples=["100.00"], pattern="^-?[0-9]+\\.[0-9]{2}$", title="Total"
    )


class PeriodStatus(StrEnum):
    provisional = "provisional"
    closed = "closed"


class PortfolioCategory(BaseModel):
    balance: str = Field(
        ..., examples=["100.00"], pattern="^-?[0-9]+\\.[0-9]{2}$", title="Balance"
    )
    category: Category
    loans: int = Field(..., title="Loans")
    provision: str = Field(
        ..., examples=["100.00"], pattern="^-?[0-9]+\\.[0-9]{2}$", title="Provision"
    )


class PortfolioCreditType(BaseModel):
    categories: list[PortfolioCategory] = Field(..., title="Categories")
    credit_type: CreditType


class PostingOut(BaseModel):
    account_id: UUID | None = Field(..., title="Account Id")
    account_kind: AccountKind | AccountPart | None = Field(..., title="Account Kind")
    credit: str = Field(
        ..., examples=["100.00"], pattern="^-?[0-9]+\\.[0-9]{2}$", title="Credit"
    )
    currency: Currency
    debit: str = Field(
        ..., examples=["100.00"], pattern="^-?[0-9]+\\.[0-9]{2}$", title="Debit"
    )
    gl_account_code: str = Field(..., title="Gl Account Code")
    gl_account_id: UUID = Field(..., title="Gl Account Id")
    id: int = Field(..., title="Id")


class PrepaymentMode(StrEnum):
    """
    What an amount beyond the installments due does: the member's choice.
    """

    reduce_installment = "reduce_installment"
    reduce_term = "reduce_term"


class Problem(BaseModel):
    """
    An RFC 9457 problem document.
    """

    code: str = Field(..., examples=["member_not_found"], title="Code")
    detail: str = Field(..., examples=["Socio no encontrado"], title="Detail")
    errors: list[FieldError] | None = Field(None, title="Errors")
    instance: str | None = Field(
        None, examples=["/api/v1/cooperatives/..."], title="Instance"
    )
    request_id: str | None = Field(
        None, examples=["3f2c9d0e8b7a4c1d"], title="Request Id"
    )
    status: int = Field(..., examples=[404], title="Status")
    title: str = Field(..., examples=["Not Found"], title="Title")
    type: str | None = Field("about:blank", examples=["about:blank"], title="Type")


class ProductKind(StrEnum):
    sight = "sight"
    term = "term"


class PrudentialSettings(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
    )
    fixed_assets_limit: str | None = Field(
        "1.00",
        description="Fixed assets (18) over effective equity",
        title="Fixed Assets Limit",
    )
    generic_provisions_cap: str | None = Field(
        "0.0125",
        description="Generic provisions count in effective equity up to this share of the RWA",
        title="Generic Provisions Cap",
    )
    min_capital_ratio: str | None = Field(
        "0.10",
        description="Effective equity over risk-weighted assets",
        title="Min Capital Ratio",
    )
    mortgage_weight: str | None = Field(
        "0.50",
        description="Weight of hipotecario loans, instead of their account's",
        title="Mortgage Weight",
    )
    related_parties_limit: str | None = Field(
        "0.30",
        description="The loans of all related parties together over effective equity",
        title="Related Parties Limit",
    )
    risk_weights: dict[str, str] | None = Field(
        None,
        description="Credit-risk weight of each asset account by its code's prefix (the longest matching prefix applies)",
        title="Risk Weights",
    )
    single_borrower_limit: str | None = Field(
        "0.10",
        description="One debtor's loans over effective equity (a loan beyond it needs the board)",
        title="Single Borrower Limit",
    )


class Purpose(StrEnum):
    agriculture = "agriculture"
    livestock = "livestock"
    business = "business"
    consumption = "consumption"
    health = "health"
    education = "education"
    housing = "housing"
    other = "other"


class RateCreate(BaseModel):
    buy: float | str = Field(
        ..., description="Soles the cooperative pays for a dollar", title="Buy"
    )
    sell: float | str = Field(
        ..., description="Soles the cooperative charges for a dollar", title="Sell"
    )


class RateOut(BaseModel):
    business_date: date_aliased = Field(..., title="Business Date")
    buy: str = Field(..., title="Buy")
    currency: Currency | None = Currency.USD
    id: UUID = Field(..., title="Id")
    published_at: AwareDatetime = Field(..., title="Published At")
    published_by: str = Field(..., title="Published By")
    sell: str = Field(..., title="Sell")


class RateRequestOut(BaseModel):
    """
    A board out of the band, waiting for (or decided by) a second person.
    """

    buy: str = Field(..., title="Buy")
    decided_at: AwareDatetime | None = Field(..., title="Decided At")
    decided_by: str | None = Field(..., title="Decided By")
    decision_note: str | None = Field(..., title="Decision Note")
    expires_at: AwareDatetime | None = Field(..., title="Expires At")
    id: UUID = Field(..., title="Id")
    reason: str = Field(..., description="Why it needs a second person", title="Reason")
    requested_at: AwareDatetime = Field(..., title="Requested At")
    requested_by: str = Field(..., title="Requested By")
    sell: str = Field(..., title="Sell")
    status: ApprovalStatus


class Database(StrEnum):
    ok = "ok"
    unreachable = "unreachable"


class Status1(StrEnum):
    ok = "ok"
    unavailable = "unavailable"
    migrations_pending = "migrations_pending"


class Readiness(BaseModel):
    database: Database = Field(..., title="Database")
    expected_migration: str | None = Field(None, title="Expected Migration")
    migration: str | None = Field(None, title="Migration")
    status: Status1 = Field(..., title="Status")


class ReceiptMember(BaseModel):
    document: str = Field(..., title="Document")
    id: UUID = Field(..., title="Id")
    member_number: str = Field(..., title="Member Number")
    name: str = Field(..., title="Name")


class ReceiptOut(BaseModel):
    account_number: str | None = Field(None, title="Account Number")
    amount: str = Field(
        ..., examples=["100.00"], pattern="^-?[0-9]+\\.[0-9]{2}$", title="Amount"
    )
    amount_in_words: str = Field(..., title="Amount In Words")
    branch: str = Field(..., title="Branch")
    business_date: date_aliased = Field(..., title="Business Date")
    channel: Channel
    cooperative: str = Field(..., title="Cooperative")
    cooperative_ruc: str = Field(..., title="Cooperative Ruc")
    currency: Currency
    description: str | None = Field(None, title="Description")
    issued_at: AwareDatetime = Field(..., title="Issued At")
    journal_entry_id: UUID = Field(..., title="Journal Entry Id")
    kind: EntryKind
    member: ReceiptMember | None = None
    number: str = Field(..., title="Number")
    offline_recorded_at: AwareDatetime | None = Field(None, title="Offline Recorded At")
    operation: str = Field(..., title="Operation")
    reverses: UUID | None = Field(
        None, description="For a correction: the entry it reverses", title="Reverses"
    )
    sequence: int = Field(..., title="Sequence")
    series: str = Field(..., title="Series")
    teller: str = Field(..., title="Teller")
    till_movements: list[CurrencyAmount] = Field(
        ...,
        description="What it did to the till's cash per currency (positive: came in); an exchange has two",
        title="Till Movements",
    )


class RecoveryOut(BaseModel):
    amount: str = Field(
        ..., examples=["100.00"], pattern="^-?[0-9]+\\.[0-9]{2}$", title="Amount"
    )
    journal_entry_id: UUID = Field(..., title="Journal Entry Id")
    loan_id: UUID = Field(..., title="Loan Id")
    value_date: date_aliased = Field(..., title="Value Date")
    written_off_balance: str = Field(
        ...,
        examples=["100.00"],
        pattern="^-?[0-9]+\\.[0-9]{2}$",
        title="Written Off Balance",
    )


class Description2(RootModel[str]):
    root: str = Field(..., max_length=300, min_length=1, title="Description")


class RecoveryRequest(BaseModel):
    """
    A payment on a written-off loan, in cash at a branch or from a savings account.
    """

    amount: str = Field(
        ...,
        examples=["100.00"],
        pattern="^[0-9]{1,12}(\\.[0-9]{1,2})?$",
        title="Amount",
    )
    branch_id: UUID | None = Field(None, title="Branch Id")
    description: Description2 | None = Field(None, title="Description")
    from_account_id: UUID | None = Field(None, title="From Account Id")


class Tea(RootModel[str]):
    root: str = Field(
        ...,
        description="The new loan's TEA, within its product's range; by default the loan's",
        examples=["0.0350"],
        pattern="^[0-9]{1,2}(\\.[0-9]{1,6})?$",
        title="Tea",
    )


class RefinanceRequest(BaseModel):
    """
    A refinanciación: a new loan for everything this one owes today (principal, interest
    and moratory interest not collected, fees and insurance already due), on new terms.
    """

    model_config = ConfigDict(
        extra="forbid",
    )
    first_due_date: date_aliased | None = Field(
        None,
        description="The first new installment's due date; by default one period on",
        title="First Due Date",
    )
    installments: int = Field(
        ...,
        description="The new loan's number of installments",
        ge=1,
        le=360,
        title="Installments",
    )
    reason: str = Field(..., max_length=300, min_length=1, title="Reason")
    tea: Tea | None = Field(
        None,
        description="The new loan's TEA, within its product's range; by default the loan's",
        title="Tea",
    )


class GrantType1(StrEnum):
    refresh_token = "refresh_token"


class RefreshTokenGrant(BaseModel):
    grant_type: GrantType1
    refresh_token: str = Field(..., max_length=4096)


class RepaymentOut(BaseModel):
    amount: str = Field(
        ..., examples=["100.00"], pattern="^-?[0-9]+\\.[0-9]{2}$", title="Amount"
    )
    balance: str = Field(
        ...,
        description="Outstanding principal after the payment",
        examples=["100.00"],
        pattern="^-?[0-9]+\\.[0-9]{2}$",
        title="Balance",
    )
    fees: str = Field(
        ..., examples=["100.00"], pattern="^-?[0-9]+\\.[0-9]{2}$", title="Fees"
    )
    id: int = Field(
        ..., description="The loan's statement line for this payment", title="Id"
    )
    insurance: str = Field(
        ..., examples=["100.00"], pattern="^-?[0-9]+\\.[0-9]{2}$", title="Insurance"
    )
    interest: str = Field(
        ..., examples=["100.00"], pattern="^-?[0-9]+\\.[0-9]{2}$", title="Interest"
    )
    journal_entry_id: UUID = Field(..., title="Journal Entry Id")
    loan_id: UUID = Field(..., title="Loan Id")
    moratory: str = Field(
        ..., examples=["100.00"], pattern="^-?[0-9]+\\.[0-9]{2}$", title="Moratory"
    )
    principal: str = Field(
        ..., examples=["100.00"], pattern="^-?[0-9]+\\.[0-9]{2}$", title="Principal"
    )
    status: LoanStatus
    value_date: date_aliased = Field(..., title="Value Date")


class RepaymentRequest(BaseModel):
    amount: str = Field(
        ...,
        examples=["100.00"],
        pattern="^[0-9]{1,12}(\\.[0-9]{1,2})?$",
        title="Amount",
    )
    branch_id: UUID | None = Field(None, title="Branch Id")
    description: Description2 | None = Field(None, title="Description")
    excess_as: ExcessAs | None = Field(
        None,
        description="What an amount beyond the installments due is: by default, up to the credit policy's number of installments (2) advances the next ones as they are, more is a prepayment (Res. SBS 3274-2017); the member may choose either",
    )
    from_account_id: UUID | None = Field(None, title="From Account Id")
    prepayment: PrepaymentMode | None = Field(
        PrepaymentMode.reduce_installment,
        description="What a prepayment does: the member's choice",
    )


class ReportStatus(StrEnum):
    open = "open"
    submitted = "submitted"
    dismissed = "dismissed"


class Installments(RootModel[int]):
    root: int = Field(
        ...,
        description="How many; by default as many as are left",
        ge=1,
        le=360,
        title="Installments",
    )


class RescheduleRequest(BaseModel):
    """
    A reprogramación: new dates for what a current loan still owes, its principal and
    interest rate as they are (no interest is capitalised).
    """

    model_config = ConfigDict(
        extra="forbid",
    )
    first_due_date: date_aliased = Field(..., title="First Due Date")
    installments: Installments | None = Field(
        None,
        description="How many; by default as many as are left",
        title="Installments",
    )
    reason: str = Field(..., max_length=300, min_length=1, title="Reason")


class ReturnBasis(StrEnum):
    """
    What a member's operations with the cooperative are measured by: the interest they
    paid on their loans (compensatory and moratory), the interest their savings received,
    or both.
    """

    loans = "loans"
    savings = "savings"
    both = "both"


class Note2(RootModel[str]):
    root: str = Field(..., max_length=300, title="Note")


class ReversalDecision(BaseModel):
    note: Note2 | None = Field(None, title="Note")


class Description4(RootModel[str]):
    root: str = Field(..., max_length=300, title="Description")


class ReversalRequest(BaseModel):
    description: Description4 | None = Field(None, title="Description")


class ReversalRequestOut(BaseModel):
    """
    A reversal waiting for (or decided by) a second person.
    """

    decided_at: AwareDatetime | None = Field(..., title="Decided At")
    decided_by: str | None = Field(..., title="Decided By")
    decision_note: str | None = Field(..., title="Decision Note")
    expires_at: AwareDatetime | None = Field(
        None,
        description="Undecided by then, it expires: it is asked for again",
        title="Expires At",
    )
    id: UUID = Field(..., title="Id")
    journal_entry_id: UUID = Field(..., title="Journal Entry Id")
    reason: str | None = Field(..., title="Reason")
    requested_at: AwareDatetime = Field(..., title="Requested At")
    requested_by: str = Field(..., title="Requested By")
    reversal_entry_id: UUID | None = Field(
        ...,
        description="The reversal entry, once approved and posted",
        title="Reversal Entry Id",
    )
    status: ApprovalStatus


class Role(StrEnum):
    teller = "teller"
    credit_officer = "credit_officer"
    credit_committee = "credit_committee"
    manager = "manager"
    accountant = "accountant"
    auditor = "auditor"
    admin = "admin"
    compliance_officer = "compliance_officer"
    federation_admin = "federation_admin"
    federation_analyst = "federation_analyst"


class RoleGrantOut(BaseModel):
    branch_id: UUID | None = Field(..., title="Branch Id")
    cooperative_id: UUID | None = Field(..., title="Cooperative Id")
    role: Role


class RunStatus(StrEnum):
    running = "running"
    succeeded = "succeeded"
    failed = "failed"


class SavingsAccountCreate(BaseModel):
    maturity_instruction: MaturityInstruction | None = Field(
        None, description="Term deposits: what happens at maturity (default renew)"
    )
    member_id: UUID = Field(..., title="Member Id")
    payout_account_id: UUID | None = Field(
        None,
        description="Term deposits: the member's own sight account in the same currency that takes the interest (renew_principal) or everything (transfer)",
        title="Payout Account Id",
    )
    product_id: UUID = Field(..., title="Product Id")


class PlacedAmount(RootModel[str]):
    root: str = Field(
        ..., examples=["100.00"], pattern="^-?[0-9]+\\.[0-9]{2}$", title="Placed Amount"
    )


class Rate(RootModel[str]):
    root: str = Field(
        ...,
        description="A term deposit's TEA, fixed at placement",
        examples=["0.035000"],
        pattern="^-?[0-9]+\\.[0-9]{6}$",
        title="Rate",
    )


class SavingsAccountOut(BaseModel):
    accrued_interest: str | None = Field(
        "0.00",
        description="Interest accrued and not yet paid in (it is paid on the month's last day), to the céntimo; kept with ten decimals per day",
        examples=["100.00"],
        pattern="^-?[0-9]+\\.[0-9]{2}$",
        title="Accrued Interest",
    )
    available_balance: str = Field(
        ...,
        description="What the holder may take out: balance less holds and the product's minimum balance (negative when holds exceed the balance)",
        examples=["100.00"],
        pattern="^-?[0-9]+\\.[0-9]{2}$",
        title="Available Balance",
    )
    balance: str = Field(
        ..., examples=["100.00"], pattern="^-?[0-9]+\\.[0-9]{2}$", title="Balance"
    )
    closed_on: date_aliased | None = Field(..., title="Closed On")
    currency: Currency
    held_amount: str = Field(
        ..., examples=["100.00"], pattern="^-?[0-9]+\\.[0-9]{2}$", title="Held Amount"
    )
    id: UUID = Field(..., title="Id")
    kind: ProductKind
    maturity_date: date_aliased | None = Field(..., title="Maturity Date")
    maturity_instruction: MaturityInstruction | None = None
    member_id: UUID = Field(..., title="Member Id")
    number: str = Field(..., title="Number")
    opened_on: date_aliased = Field(..., title="Opened On")
    payout_account_id: UUID | None = Field(None, title="Payout Account Id")
    placed_amount: PlacedAmount | None = Field(None, title="Placed Amount")
    placed_on: date_aliased | None = Field(..., title="Placed On")
    product_code: str = Field(
        ...,
        description="The product's code, as a teller's screen shows it",
        title="Product Code",
    )
    product_id: UUID = Field(..., title="Product Id")
    product_name: str = Field(..., title="Product Name")
    rate: Rate | None = Field(
        None, description="A term deposit's TEA, fixed at placement", title="Rate"
    )
    status: AccountStatus


class SavingsAccountUpdate(BaseModel):
    status: AccountStatus


class DormantAfterDays(RootModel[int]):
    root: int = Field(
        ...,
        description="Days without a movement by the holder before a sight account becomes dormant at close of business; empty: never",
        ge=30,
        le=3650,
        title="Dormant After Days",
    )


class PenaltyTea(RootModel[str]):
    root: str = Field(
        ...,
        description="The lower TEA an early cancellation earns, for early_withdrawal = penalty_tea",
        examples=["0.0350"],
        pattern="^[0-9]{1,2}(\\.[0-9]{1,6})?$",
        title="Penalty Tea",
    )


class TermDays(RootModel[int]):
    root: int = Field(..., ge=1, le=3650, title="Term Days")


class SavingsProductCreate(BaseModel):
    code: str = Field(..., max_length=20, min_length=1, title="Code")
    currency: Currency
    dormant_after_days: DormantAfterDays | None = Field(
        None,
        description="Days without a movement by the holder before a sight account becomes dormant at close of business; empty: never",
        title="Dormant After Days",
    )
    early_withdrawal: EarlyWithdrawal | None = EarlyWithdrawal.not_allowed
    kind: ProductKind
    min_balance: str | None = Field(
        "0.00",
        examples=["100.00"],
        pattern="^[0-9]{1,12}(\\.[0-9]{1,2})?$",
        title="Min Balance",
    )
    min_balance_for_interest: str | None = Field(
        "0.00",
        description="A day whose closing balance is below this earns no interest",
        examples=["100.00"],
        pattern="^[0-9]{1,12}(\\.[0-9]{1,2})?$",
        title="Min Balance For Interest",
    )
    name: str = Field(..., max_length=200, min_length=1, title="Name")
    penalty_tea: PenaltyTea | None = Field(
        None,
        description="The lower TEA an early cancellation earns, for early_withdrawal = penalty_tea",
        title="Penalty Tea",
    )
    tea: str = Field(
        ...,
        description="Tasa efectiva anual as a fraction: 0.0150 is 1.5% a year",
        examples=["0.0350"],
        pattern="^[0-9]{1,2}(\\.[0-9]{1,6})?$",
        title="Tea",
    )
    term_days: TermDays | None = Field(None, title="Term Days")


class PenaltyTea1(RootModel[str]):
    root: str = Field(
        ..., examples=["0.035000"], pattern="^-?[0-9]+\\.[0-9]{6}$", title="Penalty Tea"
    )


class SavingsProductOut(BaseModel):
    code: str = Field(..., title="Code")
    currency: Currency
    dormant_after_days: int | None = Field(None, title="Dormant After Days")
    early_withdrawal: EarlyWithdrawal
    gl_account_id: UUID = Field(..., title="Gl Account Id")
    id: UUID = Field(..., title="Id")
    is_active: bool = Field(..., title="Is Active")
    kind: ProductKind
    min_balance: str = Field(
        ..., examples=["100.00"], pattern="^-?[0-9]+\\.[0-9]{2}$", title="Min Balance"
    )
    min_balance_for_interest: str | None = Field(
        "0.00",
        examples=["100.00"],
        pattern="^-?[0-9]+\\.[0-9]{2}$",
        title="Min Balance For Interest",
    )
    name: str = Field(..., title="Name")
    penalty_tea: PenaltyTea1 | None = Field(None, title="Penalty Tea")
    tea: str = Field(
        ..., examples=["0.035000"], pattern="^-?[0-9]+\\.[0-9]{6}$", title="Tea"
    )
    term_days: int | None = Field(..., title="Term Days")


class SbsLevel(StrEnum):
    """
    The SBS level of a COOPAC (Ley 30822): it sets what it may do and its deposit cover.
    """

    field_1 = "1"
    field_2A = "2A"
    field_2B = "2B"
    field_3 = "3"


class ScheduleInstallmentOut(BaseModel):
    days: int = Field(..., title="Days")
    due_date: date_aliased = Field(..., title="Due Date")
    fees: str = Field(
        ..., examples=["100.00"], pattern="^-?[0-9]+\\.[0-9]{2}$", title="Fees"
    )
    insurance: str = Field(
        ..., examples=["100.00"], pattern="^-?[0-9]+\\.[0-9]{2}$", title="Insurance"
    )
    interest: str = Field(
        ..., examples=["100.00"], pattern="^-?[0-9]+\\.[0-9]{2}$", title="Interest"
    )
    moratory_paid: str = Field(
        ..., examples=["100.00"], pattern="^-?[0-9]+\\.[0-9]{2}$", title="Moratory Paid"
    )
    number: int = Field(..., title="Number")
    paid: str = Field(
        ..., examples=["100.00"], pattern="^-?[0-9]+\\.[0-9]{2}$", title="Paid"
    )
    principal: str = Field(
        ..., examples=["100.00"], pattern="^-?[0-9]+\\.[0-9]{2}$", title="Principal"
    )
    status: InstallmentStatus
    total: str = Field(
        ..., examples=["100.00"], pattern="^-?[0-9]+\\.[0-9]{2}$", title="Total"
    )


class ScheduleTotals(BaseModel):
    commission: str = Field(
        ..., examples=["100.00"], pattern="^-?[0-9]+\\.[0-9]{2}$", title="Commission"
    )
    fees: str = Field(
        ..., examples=["100.00"], pattern="^-?[0-9]+\\.[0-9]{2}$", title="Fees"
    )
    insurance: str = Field(
        ..., examples=["100.00"], pattern="^-?[0-9]+\\.[0-9]{2}$", title="Insurance"
    )
    interest: str = Field(
        ..., examples=["100.00"], pattern="^-?[0-9]+\\.[0-9]{2}$", title="Interest"
    )
    principal: str = Field(
        ..., examples=["100.00"], pattern="^-?[0-9]+\\.[0-9]{2}$", title="Principal"
    )
    total_paid: str = Field(
        ...,
        description="Everything paid over the installments",
        examples=["100.00"],
        pattern="^-?[0-9]+\\.[0-9]{2}$",
        title="Total Paid",
    )


class ScreeningHit(BaseModel):
    document_number: str | None = Field(..., title="Document Number")
    list_name: str = Field(..., title="List Name")
    matched_on: str = Field(..., description="document or names", title="Matched On")
    names: str = Field(..., title="Names")


class ScreeningHoldStatus(StrEnum):
    pending_approval = "pending_approval"
    approved = "approved"
    rejected = "rejected"
    expired = "expired"


class ScreeningListOut(BaseModel):
    entries: int = Field(..., title="Entries")
    list_name: str = Field(..., title="List Name")
    loaded_at: AwareDatetime | None = Field(..., title="Loaded At")


class ScreeningLoadOut(BaseModel):
    """
    The lists a file held, each replacing what the cooperative had under its name.
    """

    lists: list[ScreeningListOut] = Field(..., title="Lists")
    loaded: int = Field(..., title="Loaded")


class SeriesPointOut(BaseModel):
    period: str = Field(..., title="Period")
    value: str | None = Field(..., title="Value")


class SessionMovement(BaseModel):
    amount: str = Field(
        ...,
        description="What it did to the till's cash: positive came in",
        examples=["100.00"],
        pattern="^-?[0-9]+\\.[0-9]{2}$",
        title="Amount",
    )
    booked_at: AwareDatetime = Field(..., title="Booked At")
    currency: Currency
    description: str | None = Field(..., title="Description")
    journal_entry_id: UUID = Field(..., title="Journal Entry Id")
    kind: EntryKind
    offline: bool | None = Field(False, title="Offline")
    receipt_number: str | None = Field(..., title="Receipt Number")
    reversal_of: UUID | None = Field(None, title="Reversal Of")


class SessionStatus(StrEnum):
    open = "open"
    closed = "closed"


class SettlementRequest(BaseModel):
    """
    A deceased or withdrawn member's account paid out whole, on a document.
    """

    branch_id: UUID | None = Field(
        None,
        description="The manager's open till session pays; if given, its branch",
        title="Branch Id",
    )
    document_reference: str = Field(
        ...,
        description="What proves the death and the heirs, or the leaving (kept on the entry and in the audit trail)",
        max_length=200,
        min_length=3,
        title="Document Reference",
    )


class Sex(StrEnum):
    F = "F"
    M = "M"


class ShareAccountStatus(StrEnum):
    active = "active"
    closed = "closed"


class SharePayment(BaseModel):
    """
    Pay in share capital: cash at a branch, or from one of the member's savings accounts.
    """

    amount: str = Field(
        ...,
        examples=["100.00"],
        pattern="^[0-9]{1,12}(\\.[0-9]{1,2})?$",
        title="Amount",
    )
    branch_id: UUID | None = Field(None, title="Branch Id")
    description: Description4 | None = Field(None, title="Description")
    from_account_id: UUID | None = Field(None, title="From Account Id")


class ShareRefund(BaseModel):
    """
    Return all paid-in capital to a withdrawn (or deceased) member.
    """

    branch_id: UUID | None = Field(None, title="Branch Id")
    description: Description4 | None = Field(None, title="Description")
    to_account_id: UUID | None = Field(None, title="To Account Id")


class SharesStatus(StrEnum):
    pending = "pending"
    distributed = "distributed"


class SnapshotLoan(BaseModel):
    balance: str = Field(
        ..., examples=["100.00"], pattern="^-?[0-9]+\\.[0-9]{2}$", title="Balance"
    )
    currency: Currency
    days_past_due: int = Field(..., title="Days Past Due")
    id: UUID = Field(..., title="Id")
    next_due: DueInstallment | None = Field(
        ..., description="The oldest installment still owed"
    )
    number: str = Field(..., title="Number")
    overdue_amount: str = Field(
        ...,
        examples=["100.00"],
        pattern="^-?[0-9]+\\.[0-9]{2}$",
        title="Overdue Amount",
    )


class Previous(RootModel[str]):
    root: str = Field(
        ..., examples=["100.00"], pattern="^-?[0-9]+\\.[0-9]{2}$", title="Previous"
    )


class StatementLine(BaseModel):
    """
    A line of a member account's statement, seen from the holder's side.
    """

    amount: str = Field(
        ...,
        description="Positive: money in; negative: money out",
        examples=["100.00"],
        pattern="^-?[0-9]+\\.[0-9]{2}$",
        title="Amount",
    )
    balance_after: str = Field(
        ..., examples=["100.00"], pattern="^-?[0-9]+\\.[0-9]{2}$", title="Balance After"
    )
    booked_at: AwareDatetime = Field(..., title="Booked At")
    description: str | None = Field(..., title="Description")
    id: int = Field(..., title="Id")
    journal_entry_id: UUID = Field(..., title="Journal Entry Id")
    kind: EntryKind
    value_date: date_aliased = Field(..., title="Value Date")


class StatementLineOut(BaseModel):
    code: str | None = Field(
        ..., description="The GL account; none for a line computed here", title="Code"
    )
    currency: Currency | None = Field(
        ..., description="The account's own; amounts are in soles"
    )
    current: str = Field(
        ..., examples=["100.00"], pattern="^-?[0-9]+\\.[0-9]{2}$", title="Current"
    )
    name: str = Field(..., title="Name")
    previous: Previous | None = Field(..., title="Previous")


class StatementOrder(StrEnum):
    oldest = "oldest"
    newest = "newest"


class StatementPage(BaseModel):
    """
    A page of a member account's statement, with the balance its range starts from.
    """

    items: list[StatementLine] = Field(..., title="Items")
    next_cursor: str | None = Field(None, title="Next Cursor")
    opening_balance: str = Field(
        ...,
        description="The balance at the start of the range (from=), the holder's side; 0 without a start: the statement then begins with the account",
        examples=["100.00"],
        pattern="^-?[0-9]+\\.[0-9]{2}$",
        title="Opening Balance",
    )


class StepStatus(StrEnum):
    pending = "pending"
    running = "running"
    succeeded = "succeeded"
    failed = "failed"


class SubmitReport(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
    )
    submitted_on: date_aliased = Field(
        ..., description="The day it was sent to the UIF", title="Submitted On"
    )
    uif_reference: str = Field(..., max_length=100, min_length=1, title="Uif Reference")


class SurplusPolicy(BaseModel):
    """
    The statute's figures for the distribution. DOMAIN.md is silent on the cap of the
    interest on share capital (the statute's): 10% a year unless the cooperative sets its
    own.
    """

    return_basis: ReturnBasis | None = ReturnBasis.both
    share_interest_cap: str | None = Field("0.10", title="Share Interest Cap")


class SuspiciousReportCreate(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
    )
    description: str = Field(
        ...,
        description="What was seen, and why it looked unusual",
        max_length=4000,
        min_length=10,
        title="Description",
    )
    journal_entry_id: UUID | None = Field(
        None,
        description="The operation that looked unusual, if there is one",
        title="Journal Entry Id",
    )
    member_id: UUID | None = Field(None, title="Member Id")


class SuspiciousReportOut(BaseModel):
    accesses: list[AccessOut] | None = Field(None, title="Accesses")
    decided_at: AwareDatetime | None = Field(..., title="Decided At")
    decided_by: str | None = Field(..., title="Decided By")
    description: str = Field(..., title="Description")
    dismiss_reason: str | None = Field(..., title="Dismiss Reason")
    id: UUID = Field(..., title="Id")
    journal_entry_id: UUID | None = Field(..., title="Journal Entry Id")
    member_id: UUID | None = Field(..., title="Member Id")
    reported_at: AwareDatetime = Field(..., title="Reported At")
    reported_by: str = Field(..., title="Reported By")
    status: ReportStatus
    submitted_on: date_aliased | None = Field(..., title="Submitted On")
    uif_reference: str | None = Field(..., title="Uif Reference")


class SuspiciousReportReceipt(BaseModel):
    """
    What the person who reports is told: that it was received. They cannot read it
    again: only the compliance officer can.
    """

    id: UUID = Field(..., title="Id")
    message: str = Field(..., title="Message")
    reported_at: AwareDatetime = Field(..., title="Reported At")


class Target(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
    )
    max: str | None = Field(None, title="Max")
    min: str | None = Field(None, title="Min")


class TermCancellation(BaseModel):
    """
    Cancel a term deposit before maturity: principal, and the interest its product allows
    for the days elapsed, paid out in cash at a branch or to a sight account of the member.
    """

    branch_id: UUID | None = Field(None, title="Branch Id")
    to_account_id: UUID | None = Field(None, title="To Account Id")


class TermCancellationOut(BaseModel):
    account_id: UUID = Field(..., title="Account Id")
    closed_on: date_aliased = Field(..., title="Closed On")
    currency: Currency
    interest: str = Field(
        ...,
        description="A term deposit's: what the product pays for the days elapsed; a sight account's: the interest accrued to the day, paid in before it was paid out",
        examples=["100.00"],
        pattern="^-?[0-9]+\\.[0-9]{2}$",
        title="Interest",
    )
    journal_entry_id: UUID | None = Field(
        ...,
        description="The entry that paid it out (none when there was nothing to pay)",
        title="Journal Entry Id",
    )
    paid_out: str = Field(
        ..., examples=["100.00"], pattern="^-?[0-9]+\\.[0-9]{2}$", title="Paid Out"
    )
    principal: str = Field(
        ..., examples=["100.00"], pattern="^-?[0-9]+\\.[0-9]{2}$", title="Principal"
    )


class CashLimit1(RootModel[str]):
    root: str = Field(
        ..., examples=["100.00"], pattern="^-?[0-9]+\\.[0-9]{2}$", title="Cash Limit"
    )


class TillCashOut(BaseModel):
    balance: str = Field(
        ..., examples=["100.00"], pattern="^-?[0-9]+\\.[0-9]{2}$", title="Balance"
    )
    cash_limit: CashLimit1 | None = Field(None, title="Cash Limit")
    currency: Currency
    gl_account_code: str = Field(..., title="Gl Account Code")


class TillKind(StrEnum):
    till = "till"
    vault = "vault"


class TillOut(BaseModel):
    branch_id: UUID = Field(..., title="Branch Id")
    cash: list[TillCashOut] = Field(..., title="Cash")
    code: str = Field(..., title="Code")
    id: UUID = Field(..., title="Id")
    kind: TillKind
    name: str = Field(..., title="Name")
    open_session_id: UUID | None = Field(None, title="Open Session Id")


class TillSessionOut(BaseModel):
    branch_id: UUID = Field(..., title="Branch Id")
    business_date: date_aliased = Field(..., title="Business Date")
    closed_at: AwareDatetime | None = Field(None, title="Closed At")
    closed_by: str | None = Field(None, title="Closed By")
    counted: list[CurrencyAmount] | None = Field(None, title="Counted")
    counted_at_opening: list[CurrencyAmount] = Field(..., title="Counted At Opening")
    differences: list[CurrencyAmount] | None = Field(
        None,
        description="Counted minus expected: positive over, negative short",
        title="Differences",
    )
    expected: list[CurrencyAmount] = Field(
        ...,
        description="What the books say the till holds: now, or at the close",
        title="Expected",
    )
    id: UUID = Field(..., title="Id")
    movements: list[SessionMovement] | None = Field(
        None,
        description="Every movement of the till's cash in the session",
        title="Movements",
    )
    opened_at: AwareDatetime = Field(..., title="Opened At")
    opening_differences: list[CurrencyAmount] = Field(..., title="Opening Differences")
    status: SessionStatus
    teller_id: UUID = Field(..., title="Teller Id")
    teller_name: str = Field(..., title="Teller Name")
    till_code: str = Field(..., title="Till Code")
    till_id: UUID = Field(..., title="Till Id")


class TillTransferCreate(BaseModel):
    amount: str = Field(
        ...,
        examples=["100.00"],
        pattern="^[0-9]{1,12}(\\.[0-9]{1,2})?$",
        title="Amount",
    )
    currency: Currency
    from_till_id: UUID = Field(..., title="From Till Id")
    to_till_id: UUID = Field(..., title="To Till Id")


class TillTransferReceive(BaseModel):
    amount: str = Field(
        ...,
        description="What the receiver counted: must be what was sent",
        examples=["100.00"],
        pattern="^[0-9]{1,12}(\\.[0-9]{1,2})?$",
        title="Amount",
    )


class Name1(RootModel[str]):
    root: str = Field(..., max_length=100, min_length=1, title="Name")


class TokenResponse(BaseModel):
    access_token: str = Field(..., title="Access Token")
    expires_in: int = Field(
        ...,
        description="Seconds until the access token expires",
        examples=[900],
        title="Expires In",
    )
    password_change_required: bool | None = Field(
        False,
        description="True until the user chooses their own password (a user an administrator created or sent to change it): these tokens may only call POST /api/v1/auth/password and GET /api/v1/auth/me; anything else is 403 password_change_required",
        title="Password Change Required",
    )
    refresh_expires_in: int = Field(..., examples=[28800], title="Refresh Expires In")
    refresh_token: str = Field(..., title="Refresh Token")
    token_type: str | None = Field("bearer", title="Token Type")


class TotalOut(BaseModel):
    current: str = Field(
        ..., examples=["100.00"], pattern="^-?[0-9]+\\.[0-9]{2}$", title="Current"
    )
    previous: Previous | None = Field(..., title="Previous")


class TransferOut(BaseModel):
    amount: str = Field(
        ..., examples=["100.00"], pattern="^-?[0-9]+\\.[0-9]{2}$", title="Amount"
    )
    available_balance: str = Field(
        ...,
        examples=["100.00"],
        pattern="^-?[0-9]+\\.[0-9]{2}$",
        title="Available Balance",
    )
    balance: str = Field(
        ...,
        description="The source account's new balance",
        examples=["100.00"],
        pattern="^-?[0-9]+\\.[0-9]{2}$",
        title="Balance",
    )
    booked_at: AwareDatetime = Field(..., title="Booked At")
    currency: Currency
    description: str | None = Field(..., title="Description")
    from_account_id: UUID = Field(..., title="From Account Id")
    id: int = Field(
        ..., description="The debit line on the source account's statement", title="Id"
    )
    journal_entry_id: UUID = Field(..., title="Journal Entry Id")
    to_account_id: UUID = Field(..., title="To Account Id")
    to_balance: str = Field(
        ..., examples=["100.00"], pattern="^-?[0-9]+\\.[0-9]{2}$", title="To Balance"
    )
    value_date: date_aliased = Field(..., title="Value Date")


class TransferRequest(BaseModel):
    amount: str = Field(
        ...,
        examples=["100.00"],
        pattern="^[0-9]{1,12}(\\.[0-9]{1,2})?$",
        title="Amount",
    )
    currency: Currency | None = None
    description: Description4 | None = Field(None, title="Description")
    from_account_id: UUID = Field(..., title="From Account Id")
    to_account_id: UUID = Field(..., title="To Account Id")


class TransferStatus(StrEnum):
    in_transit = "in_transit"
    received = "received"


class TrialBalanceAccount(BaseModel):
    balance: str = Field(
        ...,
        description="debits - credits: positive is a debit balance",
        examples=["100.00"],
        pattern="^-?[0-9]+\\.[0-9]{2}$",
        title="Balance",
    )
    code: str = Field(..., title="Code")
    credits: str = Field(
        ..., examples=["100.00"], pattern="^-?[0-9]+\\.[0-9]{2}$", title="Credits"
    )
    currency: Currency
    debits: str = Field(
        ..., examples=["100.00"], pattern="^-?[0-9]+\\.[0-9]{2}$", title="Debits"
    )
    name: str = Field(..., title="Name")


class TrialBalanceFileLineOut(BaseModel):
    closing: str = Field(
        ...,
        description="Balance at the month end (debit +)",
        examples=["100.00"],
        pattern="^-?[0-9]+\\.[0-9]{2}$",
        title="Closing",
    )
    closing_pen: str = Field(
        ...,
        description="The closing in soles (dollars at the month's rate)",
        examples=["100.00"],
        pattern="^-?[0-9]+\\.[0-9]{2}$",
        title="Closing Pen",
    )
    code: str = Field(..., title="Code")
    credits: str = Field(
        ...,
        description="Credits of the month",
        examples=["100.00"],
        pattern="^-?[0-9]+\\.[0-9]{2}$",
        title="Credits",
    )
    currency: Currency
    debits: str = Field(
        ...,
        description="Debits of the month",
        examples=["100.00"],
        pattern="^-?[0-9]+\\.[0-9]{2}$",
        title="Debits",
    )
    name: str = Field(..., title="Name")
    opening: str = Field(
        ...,
        description="Balance at the end of the month before (debit +)",
        examples=["100.00"],
        pattern="^-?[0-9]+\\.[0-9]{2}$",
        title="Opening",
    )
    opening_pen: str = Field(
        ...,
        description="The opening in soles",
        examples=["100.00"],
        pattern="^-?[0-9]+\\.[0-9]{2}$",
        title="Opening Pen",
    )


class TrialBalanceFileTotalOut(BaseModel):
    credits: str = Field(
        ..., examples=["100.00"], pattern="^-?[0-9]+\\.[0-9]{2}$", title="Credits"
    )
    currency: Currency
    debits: str = Field(
        ..., examples=["100.00"], pattern="^-?[0-9]+\\.[0-9]{2}$", title="Debits"
    )


class UserAccessRequestOut(BaseModel):
    """
    Roles that move or approve money, an admin, or a reactivation: asked by one
    person, decided by another (the cooperative's other admin or its manager).
    """

    branch_id: UUID | None = Field(..., title="Branch Id")
    decided_at: AwareDatetime | None = Field(..., title="Decided At")
    decided_by: str | None = Field(..., title="Decided By")
    decision_note: str | None = Field(..., title="Decision Note")
    expires_at: AwareDatetime | None = Field(..., title="Expires At")
    id: UUID = Field(..., title="Id")
    reactivate: bool = Field(
        ...,
        description="Approving it also enables the disabled user",
        title="Reactivate",
    )
    requested_at: AwareDatetime = Field(..., title="Requested At")
    requested_by: str = Field(..., title="Requested By")
    roles: list[Role] = Field(
        ..., description="The user's roles once approved (all of them)", title="Roles"
    )
    status: ApprovalStatus
    user_id: UUID = Field(..., title="User Id")
    username: str = Field(..., title="Username")


class UserCreate(BaseModel):
    branch_id: UUID | None = Field(None, title="Branch Id")
    full_name: str = Field(..., max_length=200, min_length=1, title="Full Name")
    roles: list[Role] = Field(..., max_length=10, min_length=1, title="Roles")
    username: str = Field(..., max_length=64, min_length=3, title="Username")


class UserCreated(BaseModel):
    access_request: UserAccessRequestOut | None = Field(
        None,
        description="The roles that move or approve money (or admin) waiting for a second person; the user holds the others already",
    )
    activation_code: str | None = Field(
        ...,
        description="The one-time code the user chooses their password with at POST /api/v1/auth/activate, within 72 hours: shown in this answer only (a retry with the same Idempotency-Key leaves it out), to be handed to the user",
        examples=["K7QM-2XPD-9RTW"],
        title="Activation Code",
    )
    activation_expires_at: AwareDatetime | None = Field(
        None,
        description="Until when the user's activation code works; empty once they chose their password (POST /api/v1/auth/activate)",
        title="Activation Expires At",
    )
    branch_id: UUID | None = Field(..., title="Branch Id")
    cooperative_id: UUID | None = Field(..., title="Cooperative Id")
    created_at: AwareDatetime = Field(..., title="Created At")
    full_name: str = Field(..., title="Full Name")
    id: UUID = Field(..., title="Id")
    is_active: bool = Field(..., title="Is Active")
    password_change_required: bool | None = Field(
        False,
        description="The user must choose their own password at next login",
        title="Password Change Required",
    )
    roles: list[Role] = Field(..., title="Roles")
    username: str = Field(..., title="Username")


class UserOut(BaseModel):
    activation_expires_at: AwareDatetime | None = Field(
        None,
        description="Until when the user's activation code works; empty once they chose their password (POST /api/v1/auth/activate)",
        title="Activation Expires At",
    )
    branch_id: UUID | None = Field(..., title="Branch Id")
    cooperative_id: UUID | None = Field(..., title="Cooperative Id")
    created_at: AwareDatetime = Field(..., title="Created At")
    full_name: str = Field(..., title="Full Name")
    id: UUID = Field(..., title="Id")
    is_active: bool = Field(..., title="Is Active")
    password_change_required: bool | None = Field(
        False,
        description="The user must choose their own password at next login",
        title="Password Change Required",
    )
    roles: list[Role] = Field(..., title="Roles")
    username: str = Field(..., title="Username")


class FullName(RootModel[str]):
    root: str = Field(..., max_length=200, min_length=1, title="Full Name")


class Roles(RootModel[list[Role]]):
    root: list[Role] = Field(..., max_length=10, min_length=1, title="Roles")


class UserUpdate(BaseModel):
    branch_id: UUID | None = Field(None, title="Branch Id")
    full_name: FullName | None = Field(None, title="Full Name")
    is_active: bool | None = Field(None, title="Is Active")
    roles: Roles | None = Field(None, title="Roles")


class VerificationOut(BaseModel):
    control_accounts_checked: int = Field(..., title="Control Accounts Checked")
    entries_checked: int = Field(..., title="Entries Checked")
    member_accounts_checked: int = Field(..., title="Member Accounts Checked")
    ok: bool = Field(..., title="Ok")
    problems: list[str] = Field(..., title="Problems")


class Description8(RootModel[str]):
    root: str = Field(..., max_length=500, title="Description")


class WebhookEndpointCreate(BaseModel):
    description: Description8 | None = Field(None, title="Description")
    event_types: list[str] | None = Field(
        None,
        description="Exact types, a group (money.*), or * for everything",
        max_length=100,
        title="Event Types",
    )
    url: str = Field(..., max_length=2000, min_length=8, title="Url")


class WebhookEndpointCreated(BaseModel):
    """
    The endpoint and its signing secret, shown this once.
    """

    created_at: AwareDatetime = Field(..., title="Created At")
    created_by: str = Field(..., title="Created By")
    description: str | None = Field(..., title="Description")
    disabled_at: AwareDatetime | None = Field(..., title="Disabled At")
    disabled_reason: str | None = Field(
        ..., description="Why it was disabled, for the admin", title="Disabled Reason"
    )
    event_types: list[str] = Field(..., title="Event Types")
    failing_since: AwareDatetime | None = Field(
        ..., description="Every delivery has failed since then", title="Failing Since"
    )
    id: UUID = Field(..., title="Id")
    last_success_at: AwareDatetime | None = Field(..., title="Last Success At")
    secret: str = Field(
        ...,
        description="Standard Webhooks signing key: keep it, it is not shown again",
        title="Secret",
    )
    status: EndpointStatus
    url: str = Field(..., title="Url")


class WebhookEndpointOut(BaseModel):
    created_at: AwareDatetime = Field(..., title="Created At")
    created_by: str = Field(..., title="Created By")
    description: str | None = Field(..., title="Description")
    disabled_at: AwareDatetime | None = Field(..., title="Disabled At")
    disabled_reason: str | None = Field(
        ..., description="Why it was disabled, for the admin", title="Disabled Reason"
    )
    event_types: list[str] = Field(..., title="Event Types")
    failing_since: AwareDatetime | None = Field(
        ..., description="Every delivery has failed since then", title="Failing Since"
    )
    id: UUID = Field(..., title="Id")
    last_success_at: AwareDatetime | None = Field(..., title="Last Success At")
    status: EndpointStatus
    url: str = Field(..., title="Url")


class EventTypes(RootModel[list[str]]):
    root: list[str] = Field(..., max_length=100, title="Event Types")


class Url(RootModel[str]):
    root: str = Field(..., max_length=2000, min_length=8, title="Url")


class WebhookEndpointUpdate(BaseModel):
    description: Description8 | None = Field(None, title="Description")
    event_types: EventTypes | None = Field(None, title="Event Types")
    status: EndpointStatus | None = Field(
        None, description="active again after a disable (the failures are forgotten)"
    )
    url: Url | None = Field(None, title="Url")


class WithdrawalStatus(StrEnum):
    """
    A withdrawal request's status as the counter names it (the approvals engine's
    ``pending`` is ``pending_approval`` here).
    """

    pending_approval = "pending_approval"
    approved = "approved"
    rejected = "rejected"
    expired = "expired"


class AccountingRateOut(BaseModel):
    """
    The accounting rate in force on a day: what the books express dollars in.
    """

    as_of: date_aliased = Field(..., description="The day asked for", title="As Of")
    currency: Currency | None = Currency.USD
    rate: str = Field(..., title="Rate")
    set_by: str | None = Field(..., title="Set By")
    set_on: date_aliased | None = Field(
        ..., description="The business day it was set for", title="Set On"
    )
    source: AccountingRateSource


class AdjustmentCreate(BaseModel):
    """
    An accountant's entry by hand, balanced per currency.
    """

    business_date: date_aliased | None = Field(
        None,
        description="The day it is booked on: the business date by default, or an earlier day of a month not yet closed (the adjustments of a month end)",
        title="Business Date",
    )
    description: str = Field(..., max_length=300, min_length=1, title="Description")
    lines: list[AdjustmentLine] = Field(..., max_length=50, min_length=2, title="Lines")


class AdjustmentRequestOut(BaseModel):
    """
    An entry by hand waiting for (or decided by) a second person.
    """

    business_date: date_aliased = Field(..., title="Business Date")
    decided_at: AwareDatetime | None = Field(..., title="Decided At")
    decided_by: str | None = Field(..., title="Decided By")
    decision_note: str | None = Field(..., title="Decision Note")
    description: str = Field(..., title="Description")
    expires_at: AwareDatetime | None = Field(
        None,
        description="Undecided by then, it expires: it is asked for again",
        title="Expires At",
    )
    id: UUID = Field(..., title="Id")
    journal_entry_id: UUID | None = Field(
        ..., description="The entry, once approved and posted", title="Journal Entry Id"
    )
    lines: list[AdjustmentLine] = Field(..., title="Lines")
    requested_at: AwareDatetime = Field(..., title="Requested At")
    requested_by: str = Field(..., title="Requested By")
    status: ApprovalStatus


class AgreementOut(BaseModel):
    """
    An agreement as answered (``Distribution`` is what is asked: one schema each way).
    """

    agreement: str = Field(..., title="Agreement")
    cover_loss: bool = Field(..., title="Cover Loss")
    credit_to: CreditTo
    education_fund: str = Field(
        ...,
        examples=["100.00"],
        pattern="^-?[0-9]+\\.[0-9]{2}$",
        title="Education Fund",
    )
    reserve_percent: str = Field(..., title="Reserve Percent")
    share_interest_rate: str = Field(..., title="Share Interest Rate")
    social_fund: str = Field(
        ..., examples=["100.00"], pattern="^-?[0-9]+\\.[0-9]{2}$", title="Social Fund"
    )


class AlertOut(BaseModel):
    breach: Breach = Field(..., title="Breach")
    indicator: Indicator
    max: Max | None = Field(..., title="Max")
    min: Min | None = Field(..., title="Min")
    value: str = Field(..., title="Value")


class ApiKeyCreate(BaseModel):
    branch_id: UUID | None = Field(None, title="Branch Id")
    expires_at: AwareDatetime | None = Field(
        None,
        description="When it stops working (at most a year ahead)",
        title="Expires At",
    )
    name: str = Field(..., max_length=100, min_length=1, title="Name")
    roles: list[Role] = Field(
        ...,
        description="At most the caller's own roles (the key acts for them); never admin, manager or credit_committee",
        min_length=1,
        title="Roles",
    )
    scopes: list[ApiKeyScope] | None = Field(
        None,
        description="What kind of work the key may do: read, counter, reports, imports, admin",
        min_length=1,
        title="Scopes",
    )


class ApiKeyCreated(BaseModel):
    branch_id: UUID | None = Field(..., title="Branch Id")
    cooperative_id: UUID = Field(..., title="Cooperative Id")
    created_at: AwareDatetime = Field(..., title="Created At")
    expires_at: AwareDatetime | None = Field(..., title="Expires At")
    id: UUID = Field(..., title="Id")
    key: str = Field(
        ...,
        description="The full key. It is shown only this once; store it safely.",
        title="Key",
    )
    last_used_at: AwareDatetime | None = Field(
        ..., description="To within five minutes", title="Last Used At"
    )
    name: str = Field(..., title="Name")
    owner_id: UUID | None = Field(..., title="Owner Id")
    prefix: str = Field(..., title="Prefix")
    revoked_at: AwareDatetime | None = Field(..., title="Revoked At")
    roles: list[Role] = Field(..., title="Roles")
    scopes: list[ApiKeyScope] = Field(..., title="Scopes")


class ApiKeyOut(BaseModel):
    branch_id: UUID | None = Field(..., title="Branch Id")
    cooperative_id: UUID = Field(..., title="Cooperative Id")
    created_at: AwareDatetime = Field(..., title="Created At")
    expires_at: AwareDatetime | None = Field(..., title="Expires At")
    id: UUID = Field(..., title="Id")
    last_used_at: AwareDatetime | None = Field(
        ..., description="To within five minutes", title="Last Used At"
    )
    name: str = Field(..., title="Name")
    owner_id: UUID | None = Field(..., title="Owner Id")
    prefix: str = Field(..., title="Prefix")
    revoked_at: AwareDatetime | None = Field(..., title="Revoked At")
    roles: list[Role] = Field(..., title="Roles")
    scopes: list[ApiKeyScope] = Field(..., title="Scopes")


class ApprovalThreshold(BaseModel):
    amount: str = Field(
        ...,
        description="A cash withdrawal above it waits for a supervisor",
        examples=["100.00"],
        pattern="^-?[0-9]+\\.[0-9]{2}$",
        title="Amount",
    )
    currency: Currency


class BankMovement(BaseModel):
    amount: str = Field(
        ...,
        examples=["100.00"],
        pattern="^[0-9]{1,12}(\\.[0-9]{1,2})?$",
        title="Amount",
    )
    bank_account: BankAccount | None = Field(
        None,
        description="The GL code of the bank account; the chart's 11x3 if not given",
        title="Bank Account",
    )
    currency: Currency
    reference: Reference | None = Field(None, title="Reference")


class BankMovementOut(BaseModel):
    amount: str = Field(
        ..., examples=["100.00"], pattern="^-?[0-9]+\\.[0-9]{2}$", title="Amount"
    )
    bank_account: str = Field(..., title="Bank Account")
    currency: Currency
    journal_entry_id: UUID = Field(..., title="Journal Entry Id")
    till_id: UUID = Field(..., title="Till Id")
    vault_balance: str = Field(
        ..., examples=["100.00"], pattern="^-?[0-9]+\\.[0-9]{2}$", title="Vault Balance"
    )


class CapitalOut(BaseModel):
    """
    Effective equity, risk-weighted assets and the limits of a month, from its snapshot.
    """

    basic_equity: str = Field(
        ...,
        description="Capital, additional capital and reserves, less the results if a loss",
        examples=["100.00"],
        pattern="^-?[0-9]+\\.[0-9]{2}$",
        title="Basic Equity",
    )
    capital_ratio: str | None = Field(..., title="Capital Ratio")
    cooperative_id: UUID = Field(..., title="Cooperative Id")
    effective_equity: str = Field(
        ...,
        examples=["100.00"],
        pattern="^-?[0-9]+\\.[0-9]{2}$",
        title="Effective Equity",
    )
    exchange_rate: str = Field(..., title="Exchange Rate")
    fixed_assets: str = Field(
        ..., examples=["100.00"], pattern="^-?[0-9]+\\.[0-9]{2}$", title="Fixed Assets"
    )
    generic_provisions: str = Field(
        ...,
        examples=["100.00"],
        pattern="^-?[0-9]+\\.[0-9]{2}$",
        title="Generic Provisions",
    )
    generic_provisions_counted: str = Field(
        ...,
        description="Up to the cap of the RWA",
        examples=["100.00"],
        pattern="^-?[0-9]+\\.[0-9]{2}$",
        title="Generic Provisions Counted",
    )
    largest_exposures: list[ExposureOut] = Field(
        ..., description="The ten largest debtors", title="Largest Exposures"
    )
    limits: list[LimitOut] = Field(..., title="Limits")
    period: str = Field(..., title="Period")
    period_status: PeriodStatus
    related_parties_exposure: str = Field(
        ...,
        examples=["100.00"],
        pattern="^-?[0-9]+\\.[0-9]{2}$",
        title="Related Parties Exposure",
    )
    risk_weighted_assets: str = Field(
        ...,
        examples=["100.00"],
        pattern="^-?[0-9]+\\.[0-9]{2}$",
        title="Risk Weighted Assets",
    )


class CashLimit(BaseModel):
    amount: str = Field(
        ...,
        description="The most cash the till may hold in this currency",
        examples=["100.00"],
        pattern="^[0-9]{1,12}(\\.[0-9]{1,2})?$",
        title="Amount",
    )
    currency: Currency


class CashMovementRequest(BaseModel):
    amount: str = Field(
        ...,
        examples=["100.00"],
        pattern="^[0-9]{1,12}(\\.[0-9]{1,2})?$",
        title="Amount",
    )
    branch_id: UUID | None = Field(
        None,
        description="The caller's open till session decides the till and its branch; if given, it must be that branch",
        title="Branch Id",
    )
    currency: Currency | None = Field(
        None, description="If given, must be the account's"
    )
    description: Description | None = Field(None, title="Description")


class CashOperationOut(BaseModel):
    amount: str = Field(
        ..., examples=["100.00"], pattern="^-?[0-9]+\\.[0-9]{2}$", title="Amount"
    )
    amount_pen: str = Field(
        ..., examples=["100.00"], pattern="^-?[0-9]+\\.[0-9]{2}$", title="Amount Pen"
    )
    business_date: date_aliased = Field(..., title="Business Date")
    currency: Currency
    direction: Direction = Field(
        ..., description="in: cash received; out: cash paid", title="Direction"
    )
    document_number: str | None = Field(..., title="Document Number")
    document_type: str | None = Field(..., title="Document Type")
    journal_entry_id: UUID = Field(..., title="Journal Entry Id")
    kind: EntryKind
    member_id: UUID | None = Field(..., title="Member Id")
    member_number: str | None = Field(..., title="Member Number")
    name: str | None = Field(..., title="Name")
    reasons: list[Reason] = Field(
        ...,
        description="single: one operation over the threshold; daily: the person's operations of that day add up over it (a split); monthly: the person's month adds up over the monthly one",
        title="Reasons",
    )


class CashOperationsOut(BaseModel):
    """
    The register of large cash operations of a month (UIF).
    """

    cooperative_id: UUID = Field(..., title="Cooperative Id")
    operations: list[CashOperationOut] = Field(..., title="Operations")
    period: str = Field(..., title="Period")
    period_status: PeriodStatus
    thresholds: CashThresholdsOut


class ClassificationRowOut(BaseModel):
    categories: dict[Category, ClassificationCellOut] = Field(..., title="Categories")
    credit_type: CreditType | None = Field(..., description="None on the totals row")
    total: ClassificationCellOut


class CobStepOut(BaseModel):
    name: str = Field(..., examples=["savings_accrual"], title="Name")
    processed: int = Field(..., title="Processed")
    status: StepStatus
    total: int = Field(..., title="Total")


class CollateralIn(BaseModel):
    description: str = Field(..., max_length=300, min_length=1, title="Description")
    guarantee: Guarantee | None = Field(
        Guarantee.none, description="preferred or preferred_quick lowers the provision"
    )
    realizable_value: RealizableValue | None = Field(
        None,
        description="What it would fetch if sold (the appraisal's): a preferred guarantee lowers the provision only on the part of the loan this covers. Default: value",
        title="Realizable Value",
    )
    value: str = Field(
        ..., examples=["100.00"], pattern="^[0-9]{1,12}(\\.[0-9]{1,2})?$", title="Value"
    )


class CooperativeCreate(BaseModel):
    business_date: date_aliased | None = Field(
        None,
        description="Where its books start: today in the cooperative's time zone by default, or a past date for a cooperative taking over from its previous system (close of business then catches up day by day). Never in the future.",
        title="Business Date",
    )
    code: str = Field(..., max_length=20, min_length=1, title="Code")
    name: str = Field(..., max_length=200, min_length=1, title="Name")
    operates_with_non_members: bool | None = Field(
        False,
        description="A COOPAC operates only with its members (Ley 30822); true for a UNICA-style group that lends to non-members backed by a member guarantor",
        title="Operates With Non Members",
    )
    ruc: str = Field(..., title="Ruc")
    sbs_level: SbsLevel


class CooperativeOut(BaseModel):
    base_currency: Currency
    business_date: date_aliased = Field(..., title="Business Date")
    code: str = Field(..., title="Code")
    created_at: AwareDatetime = Field(..., title="Created At")
    exchange_rate: str = Field(..., title="Exchange Rate")
    id: UUID = Field(..., title="Id")
    is_active: bool = Field(..., title="Is Active")
    name: str = Field(..., title="Name")
    operates_with_non_members: bool = Field(..., title="Operates With Non Members")
    ruc: str = Field(..., title="Ruc")
    sbs_level: SbsLevel
    timezone: str = Field(..., title="Timezone")


class CooperativeUpdate(BaseModel):
    exchange_rate: ExchangeRate | str | None = Field(
        None,
        description="Soles per dollar for the cooperative's reports (federation figures, the large cash operations register)",
        title="Exchange Rate",
    )
    is_active: bool | None = Field(None, title="Is Active")
    name: Name | None = Field(None, title="Name")
    operates_with_non_members: bool | None = Field(
        None, title="Operates With Non Members"
    )
    ruc: str | None = Field(None, title="Ruc")
    sbs_level: SbsLevel | None = None


class Count(BaseModel):
    """
    What a teller counted in one currency; the denominations, if given, must add up.
    """

    amount: str = Field(
        ...,
        examples=["100.00"],
        pattern="^[0-9]{1,12}(\\.[0-9]{1,2})?$",
        title="Amount",
    )
    currency: Currency
    denominations: list[Denomination] | None = Field(None, title="Denominations")


class CounterAccountIn(BaseModel):
    code: str = Field(..., max_length=40, min_length=1, title="Code")
    currency: Currency
    purpose: CounterPurpose


class CounterAccountOut(BaseModel):
    code: str = Field(..., max_length=40, min_length=1, title="Code")
    currency: Currency
    purpose: CounterPurpose


class CounterSettingsIn(BaseModel):
    accounts: list[CounterAccountIn] | None = Field(
        None,
        description="The GL accounts the counter books to, by purpose",
        title="Accounts",
    )
    withdrawal_approval_above: list[ApprovalThreshold] | None = Field(
        None,
        description="Replaces the thresholds; a currency left out has none",
        title="Withdrawal Approval Above",
    )


class CounterSettingsOut(BaseModel):
    accounts: list[CounterAccountOut] = Field(..., title="Accounts")
    withdrawal_approval_above: list[ApprovalThreshold] = Field(
        ..., title="Withdrawal Approval Above"
    )


class DebtorsFileOut(BaseModel):
    """
    The debtor file (RCD, Anexo 6) as records; ``format=txt`` is the file itself.
    """

    cooperative_id: UUID = Field(..., title="Cooperative Id")
    debtors: int = Field(..., description="Distinct debtors", title="Debtors")
    period: str = Field(
        ...,
        examples=["2027-01"],
        pattern="^(19|2[0-9])[0-9]{2}-(0[1-9]|1[0-2])$",
        title="Period",
    )
    period_status: PeriodStatus
    records: list[DebtorRecordOut] = Field(..., title="Records")
    totals: list[FileTotalOut] = Field(..., title="Totals")


class DebtorsOut(BaseModel):
    """
    One line per debtor, credit type and currency (the SBS debtor report).
    """

    balance: str = Field(
        ...,
        description="In soles",
        examples=["100.00"],
        pattern="^-?[0-9]+\\.[0-9]{2}$",
        title="Balance",
    )
    cooperative_id: UUID = Field(..., title="Cooperative Id")
    debtors: int = Field(..., title="Debtors")
    lines: list[DebtorLineOut] = Field(..., title="Lines")
    period: str = Field(..., title="Period")
    period_status: PeriodStatus


class DeliveryOut(BaseModel):
    attempt_log: list[AttemptOut] = Field(..., title="Attempt Log")
    attempts: int = Field(..., title="Attempts")
    created_at: AwareDatetime = Field(..., title="Created At")
    delivered_at: AwareDatetime | None = Field(..., title="Delivered At")
    endpoint_id: UUID = Field(..., title="Endpoint Id")
    event_id: UUID = Field(..., title="Event Id")
    event_type: EventType | None
    id: UUID = Field(..., title="Id")
    last_error: str | None = Field(..., title="Last Error")
    last_status_code: int | None = Field(..., title="Last Status Code")
    next_attempt_at: AwareDatetime = Field(
        ..., description="When a worker may take it next", title="Next Attempt At"
    )
    status: DeliveryStatus


class DistributionOut(BaseModel):
    """
    An agreement and what it makes: the request (pending, approved...) and its figures.
    """

    agreement: AgreementOut
    decided_at: AwareDatetime | None = Field(..., title="Decided At")
    decided_by: str | None = Field(..., title="Decided By")
    education_fund: str = Field(
        ...,
        examples=["100.00"],
        pattern="^-?[0-9]+\\.[0-9]{2}$",
        title="Education Fund",
    )
    id: UUID = Field(..., title="Id")
    journal_entry_id: UUID | None = Field(..., title="Journal Entry Id")
    members: int = Field(..., description="Members credited", title="Members")
    requested_at: AwareDatetime = Field(..., title="Requested At")
    requested_by: str = Field(..., title="Requested By")
    reserve: str = Field(
        ...,
        description="To the reserva cooperativa, with what rounding left",
        examples=["100.00"],
        pattern="^-?[0-9]+\\.[0-9]{2}$",
        title="Reserve",
    )
    result: str = Field(
        ...,
        description="The year's result in soles (39x1)",
        examples=["100.00"],
        pattern="^-?[0-9]+\\.[0-9]{2}$",
        title="Result",
    )
    returns: str = Field(
        ..., examples=["100.00"], pattern="^-?[0-9]+\\.[0-9]{2}$", title="Returns"
    )
    share_interest: str = Field(
        ...,
        examples=["100.00"],
        pattern="^-?[0-9]+\\.[0-9]{2}$",
        title="Share Interest",
    )
    social_fund: str = Field(
        ..., examples=["100.00"], pattern="^-?[0-9]+\\.[0-9]{2}$", title="Social Fund"
    )
    status: ApprovalStatus
    year: int = Field(..., title="Year")


class EventOut(BaseModel):
    """
    A business event. ``cursor`` is where a consumer resumes after it.
    """

    business_date: date_aliased = Field(..., title="Business Date")
    cursor: str = Field(..., title="Cursor")
    data: dict[str, Any] = Field(..., title="Data")
    entry_id: UUID | None = Field(
        None, description="The journal entry of a money movement", title="Entry Id"
    )
    id: UUID = Field(
        ..., description="Also the webhook-id of its deliveries", title="Id"
    )
    occurred_at: AwareDatetime = Field(..., title="Occurred At")
    subject_id: str = Field(
        ..., description="Its id (a period's is its name, 2026-10)", title="Subject Id"
    )
    subject_kind: str = Field(
        ..., description="member, loan, journal_entry, ...", title="Subject Kind"
    )
    type: EventType


class ExchangeCreate(BaseModel):
    account_id: UUID | None = Field(
        None,
        description="For deposit_usd: the member's soles savings account",
        title="Account Id",
    )
    amount_usd: str = Field(
        ...,
        examples=["100.00"],
        pattern="^[0-9]{1,12}(\\.[0-9]{1,2})?$",
        title="Amount Usd",
    )
    description: Description | None = Field(None, title="Description")
    kind: ExchangeKind
    member_id: UUID = Field(..., title="Member Id")


class FederationUserCreate(BaseModel):
    full_name: str = Field(..., max_length=200, min_length=1, title="Full Name")
    roles: list[Role] = Field(
        ...,
        examples=[["federation_analyst"]],
        max_length=2,
        min_length=1,
        title="Roles",
    )
    username: str = Field(..., max_length=64, min_length=3, title="Username")


class GlAccountOut(BaseModel):
    allows_posting: bool = Field(..., title="Allows Posting")
    branch_id: UUID | None = Field(..., title="Branch Id")
    code: str = Field(..., title="Code")
    control_kind: AccountKind | None
    currency: Currency
    id: UUID = Field(..., title="Id")
    is_system: bool = Field(..., title="Is System")
    name: str = Field(..., title="Name")
    normal_side: NormalSide


class HoldOut(BaseModel):
    account_id: UUID = Field(..., title="Account Id")
    amount: str = Field(
        ..., examples=["100.00"], pattern="^-?[0-9]+\\.[0-9]{2}$", title="Amount"
    )
    id: UUID = Field(..., title="Id")
    loan_id: UUID | None = Field(None, title="Loan Id")
    placed_at: AwareDatetime = Field(..., title="Placed At")
    placed_by: str = Field(..., title="Placed By")
    reason: str = Field(..., title="Reason")
    released_at: AwareDatetime | None = Field(..., title="Released At")
    released_by: str | None = Field(..., title="Released By")
    status: HoldStatus


class ImportOut(BaseModel):
    approval: ImportApproval | None = Field(
        ...,
        description="The request for a second person's approval, once the check passed",
    )
    created_at: AwareDatetime = Field(..., title="Created At")
    created_by: str = Field(..., title="Created By")
    error: str | None = Field(..., title="Error")
    error_code: str | None = Field(
        ...,
        description="Why the job as a whole was refused: import_unbalanced (the suspense would not net to zero)",
        title="Error Code",
    )
    error_count: int = Field(..., title="Error Count")
    errors: list[ImportRowError] = Field(
        ..., description="The first 1,000 rows refused", title="Errors"
    )
    files: list[ImportFileOut] = Field(..., title="Files")
    finished_at: AwareDatetime | None = Field(..., title="Finished At")
    id: UUID = Field(..., title="Id")
    status: ImportStatus
    suspense: dict[str, str] = Field(
        ...,
        description="The migration suspense account (19x8) per currency when the job ended: zero once the old system's trial balance is in (gl_balances)",
        title="Suspense",
    )


class IndicatorRowOut(BaseModel):
    alerts: list[AlertOut] = Field(..., title="Alerts")
    borrowers: int = Field(..., title="Borrowers")
    capital_to_assets: CapitalToAssets | None = Field(..., title="Capital To Assets")
    code: str = Field(..., title="Code")
    cooperative_id: UUID = Field(..., title="Cooperative Id")
    deposits: str = Field(
        ...,
        description="The savings control accounts (21x1, 21x2, 21x3)",
        examples=["100.00"],
        pattern="^-?[0-9]+\\.[0-9]{2}$",
        title="Deposits",
    )
    digital_share: DigitalShare | None = Field(
        ...,
        description="Of them, those through a digital channel (an agent, the mobile app)",
        title="Digital Share",
    )
    gross_loans: str = Field(
        ...,
        description="14x1 + 14x4 + 14x5 + 14x6",
        examples=["100.00"],
        pattern="^-?[0-9]+\\.[0-9]{2}$",
        title="Gross Loans",
    )
    high_risk_ratio: HighRiskRatio | None = Field(..., title="High Risk Ratio")
    institutional_capital_ratio: InstitutionalCapitalRatio | None = Field(
        ..., title="Institutional Capital Ratio"
    )
    liquidity_pen: LiquidityPen | None = Field(
        ...,
        description="Liquid assets over short-term liabilities in soles (the supervisor's)",
        title="Liquidity Pen",
    )
    liquidity_ratio: LiquidityRatio | None = Field(..., title="Liquidity Ratio")
    liquidity_usd: LiquidityUsd | None = Field(
        ...,
        description="Liquid assets over short-term liabilities in dollars (the supervisor's)",
        title="Liquidity Usd",
    )
    loans_to_assets: LoansToAssets | None = Field(..., title="Loans To Assets")
    members: int = Field(..., title="Members")
    name: str = Field(..., title="Name")
    operations: int = Field(
        ...,
        description="The month's member operations, reversals left out",
        title="Operations",
    )
    overdue_loans: str = Field(
        ...,
        description="14x5 + 14x6",
        examples=["100.00"],
        pattern="^-?[0-9]+\\.[0-9]{2}$",
        title="Overdue Loans",
    )
    overdue_ratio: OverdueRatio | None = Field(..., title="Overdue Ratio")
    p1: P1 | None = Field(
        ...,
        description="PEARLS P1: the allowance over loans more than 12 months in arrears",
        title="P1",
    )
    p2: P2 | None = Field(
        ...,
        description="PEARLS P2: the allowance left after P1's over loans 1 to 12 months in arrears",
        title="P2",
    )
    par30: Par30 | None = Field(..., title="Par30")
    period_status: PeriodStatus
    provision_coverage: ProvisionCoverage | None = Field(
        ..., title="Provision Coverage"
    )
    provisions: str = Field(
        ...,
        description="The allowance booked (14x9)",
        examples=["100.00"],
        pattern="^-?[0-9]+\\.[0-9]{2}$",
        title="Provisions",
    )
    roa: Roa | None = Field(..., title="Roa")
    roe: Roe | None = Field(..., title="Roe")
    savers: int = Field(..., title="Savers")
    sbs_level: SbsLevel
    share_capital: str = Field(
        ..., examples=["100.00"], pattern="^-?[0-9]+\\.[0-9]{2}$", title="Share Capital"
    )
    total_assets: str = Field(
        ..., examples=["100.00"], pattern="^-?[0-9]+\\.[0-9]{2}$", title="Total Assets"
    )


class IndicatorsOut(BaseModel):
    """
    One row per cooperative that took the month; the federation's totals (ratios of
    the sums); amounts in soles, ratios as fractions.
    """

    cooperatives: list[IndicatorRowOut] = Field(..., title="Cooperatives")
    period: str = Field(..., title="Period")
    totals: IndicatorTotalsOut


class InsuredDepositsOut(BaseModel):
    """
    Each member's deposits and accrued interest against the Fondo de Seguro de Depósitos
    Cooperativo's cover, in soles.
    """

    cooperative_id: UUID = Field(..., title="Cooperative Id")
    cover: str = Field(
        ..., examples=["100.00"], pattern="^-?[0-9]+\\.[0-9]{2}$", title="Cover"
    )
    exchange_rate: str = Field(..., title="Exchange Rate")
    members: list[InsuredLineOut] = Field(..., title="Members")
    period: str = Field(..., title="Period")
    period_status: PeriodStatus
    sbs_level: SbsLevel
    totals: InsuredTotalsOut


class JournalEntryOut(BaseModel):
    actor_name: str = Field(..., title="Actor Name")
    booked_at: AwareDatetime = Field(..., title="Booked At")
    branch_id: UUID | None = Field(..., title="Branch Id")
    business_date: date_aliased = Field(..., title="Business Date")
    channel: Channel = Field(
        ..., description="Where it came in: the federation measures channels"
    )
    description: str | None = Field(..., title="Description")
    device_id: str | None = Field(..., title="Device Id")
    id: UUID = Field(..., title="Id")
    kind: EntryKind
    offline: bool = Field(
        ...,
        description="Recorded on a device with the link down, sent later",
        title="Offline",
    )
    postings: list[PostingOut] = Field(..., title="Postings")
    recorded_at: AwareDatetime | None = Field(
        ...,
        description="Recorded offline on a device at this moment (posted when it arrived)",
        title="Recorded At",
    )
    request_id: str | None = Field(..., title="Request Id")
    reversal_of: UUID | None = Field(..., title="Reversal Of")
    reversed_by: UUID | None = Field(..., title="Reversed By")
    seq: int = Field(..., title="Seq")
    till_session_id: UUID | None = Field(
        ..., description="The till whose cash it moved", title="Till Session Id"
    )
    value_date: date_aliased = Field(..., title="Value Date")


class LoanCreate(BaseModel):
    amount: str = Field(
        ...,
        examples=["100.00"],
        pattern="^[0-9]{1,12}(\\.[0-9]{1,2})?$",
        title="Amount",
    )
    collateral: list[CollateralIn] | None = Field(
        None, max_length=20, title="Collateral"
    )
    disbursement_date: date_aliased | None = Field(None, title="Disbursement Date")
    due_dates: DueDates | None = Field(None, title="Due Dates")
    first_due_date: date_aliased | None = Field(None, title="First Due Date")
    frequency: Frequency | None = Field(None, description="Default: the product's")
    grace_periods: int | None = Field(0, ge=0, le=60, title="Grace Periods")
    grace_type: GraceType | None = GraceType.none
    guarantor_ids: list[UUID] | None = Field(None, max_length=10, title="Guarantor Ids")
    member_id: UUID = Field(..., title="Member Id")
    method: Method | None = Field(None, description="Default: the product's")
    principal_by_date: PrincipalByDate | None = Field(None, title="Principal By Date")
    product_id: UUID = Field(..., title="Product Id")
    purpose: Purpose
    purpose_detail: PurposeDetail | None = Field(None, title="Purpose Detail")
    tea: str = Field(
        ..., examples=["0.0350"], pattern="^[0-9]{1,2}(\\.[0-9]{1,6})?$", title="Tea"
    )
    term: int = Field(..., ge=1, le=360, title="Term")


class LoanOut(BaseModel):
    accounting_status: AccountingStatus = Field(
        ...,
        description="Where its principal sits: current (vigente, 14x1), overdue (vencido, 14x5) or judicial (cobranza judicial, 14x6)",
    )
    accrued_interest: str = Field(
        ...,
        description="Interest and moratory interest accrued and not collected, in 14x8",
        examples=["100.00"],
        pattern="^-?[0-9]+\\.[0-9]{2}$",
        title="Accrued Interest",
    )
    amount: str = Field(
        ..., examples=["100.00"], pattern="^-?[0-9]+\\.[0-9]{2}$", title="Amount"
    )
    balance: str = Field(
        ...,
        description="Outstanding principal",
        examples=["100.00"],
        pattern="^-?[0-9]+\\.[0-9]{2}$",
        title="Balance",
    )
    category: Category = Field(..., description="SBS category of this loan")
    closed_on: date_aliased | None = Field(..., title="Closed On")
    commission: str = Field(
        ..., examples=["100.00"], pattern="^-?[0-9]+\\.[0-9]{2}$", title="Commission"
    )
    created_by: str = Field(..., title="Created By")
    credit_type: CreditType
    currency: Currency
    days_past_due: int = Field(..., title="Days Past Due")
    debtor_category: Category = Field(
        ..., description="The debtor's: the worst of their loans"
    )
    decided_by: str | None = Field(..., title="Decided By")
    decision_note: str | None = Field(..., title="Decision Note")
    deferred_interest: str | None = Field(
        "0.00",
        description="A refinanced loan's capitalised interest and fees not yet income (29x1.02): income as its principal is collected",
        examples=["100.00"],
        pattern="^-?[0-9]+\\.[0-9]{2}$",
        title="Deferred Interest",
    )
    disbursed_on: date_aliased | None = Field(..., title="Disbursed On")
    disbursement_date: date_aliased = Field(..., title="Disbursement Date")
    frequency: Frequency
    guarantee: Guarantee
    guarantor_ids: list[UUID] = Field(..., title="Guarantor Ids")
    id: UUID = Field(..., title="Id")
    judicial_balance: str = Field(
        ...,
        description="Principal in cobranza judicial (14x6)",
        examples=["100.00"],
        pattern="^-?[0-9]+\\.[0-9]{2}$",
        title="Judicial Balance",
    )
    member_id: UUID = Field(..., title="Member Id")
    method: Method
    number: str = Field(..., title="Number")
    overdue_amount: str = Field(
        ...,
        description="Installments due and unpaid, moratory interest included",
        examples=["100.00"],
        pattern="^-?[0-9]+\\.[0-9]{2}$",
        title="Overdue Amount",
    )
    overdue_balance: str = Field(
        ...,
        description="Principal in créditos vencidos (14x5)",
        examples=["100.00"],
        pattern="^-?[0-9]+\\.[0-9]{2}$",
        title="Overdue Balance",
    )
    product_id: UUID = Field(..., title="Product Id")
    provision: str = Field(
        ...,
        description="Provision booked at the last month end (14x9)",
        examples=["100.00"],
        pattern="^-?[0-9]+\\.[0-9]{2}$",
        title="Provision",
    )
    purpose: Purpose
    purpose_detail: str | None = Field(..., title="Purpose Detail")
    refinanced_from_id: UUID | None = Field(
        None,
        description="A refinanced loan (14x4): the loan it replaced",
        title="Refinanced From Id",
    )
    status: LoanStatus
    suspended_interest: str = Field(
        ...,
        description="Interest accrued and not collected carried in suspense (memorandum)",
        examples=["100.00"],
        pattern="^-?[0-9]+\\.[0-9]{2}$",
        title="Suspended Interest",
    )
    tcea: Tcea | None = Field(
        ..., description="The TCEA agreed at disbursement", title="Tcea"
    )
    tea: str = Field(
        ..., examples=["0.035000"], pattern="^-?[0-9]+\\.[0-9]{6}$", title="Tea"
    )
    term: int = Field(..., title="Term")
    write_off_requested_by: str | None = Field(
        ...,
        description="A write-off waiting for a second person's approval",
        title="Write Off Requested By",
    )
    written_off_balance: str = Field(
        ...,
        description="Written off and not yet recovered (memorandum accounts)",
        examples=["100.00"],
        pattern="^-?[0-9]+\\.[0-9]{2}$",
        title="Written Off Balance",
    )


class LoanProductCreate(BaseModel):
    amount_max: str = Field(
        ...,
        examples=["100.00"],
        pattern="^[0-9]{1,12}(\\.[0-9]{1,2})?$",
        title="Amount Max",
    )
    amount_min: str = Field(
        ...,
        examples=["100.00"],
        pattern="^[0-9]{1,12}(\\.[0-9]{1,2})?$",
        title="Amount Min",
    )
    code: str = Field(..., max_length=20, min_length=1, title="Code")
    commission_rate: str | None = Field(
        "0",
        examples=["0.0350"],
        pattern="^[0-9]{1,2}(\\.[0-9]{1,6})?$",
        title="Commission Rate",
    )
    credit_type: CreditType
    currency: Currency | None = Currency.PEN
    frequency: Frequency | None = Frequency.monthly
    guarantors_required: int | None = Field(0, ge=0, le=5, title="Guarantors Required")
    insurance_monthly_rate: str | None = Field(
        "0",
        examples=["0.0350"],
        pattern="^[0-9]{1,2}(\\.[0-9]{1,6})?$",
        title="Insurance Monthly Rate",
    )
    is_agricultural: bool | None = Field(False, title="Is Agricultural")
    max_grace_periods: int | None = Field(0, ge=0, le=60, title="Max Grace Periods")
    method: Method | None = Method.french
    moratory_tea: str | None = Field(
        "0",
        examples=["0.0350"],
        pattern="^[0-9]{1,2}(\\.[0-9]{1,6})?$",
        title="Moratory Tea",
    )
    name: str = Field(..., max_length=200, min_length=1, title="Name")
    tea_max: str = Field(
        ...,
        examples=["0.0350"],
        pattern="^[0-9]{1,2}(\\.[0-9]{1,6})?$",
        title="Tea Max",
    )
    tea_min: str = Field(
        ...,
        examples=["0.0350"],
        pattern="^[0-9]{1,2}(\\.[0-9]{1,6})?$",
        title="Tea Min",
    )
    term_max: int = Field(..., ge=1, le=360, title="Term Max")
    term_min: int = Field(..., ge=1, le=360, title="Term Min")


class LoanProductOut(BaseModel):
    amount_max: str = Field(
        ..., examples=["100.00"], pattern="^-?[0-9]+\\.[0-9]{2}$", title="Amount Max"
    )
    amount_min: str = Field(
        ..., examples=["100.00"], pattern="^-?[0-9]+\\.[0-9]{2}$", title="Amount Min"
    )
    code: str = Field(..., title="Code")
    commission_rate: str = Field(
        ...,
        examples=["0.035000"],
        pattern="^-?[0-9]+\\.[0-9]{6}$",
        title="Commission Rate",
    )
    credit_type: CreditType
    currency: Currency
    frequency: Frequency
    gl_account_id: UUID = Field(..., title="Gl Account Id")
    guarantors_required: int = Field(..., title="Guarantors Required")
    id: UUID = Field(..., title="Id")
    insurance_monthly_rate: str = Field(
        ...,
        examples=["0.035000"],
        pattern="^-?[0-9]+\\.[0-9]{6}$",
        title="Insurance Monthly Rate",
    )
    is_active: bool = Field(..., title="Is Active")
    is_agricultural: bool = Field(..., title="Is Agricultural")
    max_grace_periods: int = Field(..., title="Max Grace Periods")
    method: Method
    moratory_tea: str = Field(
        ...,
        examples=["0.035000"],
        pattern="^-?[0-9]+\\.[0-9]{6}$",
        title="Moratory Tea",
    )
    name: str = Field(..., title="Name")
    tea_max: str = Field(
        ..., examples=["0.035000"], pattern="^-?[0-9]+\\.[0-9]{6}$", title="Tea Max"
    )
    tea_min: str = Field(
        ..., examples=["0.035000"], pattern="^-?[0-9]+\\.[0-9]{6}$", title="Tea Min"
    )
    term_max: int = Field(..., title="Term Max")
    term_min: int = Field(..., title="Term Min")


class LoanScheduleOut(BaseModel):
    installments: list[ScheduleInstallmentOut] = Field(..., title="Installments")
    loan_id: UUID = Field(..., title="Loan Id")
    tcea: Tcea1 | None = Field(..., title="Tcea")


class LoanSimulationOut(BaseModel):
    amount: str = Field(
        ..., examples=["100.00"], pattern="^-?[0-9]+\\.[0-9]{2}$", title="Amount"
    )
    amount_received: str = Field(
        ...,
        description="Amount less the commission withheld",
        examples=["100.00"],
        pattern="^-?[0-9]+\\.[0-9]{2}$",
        title="Amount Received",
    )
    currency: Currency
    disbursement_date: date_aliased = Field(..., title="Disbursement Date")
    installment: Installment | None = Field(
        ..., description="The level installment (French method)", title="Installment"
    )
    installments: list[InstallmentOut] = Field(..., title="Installments")
    tcea: str = Field(
        ...,
        description="Tasa de costo efectivo anual, as a fraction",
        examples=["0.035000"],
        pattern="^-?[0-9]+\\.[0-9]{6}$",
        title="Tcea",
    )
    tea: str = Field(
        ..., examples=["0.035000"], pattern="^-?[0-9]+\\.[0-9]{6}$", title="Tea"
    )
    totals: ScheduleTotals


class LoanSimulationRequest(BaseModel):
    amount: str = Field(
        ...,
        examples=["100.00"],
        pattern="^[0-9]{1,12}(\\.[0-9]{1,2})?$",
        title="Amount",
    )
    commission: str | None = Field(
        "0.00",
        description="One-off, withheld at disbursement",
        examples=["100.00"],
        pattern="^[0-9]{1,12}(\\.[0-9]{1,2})?$",
        title="Commission",
    )
    currency: Currency | None = Currency.PEN
    disbursement_date: date_aliased | None = Field(
        None, description="Default: the business date", title="Disbursement Date"
    )
    due_dates: DueDates1 | None = Field(
        None, description="For frequency 'dates'", title="Due Dates"
    )
    first_due_date: date_aliased | None = Field(
        None, description="Default: one period later", title="First Due Date"
    )
    frequency: Frequency | None = Frequency.monthly
    grace_periods: int | None = Field(0, ge=0, le=60, title="Grace Periods")
    grace_type: GraceType | None = GraceType.none
    installment_fee: str | None = Field(
        "0.00",
        description="Charged with each installment",
        examples=["100.00"],
        pattern="^[0-9]{1,12}(\\.[0-9]{1,2})?$",
        title="Installment Fee",
    )
    insurance_monthly_rate: str | None = Field(
        "0",
        description="Desgravamen: monthly rate on the outstanding balance",
        examples=["0.0350"],
        pattern="^[0-9]{1,2}(\\.[0-9]{1,6})?$",
        title="Insurance Monthly Rate",
    )
    method: Method | None = Method.french
    principal_by_date: PrincipalByDate1 | None = Field(
        None, description="For method 'irregular'", title="Principal By Date"
    )
    tea: str = Field(
        ...,
        description="Tasa efectiva anual as a fraction: 0.2400 is 24% a year",
        examples=["0.0350"],
        pattern="^[0-9]{1,2}(\\.[0-9]{1,6})?$",
        title="Tea",
    )
    term: int = Field(
        ...,
        description="Number of installments, grace included",
        ge=1,
        le=360,
        title="Term",
    )


class MeResponse(BaseModel):
    api_key_id: UUID | None = Field(None, title="Api Key Id")
    cooperative_id: UUID | None = Field(..., title="Cooperative Id")
    full_name: str | None = Field(None, title="Full Name")
    id: UUID | None = Field(
        ..., description="The user's id; empty for an API key", title="Id"
    )
    password_change_required: bool | None = Field(
        False, title="Password Change Required"
    )
    roles: list[RoleGrantOut] = Field(..., title="Roles")
    username: str = Field(..., examples=["cajero.puno"], title="Username")


class MemberCreate(BaseModel):
    address: Address1 | None = Field(None, title="Address")
    birth_date: date_aliased | None = Field(None, title="Birth Date")
    branch_id: UUID | None = Field(
        None,
        description="The member's branch (agencia de afiliación); by default the registering teller's branch",
        title="Branch Id",
    )
    document_number: str = Field(..., max_length=15, title="Document Number")
    document_type: DocumentType
    email: Email | None = Field(None, title="Email")
    first_names: FirstNames | None = Field(None, title="First Names")
    is_member: bool | None = Field(
        True, description="False for a client who is not a member", title="Is Member"
    )
    last_names: LastNames | None = Field(None, title="Last Names")
    legal_name: LegalName | None = Field(None, title="Legal Name")
    occupation: Occupation | None = Field(None, title="Occupation")
    phone: Phone | None = Field(None, title="Phone")
    related_party: bool | None = Field(
        False,
        description="A director, officer or employee of the cooperative, or their relative: their loans together are held to the related-parties limit",
        title="Related Party",
    )
    sex: Sex | None = None
    status: Status | None = Field(Status.active, title="Status")
    ubigeo: str | None = Field(None, title="Ubigeo")


class MemberOut(BaseModel):
    address: str | None = Field(..., title="Address")
    admitted_on: date_aliased | None = Field(..., title="Admitted On")
    applied_on: date_aliased = Field(..., title="Applied On")
    birth_date: date_aliased | None = Field(..., title="Birth Date")
    branch_id: UUID | None = Field(None, title="Branch Id")
    cooperative_id: UUID = Field(..., title="Cooperative Id")
    created_at: AwareDatetime = Field(..., title="Created At")
    deceased_on: date_aliased | None = Field(..., title="Deceased On")
    document_number: str = Field(..., title="Document Number")
    document_type: DocumentType
    email: str | None = Field(..., title="Email")
    first_names: str | None = Field(..., title="First Names")
    id: UUID = Field(..., title="Id")
    is_member: bool = Field(..., title="Is Member")
    last_names: str | None = Field(..., title="Last Names")
    legal_name: str | None = Field(..., title="Legal Name")
    member_number: str = Field(..., title="Member Number")
    occupation: str | None = Field(..., title="Occupation")
    phone: str | None = Field(..., title="Phone")
    related_party: bool | None = Field(False, title="Related Party")
    sex: Sex | None
    status: MemberStatus
    status_document: str | None = Field(None, title="Status Document")
    suspended_on: date_aliased | None = Field(..., title="Suspended On")
    ubigeo: str | None = Field(..., title="Ubigeo")
    withdrawn_on: date_aliased | None = Field(..., title="Withdrawn On")


class MemberShares(BaseModel):
    items: list[MemberShareOut] = Field(..., title="Items")
    status: SharesStatus
    year: int = Field(..., title="Year")


class MemberUpdate(BaseModel):
    address: Address1 | None = Field(None, title="Address")
    birth_date: date_aliased | None = Field(None, title="Birth Date")
    branch_id: UUID | None = Field(
        None,
        description="Move the member to another branch (manager or admin)",
        title="Branch Id",
    )
    document_reference: DocumentReference | None = Field(
        None,
        description="Required to record a withdrawal or a death: the letter or certificate",
        title="Document Reference",
    )
    email: Email | None = Field(None, title="Email")
    first_names: FirstNames | None = Field(None, title="First Names")
    last_names: LastNames | None = Field(None, title="Last Names")
    legal_name: LegalName | None = Field(None, title="Legal Name")
    occupation: Occupation | None = Field(None, title="Occupation")
    phone: Phone | None = Field(None, title="Phone")
    related_party: bool | None = Field(
        None,
        description="A director, officer or employee of the cooperative, or their relative: their loans together are held to the related-parties limit (manager or admin)",
        title="Related Party",
    )
    sex: Sex | None = None
    status: MemberStatus | None = None
    ubigeo: str | None = Field(None, title="Ubigeo")


class OfflineOperation(BaseModel):
    body: dict[str, Any] = Field(
        ...,
        description="The endpoint's body plus the ids its path carries (account_id, member_id, loan_id)",
        title="Body",
    )
    idempotency_key: str = Field(
        ...,
        description="The operation's own key, as its Idempotency-Key were it sent alone",
        max_length=200,
        min_length=1,
        title="Idempotency Key",
    )
    recorded_at: AwareDatetime = Field(
        ..., description="When the device recorded it", title="Recorded At"
    )
    type: OfflineOperationType


class OperationLimitIn(BaseModel):
    currency: Currency
    operation: EntryKind
    per_day: PerDay | None = Field(
        None, description="Empty: no daily total", title="Per Day"
    )
    per_operation: str = Field(
        ...,
        examples=["100.00"],
        pattern="^[0-9]{1,12}(\\.[0-9]{1,2})?$",
        title="Per Operation",
    )
    role: Role


class OperationLimitOut(BaseModel):
    currency: Currency
    operation: EntryKind
    per_day: PerDay1 | None = Field(..., title="Per Day")
    per_operation: str = Field(
        ..., examples=["100.00"], pattern="^-?[0-9]+\\.[0-9]{2}$", title="Per Operation"
    )
    role: Role
    source: Source = Field(..., title="Source")


class OperationResult(BaseModel):
    http_status: int | None = Field(
        ..., description="The HTTP status it would have had alone", title="Http Status"
    )
    idempotency_key: str = Field(..., title="Idempotency Key")
    problem: dict[str, Any] | None = Field(None, title="Problem")
    replayed: bool = Field(
        ..., description="Answered from a former send of the same key", title="Replayed"
    )
    result: dict[str, Any] | None = Field(None, title="Result")
    status: OperationStatus
    type: OfflineOperationType


class PageAdjustmentRequestOut(BaseModel):
    items: list[AdjustmentRequestOut] = Field(..., title="Items")
    next_cursor: str | None = Field(None, title="Next Cursor")


class PageApiKeyOut(BaseModel):
    items: list[ApiKeyOut] = Field(..., title="Items")
    next_cursor: str | None = Field(None, title="Next Cursor")


class PageCooperativeOut(BaseModel):
    items: list[CooperativeOut] = Field(..., title="Items")
    next_cursor: str | None = Field(None, title="Next Cursor")


class PageDeliveryOut(BaseModel):
    items: list[DeliveryOut] = Field(..., title="Items")
    next_cursor: str | None = Field(None, title="Next Cursor")


class PageGlAccountOut(BaseModel):
    items: list[GlAccountOut] = Field(..., title="Items")
    next_cursor: str | None = Field(None, title="Next Cursor")


class PageHoldOut(BaseModel):
    items: list[HoldOut] = Field(..., title="Items")
    next_cursor: str | None = Field(None, title="Next Cursor")


class PageImportOut(BaseModel):
    items: list[ImportOut] = Field(..., title="Items")
    next_cursor: str | None = Field(None, title="Next Cursor")


class PageJournalEntryOut(BaseModel):
    items: list[JournalEntryOut] = Field(..., title="Items")
    next_cursor: str | None = Field(None, title="Next Cursor")


class PageLoanOut(BaseModel):
    items: list[LoanOut] = Field(..., title="Items")
    next_cursor: str | None = Field(None, title="Next Cursor")


class PageLoanProductOut(BaseModel):
    items: list[LoanProductOut] = Field(..., title="Items")
    next_cursor: str | None = Field(None, title="Next Cursor")


class PageMemberOut(BaseModel):
    items: list[MemberOut] = Field(..., title="Items")
    next_cursor: str | None = Field(None, title="Next Cursor")


class PageOperationLimitOut(BaseModel):
    items: list[OperationLimitOut] = Field(..., title="Items")
    next_cursor: str | None = Field(None, title="Next Cursor")


class PageRateOut(BaseModel):
    items: list[RateOut] = Field(..., title="Items")
    next_cursor: str | None = Field(None, title="Next Cursor")


class PageReversalRequestOut(BaseModel):
    items: list[ReversalRequestOut] = Field(..., title="Items")
    next_cursor: str | None = Field(None, title="Next Cursor")


class PageSavingsAccountOut(BaseModel):
    items: list[SavingsAccountOut] = Field(..., title="Items")
    next_cursor: str | None = Field(None, title="Next Cursor")


class PageSavingsProductOut(BaseModel):
    items: list[SavingsProductOut] = Field(..., title="Items")
    next_cursor: str | None = Field(None, title="Next Cursor")


class PageScreeningListOut(BaseModel):
    items: list[ScreeningListOut] = Field(..., title="Items")
    next_cursor: str | None = Field(None, title="Next Cursor")


class PageSuspiciousReportOut(BaseModel):
    items: list[SuspiciousReportOut] = Field(..., title="Items")
    next_cursor: str | None = Field(None, title="Next Cursor")


class PageTillOut(BaseModel):
    items: list[TillOut] = Field(..., title="Items")
    next_cursor: str | None = Field(None, title="Next Cursor")


class PageTillSessionOut(BaseModel):
    items: list[TillSessionOut] = Field(..., title="Items")
    next_cursor: str | None = Field(None, title="Next Cursor")


class PageUserAccessRequestOut(BaseModel):
    items: list[UserAccessRequestOut] = Field(..., title="Items")
    next_cursor: str | None = Field(None, title="Next Cursor")


class PageUserOut(BaseModel):
    items: list[UserOut] = Field(..., title="Items")
    next_cursor: str | None = Field(None, title="Next Cursor")


class PageWebhookEndpointOut(BaseModel):
    items: list[WebhookEndpointOut] = Field(..., title="Items")
    next_cursor: str | None = Field(None, title="Next Cursor")


class PeriodOut(BaseModel):
    """
    A month as close of business took it, and whether the accountant closed it.
    """

    borrowers: int = Field(..., title="Borrowers")
    breakdown: dict[str, Any] = Field(
        ...,
        description="Members, savers and borrowers by sex and by branch; deposits by product",
        title="Breakdown",
    )
    closed_at: AwareDatetime | None = Field(..., title="Closed At")
    closed_by: str | None = Field(..., title="Closed By")
    deposits: str = Field(
        ..., examples=["100.00"], pattern="^-?[0-9]+\\.[0-9]{2}$", title="Deposits"
    )
    exchange_rate: str = Field(..., title="Exchange Rate")
    gross_loans: str = Field(
        ..., examples=["100.00"], pattern="^-?[0-9]+\\.[0-9]{2}$", title="Gross Loans"
    )
    members: int = Field(..., title="Members")
    net_income: str = Field(
        ...,
        description="Of the year up to the month end",
        examples=["100.00"],
        pattern="^-?[0-9]+\\.[0-9]{2}$",
        title="Net Income",
    )
    overdue_loans: str = Field(
        ..., examples=["100.00"], pattern="^-?[0-9]+\\.[0-9]{2}$", title="Overdue Loans"
    )
    period: str = Field(..., title="Period")
    period_end: date_aliased = Field(..., title="Period End")
    provisions: str = Field(
        ..., examples=["100.00"], pattern="^-?[0-9]+\\.[0-9]{2}$", title="Provisions"
    )
    refreshed_at: AwareDatetime | None = Field(
        ...,
        description="When an adjustment dated in the month last took its balances again",
        title="Refreshed At",
    )
    savers: int = Field(..., title="Savers")
    status: PeriodStatus
    taken_at: AwareDatetime = Field(..., title="Taken At")
    total_assets: str = Field(
        ..., examples=["100.00"], pattern="^-?[0-9]+\\.[0-9]{2}$", title="Total Assets"
    )


class Portfolio(BaseModel):
    as_of: date_aliased = Field(..., title="As Of")
    balance: str = Field(
        ..., examples=["100.00"], pattern="^-?[0-9]+\\.[0-9]{2}$", title="Balance"
    )
    by_category: list[PortfolioCategory] = Field(..., title="By Category")
    by_credit_type: list[PortfolioCreditType] = Field(..., title="By Credit Type")
    currency: Currency
    high_risk_ratio: str | None = Field(
        "0.000000",
        description="Cartera de alto riesgo (atrasada and refinanced) / cartera total",
        examples=["0.035000"],
        pattern="^-?[0-9]+\\.[0-9]{6}$",
        title="High Risk Ratio",
    )
    loans: int = Field(..., title="Loans")
    overdue_balance: str = Field(
        ...,
        description="Balance of loans past the overdue threshold",
        examples=["100.00"],
        pattern="^-?[0-9]+\\.[0-9]{2}$",
        title="Overdue Balance",
    )
    overdue_ratio: str = Field(
        ...,
        description="Cartera atrasada / cartera total",
        examples=["0.035000"],
        pattern="^-?[0-9]+\\.[0-9]{6}$",
        title="Overdue Ratio",
    )
    par30: str = Field(
        ...,
        description="Balance of loans more than 30 days past due / total",
        examples=["0.035000"],
        pattern="^-?[0-9]+\\.[0-9]{6}$",
        title="Par30",
    )
    provisions_required: str = Field(
        ...,
        examples=["100.00"],
        pattern="^-?[0-9]+\\.[0-9]{2}$",
        title="Provisions Required",
    )
    refinanced_balance: str | None = Field(
        "0.00",
        description="Balance of refinanced loans not past the overdue threshold (14x4)",
        examples=["100.00"],
        pattern="^-?[0-9]+\\.[0-9]{2}$",
        title="Refinanced Balance",
    )


class ScreeningHoldOut(BaseModel):
    """
    An admission or a cash operation held because its person is on a list: the
    compliance officer approves it (it then happens) or refuses it.
    """

    amount: str | None = Field(..., title="Amount")
    currency: Currency | None
    decided_at: AwareDatetime | None = Field(..., title="Decided At")
    decided_by: str | None = Field(..., title="Decided By")
    decision_note: str | None = Field(..., title="Decision Note")
    hits: list[ScreeningHit] = Field(..., title="Hits")
    id: UUID = Field(..., title="Id")
    member_id: UUID | None = Field(..., title="Member Id")
    operation: HeldOperation
    requested_at: AwareDatetime = Field(..., title="Requested At")
    requested_by: str = Field(..., title="Requested By")
    result: dict[str, Any] | None = Field(
        None, description="Once approved: what the operation answered", title="Result"
    )
    status: ScreeningHoldStatus


class SeriesLineOut(BaseModel):
    code: str = Field(..., title="Code")
    cooperative_id: UUID = Field(..., title="Cooperative Id")
    name: str = Field(..., title="Name")
    points: list[SeriesPointOut] = Field(..., title="Points")


class SeriesOut(BaseModel):
    cooperatives: list[SeriesLineOut] = Field(..., title="Cooperatives")
    indicator: Indicator
    period_from: str = Field(..., title="Period From")
    period_to: str = Field(..., title="Period To")


class SessionClose(BaseModel):
    counted: list[Count] | None = Field(None, title="Counted")


class SessionOpen(BaseModel):
    counted: list[Count] | None = Field(None, title="Counted")


class SettingsOut(BaseModel):
    cash_thresholds: CashThresholds
    indicator_targets: dict[Indicator, Target] = Field(..., title="Indicator Targets")
    updated_at: str | None = Field(..., title="Updated At")
    updated_by: str | None = Field(..., title="Updated By")


class SettingsUpdate(BaseModel):
    """
    What is given replaces what was: the whole set of targets, the thresholds.
    """

    model_config = ConfigDict(
        extra="forbid",
    )
    cash_thresholds: CashThresholds | None = None
    indicator_targets: dict[Indicator, Target] | None = Field(
        None, title="Indicator Targets"
    )


class ShareAccountOut(BaseModel):
    balance: str = Field(
        ..., examples=["100.00"], pattern="^-?[0-9]+\\.[0-9]{2}$", title="Balance"
    )
    closed_on: date_aliased | None = Field(..., title="Closed On")
    currency: Currency
    id: UUID = Field(..., title="Id")
    member_id: UUID = Field(..., title="Member Id")
    opened_on: date_aliased = Field(..., title="Opened On")
    status: ShareAccountStatus


class StatementGroupOut(BaseModel):
    accounts: list[StatementLineOut] = Field(..., title="Accounts")
    current: str = Field(
        ..., examples=["100.00"], pattern="^-?[0-9]+\\.[0-9]{2}$", title="Current"
    )
    group: str = Field(
        ...,
        description="The SBS group (two digits); 3R: results in equity",
        title="Group",
    )
    name: str = Field(..., title="Name")
    previous: Previous | None = Field(..., title="Previous")


class StatementSectionOut(BaseModel):
    current: str = Field(
        ..., examples=["100.00"], pattern="^-?[0-9]+\\.[0-9]{2}$", title="Current"
    )
    groups: list[StatementGroupOut] = Field(..., title="Groups")
    key: str = Field(..., title="Key")
    name: str = Field(..., title="Name")
    previous: Previous | None = Field(..., title="Previous")


class SyncBatch(BaseModel):
    device_id: str = Field(..., max_length=100, min_length=1, title="Device Id")
    operations: list[OfflineOperation] = Field(
        ..., max_length=1000, min_length=1, title="Operations"
    )
    stop_on_error: bool | None = Field(
        False,
        description="Stop at the first refused operation (the rest: skipped)",
        title="Stop On Error",
    )


class SyncBatchOut(BaseModel):
    applied: int = Field(..., title="Applied")
    device_id: str = Field(..., title="Device Id")
    received: int = Field(..., title="Received")
    refused: int = Field(..., title="Refused")
    results: list[OperationResult] = Field(..., title="Results")
    skipped: int = Field(..., title="Skipped")


class TillCreate(BaseModel):
    cash_limits: list[CashLimit] | None = Field(
        None,
        description="A ceiling per currency: above it, cash goes to the vault",
        title="Cash Limits",
    )
    code: str = Field(
        ..., max_length=10, min_length=1, pattern="^[A-Z0-9]+$", title="Code"
    )
    name: str = Field(..., max_length=100, min_length=1, title="Name")


class TillTransferOut(BaseModel):
    amount: str = Field(
        ..., examples=["100.00"], pattern="^-?[0-9]+\\.[0-9]{2}$", title="Amount"
    )
    branch_id: UUID = Field(..., title="Branch Id")
    currency: Currency
    from_till_id: UUID = Field(..., title="From Till Id")
    id: UUID = Field(..., title="Id")
    receive_journal_entry_id: UUID | None = Field(
        None, title="Receive Journal Entry Id"
    )
    received_at: AwareDatetime | None = Field(None, title="Received At")
    received_by: str | None = Field(None, title="Received By")
    send_journal_entry_id: UUID = Field(..., title="Send Journal Entry Id")
    sent_at: AwareDatetime = Field(..., title="Sent At")
    sent_by: str = Field(..., title="Sent By")
    status: TransferStatus
    to_till_id: UUID = Field(..., title="To Till Id")


class TillUpdate(BaseModel):
    cash_limits: list[CashLimit] | None = Field(
        None,
        description="Replaces the ceilings; an amount of 0.00 removes one",
        title="Cash Limits",
    )
    name: Name1 | None = Field(None, title="Name")


class TrialBalance(BaseModel):
    accounts: list[TrialBalanceAccount] = Field(..., title="Accounts")
    as_of: date_aliased = Field(..., title="As Of")
    currency: Currency
    total_credits: str = Field(
        ..., examples=["100.00"], pattern="^-?[0-9]+\\.[0-9]{2}$", title="Total Credits"
    )
    total_debits: str = Field(
        ..., examples=["100.00"], pattern="^-?[0-9]+\\.[0-9]{2}$", title="Total Debits"
    )


class TrialBalanceFileOut(BaseModel):
    """
    The month's trial balance in the supervisor's layout: every account with a balance or
    a movement, per currency and in soles.
    """

    cooperative_id: UUID = Field(..., title="Cooperative Id")
    exchange_rate: str = Field(..., title="Exchange Rate")
    lines: list[TrialBalanceFileLineOut] = Field(..., title="Lines")
    period: str = Field(
        ...,
        examples=["2027-01"],
        pattern="^(19|2[0-9])[0-9]{2}-(0[1-9]|1[0-2])$",
        title="Period",
    )
    period_status: PeriodStatus
    totals: list[TrialBalanceFileTotalOut] = Field(
        ..., description="The month's, per currency", title="Totals"
    )


class WithdrawalRequestOut(BaseModel):
    account_id: UUID = Field(..., title="Account Id")
    amount: str = Field(
        ..., examples=["100.00"], pattern="^-?[0-9]+\\.[0-9]{2}$", title="Amount"
    )
    currency: Currency
    decided_at: AwareDatetime | None = Field(..., title="Decided At")
    decided_by: str | None = Field(..., title="Decided By")
    decision_note: str | None = Field(..., title="Decision Note")
    description: str | None = Field(..., title="Description")
    expires_at: AwareDatetime | None = Field(
        None,
        description="Undecided by then, it expires: it is asked for again",
        title="Expires At",
    )
    id: UUID = Field(..., title="Id")
    journal_entry_id: UUID | None = Field(..., title="Journal Entry Id")
    receipt_number: str | None = Field(..., title="Receipt Number")
    requested_at: AwareDatetime = Field(..., title="Requested At")
    requested_by: str = Field(..., title="Requested By")
    status: WithdrawalStatus
    till_session_id: UUID = Field(..., title="Till Session Id")


class AgreedDistribution(BaseModel):
    """
    A year's distribution as applied: the assembly's agreement and what it made.
    """

    agreement: AgreementOut
    education_fund: EducationFund | None = Field(None, title="Education Fund")
    journal_entry_id: UUID | None = Field(None, title="Journal Entry Id")
    members: int | None = Field(None, title="Members")
    reserve: Reserve | None = Field(None, title="Reserve")
    returns: Returns | None = Field(None, title="Returns")
    share_interest: ShareInterest | None = Field(None, title="Share Interest")
    social_fund: SocialFund | None = Field(None, title="Social Fund")


class ClassificationOut(BaseModel):
    """
    The SBS classification annex: credit types by the debtors' categories (after
    alignment), in soles.
    """

    allowance_in_ledger: str = Field(
        ...,
        description="The provisions booked in 14x9 at the month end, in soles",
        examples=["100.00"],
        pattern="^-?[0-9]+\\.[0-9]{2}$",
        title="Allowance In Ledger",
    )
    cooperative_id: UUID = Field(..., title="Cooperative Id")
    exchange_rate: str = Field(..., title="Exchange Rate")
    high_risk_loans: str | None = Field(
        "0.00",
        description="Cartera de alto riesgo in the ledger at the month end, in soles: vencidos (14x5), judicial (14x6) and refinanced (14x4)",
        examples=["100.00"],
        pattern="^-?[0-9]+\\.[0-9]{2}$",
        title="High Risk Loans",
    )
    high_risk_ratio: str | None = Field(
        "0", description="Cartera de alto riesgo / gross loans", title="High Risk Ratio"
    )
    period: str = Field(..., title="Period")
    period_status: PeriodStatus
    rows: list[ClassificationRowOut] = Field(..., title="Rows")
    totals: ClassificationRowOut


class CobRunOut(BaseModel):
    business_date_from: date_aliased = Field(
        ..., description="The first day the run closes", title="Business Date From"
    )
    business_date_to: date_aliased = Field(
        ..., description="The last day the run closes", title="Business Date To"
    )
    error: str | None = Field(..., title="Error")
    finished_at: AwareDatetime | None = Field(..., title="Finished At")
    id: UUID = Field(..., title="Id")
    started_at: AwareDatetime = Field(..., title="Started At")
    status: RunStatus
    steps: list[CobStepOut] = Field(..., title="Steps")


class EventFeed(BaseModel):
    """
    A page of the feed. ``next_cursor`` is where to resume (the last event's cursor, or
    the one given when nothing new has committed): keep it and ask again later.
    """

    has_more: bool = Field(
        ...,
        description="More events wait after this page: ask again at once",
        title="Has More",
    )
    items: list[EventOut] = Field(..., title="Items")
    next_cursor: str | None = Field(None, title="Next Cursor")


class FiscalYearOut(BaseModel):
    """
    A year's result (profit positive): in soles, and per currency; for an open year,
    what its results add up to so far.
    """

    closed_at: AwareDatetime | None = Field(..., title="Closed At")
    closed_by: str | None = Field(..., title="Closed By")
    closes_on: date_aliased = Field(
        ..., description="31 December: the closing entry's date", title="Closes On"
    )
    closing_entry_id: UUID | None = Field(
        ...,
        description="The entry that closed classes 4 and 5 into 39x1 (none if nothing moved)",
        title="Closing Entry Id",
    )
    distribution: AgreedDistribution | None = Field(
        None, description="What the assembly agreed, once applied"
    )
    exchange_rate: str | None = Field(
        ...,
        description="December's accounting rate, once the year is closed",
        title="Exchange Rate",
    )
    result: str = Field(
        ...,
        description="In soles: the soles accounts' result and the dollar accounts' at the accounting rate of each day (what 39x1 holds once closed)",
        examples=["100.00"],
        pattern="^-?[0-9]+\\.[0-9]{2}$",
        title="Result",
    )
    result_pen: str = Field(
        ...,
        description="The soles accounts' result",
        examples=["100.00"],
        pattern="^-?[0-9]+\\.[0-9]{2}$",
        title="Result Pen",
    )
    result_usd: str = Field(
        ...,
        description="The dollar accounts' result, in dollars",
        examples=["100.00"],
        pattern="^-?[0-9]+\\.[0-9]{2}$",
        title="Result Usd",
    )
    result_usd_in_soles: str | None = Field(
        "0.00",
        description="The dollar accounts' result in soles, at the accounting rate of each day",
        examples=["100.00"],
        pattern="^-?[0-9]+\\.[0-9]{2}$",
        title="Result Usd In Soles",
    )
    status: FiscalYearStatus
    year: int = Field(..., title="Year")


class MemberSnapshot(BaseModel):
    """
    What a front-end needs to serve a member with the link down.
    """

    as_of: date_aliased = Field(
        ..., description="The cooperative's business date", title="As Of"
    )
    loans: list[SnapshotLoan] = Field(
        ..., description="Active loans, with what falls due", title="Loans"
    )
    member: MemberOut = Field(
        ..., description="The member, as GET members/{id} answers"
    )
    savings_accounts: list[SavingsAccountOut] = Field(
        ...,
        description="With balance, available_balance and the product's code and name, as GET savings-accounts/{id}",
        title="Savings Accounts",
    )
    share_account: ShareAccountOut | None


class PageCobRunOut(BaseModel):
    items: list[CobRunOut] = Field(..., title="Items")
    next_cursor: str | None = Field(None, title="Next Cursor")


class PagePeriodOut(BaseModel):
    items: list[PeriodOut] = Field(..., title="Items")
    next_cursor: str | None = Field(None, title="Next Cursor")


class PageScreeningHoldOut(BaseModel):
    items: list[ScreeningHoldOut] = Field(..., title="Items")
    next_cursor: str | None = Field(None, title="Next Cursor")


class PageTillTransferOut(BaseModel):
    items: list[TillTransferOut] = Field(..., title="Items")
    next_cursor: str | None = Field(None, title="Next Cursor")


class PageWithdrawalRequestOut(BaseModel):
    items: list[WithdrawalRequestOut] = Field(..., title="Items")
    next_cursor: str | None = Field(None, title="Next Cursor")


class StatementOut(BaseModel):
    """
    A financial statement of a month in soles, beside the month before.
    """

    cooperative_id: UUID = Field(..., title="Cooperative Id")
    cooperative_name: str = Field(..., title="Cooperative Name")
    exchange_rate: str = Field(..., title="Exchange Rate")
    period: str = Field(..., title="Period")
    period_status: PeriodStatus
    previous_period: str | None = Field(..., title="Previous Period")
    sections: list[StatementSectionOut] = Field(..., title="Sections")
    totals: dict[str, TotalOut] = Field(..., title="Totals")
