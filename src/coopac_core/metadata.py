"""Every table of the service, imported once so that ``metadata`` knows them all."""

from sqlmodel import SQLModel

from coopac_core.audit import models as _audit
from coopac_core.federation import models as _federation
from coopac_core.security import models as _security

metadata = SQLModel.metadata
__all__ = ["_audit", "_federation", "_security", "metadata"]
