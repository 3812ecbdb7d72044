"""The rules of a loan's life, one file a concern: products, schedules (simulation and a
loan's own), applications and the committee's decision, the money of a loan (disbursement,
repayment, write-off), how loans are shown, and the portfolio. Pure servicing arithmetic
lives in ``loans.servicing``, schedules in ``loans.schedule``, SBS rules in
``loans.classification``."""

from coopac_core.loans.service.applications import approve, create_loan, reject, submit
from coopac_core.loans.service.operations import (
    disburse,
    payoff_quote,
    recover,
    repay,
    to_judicial_collection,
)
from coopac_core.loans.service.policy import credit_policy, set_credit_policy
from coopac_core.loans.service.portfolio import portfolio
from coopac_core.loans.service.products import create_product, get_product, list_products
from coopac_core.loans.service.queries import get_loan, list_loans
from coopac_core.loans.service.refinances import (
    approve_refinance,
    reject_refinance,
    request_refinance,
)
from coopac_core.loans.service.reschedules import reschedule
from coopac_core.loans.service.schedules import simulate
from coopac_core.loans.service.verification import check_loan_records
from coopac_core.loans.service.views import loan_schedule, loan_view, loan_views
from coopac_core.loans.service.write_offs import (
    approve_write_off,
    reject_write_off,
    request_write_off,
)

__all__ = [
    "approve",
    "approve_refinance",
    "approve_write_off",
    "check_loan_records",
    "create_loan",
    "create_product",
    "credit_policy",
    "disburse",
    "get_loan",
    "get_product",
    "list_loans",
    "list_products",
    "loan_schedule",
    "loan_view",
    "loan_views",
    "payoff_quote",
    "portfolio",
    "recover",
    "reject",
    "reject_refinance",
    "reject_write_off",
    "repay",
    "request_refinance",
    "request_write_off",
    "reschedule",
    "set_credit_policy",
    "simulate",
    "submit",
    "to_judicial_collection",
]
