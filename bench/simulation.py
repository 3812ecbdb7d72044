"""CPU seconds of the costliest loan simulation the API accepts (360 weekly installments
with commission, fee and desgravamen): the schedule and its TCEA, median of 5.

    .venv/bin/python bench/simulation.py
"""

from __future__ import annotations

import statistics
import time
from datetime import date
from decimal import Decimal

from coopac_core.loans.schedule import Frequency
from coopac_core.loans.schemas import LoanSimulationRequest
from coopac_core.loans.service.schedules import simulate


def main() -> None:
    request = LoanSimulationRequest(
        amount=Decimal("30000.00"),
        tea=Decimal("0.30"),
        term=360,
        frequency=Frequency.weekly,
        commission=Decimal("300.00"),
        installment_fee=Decimal("1.00"),
        insurance_monthly_rate=Decimal("0.0008"),
    )
    spent = []
    for _ in range(5):
        started = time.process_time()
        out = simulate(request, date(2026, 11, 23))
        spent.append(time.process_time() - started)
    print(
        f"360 weekly installments: median {statistics.median(spent):.3f} s of CPU, TCEA {out.tcea}"
    )


if __name__ == "__main__":
    main()
