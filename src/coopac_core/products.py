"""What savings and loan products share: how a product is refused."""

from __future__ import annotations

from coopac_core.errors import Conflict, NotFound, Unprocessable


class ProductNotFound(NotFound):
    code = "product_not_found"
    template = "Producto de {kind} no encontrado"


class ProductExists(Conflict):
    code = "product_exists"
    template = "Ya existe el producto {code}"


class ProductInactive(Unprocessable):
    code = "product_inactive"
    template = "El producto no está vigente"
