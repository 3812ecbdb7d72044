"""Request and response models of loans, by concern."""

from coopac_core.loans.schemas.loans import (
    CollateralIn,
    DisbursementRequest,
    InstallmentStatus,
    LoanCreate,
    LoanDecision,
    LoanOut,
    LoanProductCreate,
    LoanProductOut,
    LoanScheduleOut,
    RepaymentOut,
    RepaymentRequest,
    ScheduleInstallmentOut,
)
from coopac_core.loans.schemas.portfolio import (
    Portfolio,
    PortfolioCategory,
    PortfolioCreditType,
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
    "Portfolio",
    "PortfolioCategory",
    "PortfolioCreditType",
    "RepaymentOut",
    "RepaymentRequest",
    "ScheduleInstallmentOut",
    "ScheduleTotals",
]
