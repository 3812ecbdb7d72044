"""Request and response models of loans, by concern."""

from coopac_core.loans.schemas.loans import (
    CollateralIn,
    InstallmentStatus,
    LoanCreate,
    LoanDecision,
    LoanOut,
    LoanProductCreate,
    LoanProductOut,
    LoanScheduleOut,
    ScheduleInstallmentOut,
)
from coopac_core.loans.schemas.portfolio import (
    Portfolio,
    PortfolioCategory,
    PortfolioCreditType,
)
from coopac_core.loans.schemas.servicing import (
    DisbursementRequest,
    ExcessAs,
    PayoffOut,
    RecoveryOut,
    RecoveryRequest,
    RefinanceRequest,
    RepaymentOut,
    RepaymentRequest,
    RescheduleRequest,
)
from coopac_core.loans.schemas.simulation import (
    InstallmentOut,
    LoanSimulationOut,
    LoanSimulationRequest,
    ScheduleTotals,
)

__all__ = [
    "CollateralIn",
    "DisbursementRequest",
    "ExcessAs",
    "InstallmentOut",
    "InstallmentStatus",
    "LoanCreate",
    "LoanDecision",
    "LoanOut",
    "LoanProductCreate",
    "LoanProductOut",
    "LoanScheduleOut",
    "LoanSimulationOut",
    "LoanSimulationRequest",
    "PayoffOut",
    "Portfolio",
    "PortfolioCategory",
    "PortfolioCreditType",
    "RecoveryOut",
    "RecoveryRequest",
    "RefinanceRequest",
    "RepaymentOut",
    "RepaymentRequest",
    "RescheduleRequest",
    "ScheduleInstallmentOut",
    "ScheduleTotals",
]
