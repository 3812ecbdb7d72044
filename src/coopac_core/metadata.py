"""Every table of the service, imported once so that ``metadata`` knows them all."""

from sqlmodel import SQLModel

from coopac_core import idempotency as _idempotency
from coopac_core import idempotent_creates as _idempotent_creates
from coopac_core import numbering as _numbering
from coopac_core.approvals import models as _approvals
from coopac_core.audit import models as _audit
from coopac_core.cob import models as _cob
from coopac_core.compliance import models as _compliance
from coopac_core.events import models as _events
from coopac_core.exchange import models as _exchange
from coopac_core.federation import models as _federation
from coopac_core.fiscal_years import models as _fiscal_years
from coopac_core.imports import models as _imports
from coopac_core.ledger import models as _ledger
from coopac_core.limits import models as _limits
from coopac_core.loans import models as _loans
from coopac_core.members import models as _members
from coopac_core.reports import models as _reports
from coopac_core.savings import models as _savings
from coopac_core.security import models as _security
from coopac_core.shares import models as _shares
from coopac_core.tellers import models as _tellers

metadata = SQLModel.metadata
__all__ = [
    "_approvals",
    "_audit",
    "_cob",
    "_compliance",
    "_events",
    "_exchange",
    "_federation",
    "_fiscal_years",
    "_idempotency",
    "_idempotent_creates",
    "_imports",
    "_ledger",
    "_limits",
    "_loans",
    "_members",
    "_numbering",
    "_reports",
    "_savings",
    "_security",
    "_shares",
    "_tellers",
    "metadata",
]
