"""Loan products: the ranges and prices a cooperative offers."""

from __future__ import annotations

import uuid

from sqlmodel import Session, col, select

from coopac_core.audit import service as audit_service
from coopac_core.db import flush_or_conflict
from coopac_core.ledger import service as ledger
from coopac_core.loans.models import LoanProduct
from coopac_core.loans.schemas import LoanProductCreate
from coopac_core.products import ProductExists, ProductNotFound
from coopac_core.security.principal import CoopContext

# Créditos vigentes, in the product's currency: the loans' control account.
LOAN_GL = "14{c}1"


def create_product(session: Session, ctx: CoopContext, data: LoanProductCreate) -> LoanProduct:
    gl = ledger.gl_account_for(session, ctx.cooperative_id, LOAN_GL, data.currency.value)
    product = LoanProduct(
        cooperative_id=ctx.cooperative_id,
        gl_account_id=gl.id,
        **data.model_dump(exclude={"currency"}),
        currency=data.currency.value,
    )
    session.add(product)
    flush_or_conflict(session, ProductExists(code=data.code))
    audit_service.record(
        session,
        ctx.principal,
        "loan_product.create",
        "loan_product",
        product.id,
        cooperative_id=ctx.cooperative_id,
        details=data.model_dump(mode="json"),
    )
    return product


def get_product(session: Session, cooperative_id: uuid.UUID, product_id: uuid.UUID) -> LoanProduct:
    product = session.get(LoanProduct, (cooperative_id, product_id))
    if product is None:
        raise ProductNotFound(kind="crédito")
    return product


def list_products(
    session: Session, cooperative_id: uuid.UUID, *, after_code: str | None, limit: int
) -> list[LoanProduct]:
    stmt = select(LoanProduct).where(LoanProduct.cooperative_id == cooperative_id)
    if after_code is not None:
        stmt = stmt.where(col(LoanProduct.code) > after_code)
    return list(session.exec(stmt.order_by(col(LoanProduct.code)).limit(limit)))


def products_by_id(
    session: Session, cooperative_id: uuid.UUID, ids: set[uuid.UUID]
) -> dict[uuid.UUID, LoanProduct]:
    if not ids:
        return {}
    rows = session.exec(
        select(LoanProduct).where(
            LoanProduct.cooperative_id == cooperative_id, col(LoanProduct.id).in_(ids)
        )
    )
    return {p.id: p for p in rows}
