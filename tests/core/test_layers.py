"""The layers of docs/ARCHITECTURE.md, read from the code's imports: the ledger imports no
product, no product imports the flows above it, and no two products import each other
(what spans them is a flow). A new import that breaks one names the modules."""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "src" / "coopac_core"
PRODUCTS = frozenset({"members", "savings", "shares", "loans", "tellers", "exchange", "limits"})


def _imports() -> dict[str, dict[str, set[str]]]:
    """For each top-level package (or module) of coopac_core, the others it imports and
    from which of its files."""
    found: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for path in PACKAGE.rglob("*.py"):
        rel = path.relative_to(PACKAGE)
        mine = rel.parts[0].removesuffix(".py")
        for node in ast.walk(ast.parse(path.read_text())):
            names: list[str] = []
            if isinstance(node, ast.ImportFrom) and node.module == "coopac_core":
                names = [f"coopac_core.{a.name}" for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            elif isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            for name in names:
                parts = name.split(".")
                if parts[0] == "coopac_core" and len(parts) > 1 and parts[1] != mine:
                    found[mine][parts[1]].add(str(rel))
    return found


def test_the_ledger_imports_no_product_and_no_flow() -> None:
    imports = _imports()
    wrong = {
        p: sorted(imports["ledger"][p]) for p in PRODUCTS | {"flows"} if p in imports["ledger"]
    }
    assert wrong == {}


def test_no_product_imports_a_flow() -> None:
    imports = _imports()
    wrong = {p: sorted(imports[p]["flows"]) for p in PRODUCTS if "flows" in imports[p]}
    assert wrong == {}


def test_no_two_products_import_each_other() -> None:
    imports = _imports()
    both = sorted(
        (a, b, sorted(imports[a][b]), sorted(imports[b][a]))
        for a in PRODUCTS
        for b in PRODUCTS
        if a < b and b in imports[a] and a in imports[b]
    )
    assert both == []
