"""What every report shares: its heading, and dollars in soles at the month's rate."""

from __future__ import annotations

from decimal import Decimal

from coopac_core.federation.models import Cooperative
from coopac_core.money import Currency
from coopac_core.reports.models import PeriodSnapshot

ZERO = Decimal("0.00")


def header(coop: Cooperative, snap: PeriodSnapshot, title: str) -> list[str]:
    status = "cerrado" if snap.status == "closed" else "provisional"
    return [
        f"{coop.name} (RUC {coop.ruc}), nivel {coop.sbs_level}",
        f"{title}: periodo {snap.period} al {snap.period_end.isoformat()} ({status})",
        f"Importes en soles; dólares al tipo de cambio {snap.exchange_rate}",
    ]


def in_soles(amount: Decimal, currency: str, rate: Decimal) -> Decimal:
    return amount * rate if currency == Currency.USD else amount
