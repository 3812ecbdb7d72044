"""Loading one file: COPY into a staging table, check every row in one set-based pass, and
only then insert, set-based, with the opening balances posted against the migration
suspense account in one entry. Each file is its own transaction: all of it, or nothing.
"""

from __future__ import annotations

from coopac_core.imports.loader.run import check_file, load, suspense_balances
from coopac_core.imports.loader.staging import Actor, Refused, Unchecked

__all__ = ["Actor", "Refused", "Unchecked", "check_file", "load", "suspense_balances"]
