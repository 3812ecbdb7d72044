"""A savings account's records against its balance, for ``coopac verify-ledger``: what a
mirror entry or a bug could leave wrong (holds that no longer match the amount held, a
closed account with money in it). More held than there is can be right (an embargo for
more than the balance keeps what comes in); that money never leaves under a hold is the
movements' and the reversal guard's rule, checked when the money moves."""

from __future__ import annotations

import uuid
from decimal import Decimal

from sqlalchemy import text
from sqlmodel import Session

from coopac_core.ledger.chart import INTEREST_PAYABLE_GL, code_for
from coopac_core.money import Currency, round_cents
from coopac_core.savings.interest import term_interest


def check_savings_records(session: Session, cooperative_id: uuid.UUID) -> list[str]:
    rows = session.execute(
        text(
            "SELECT a.number, a.status, a.balance, a.held_amount, "
            "coalesce(h.active, 0) AS holds "
            "FROM savings_account a LEFT JOIN ("
            "  SELECT account_id, sum(amount) AS active FROM savings_hold "
            "  WHERE cooperative_id = :c AND status = 'active' GROUP BY account_id"
            ") h ON h.account_id = a.id "
            "WHERE a.cooperative_id = :c "
            "AND (a.held_amount <> coalesce(h.active, 0) "
            "     OR (a.status = 'closed' AND (a.balance <> 0 OR a.held_amount <> 0)))"
        ),
        {"c": cooperative_id},
    ).all()
    problems = []
    for number, status, balance, held, holds in rows:
        if held != holds:
            problems.append(f"savings {number}: held {held} but active holds add to {holds}")
        if status == "closed" and (balance != 0 or held != 0):
            problems.append(f"savings {number}: closed with balance {balance}, held {held}")
    return problems


def check_interest_records(session: Session, cooperative_id: uuid.UUID) -> list[str]:
    """Interest payable on deposits is provable from the accruals. The rounding rule
    (``savings.interest.booked_change``): each product's bookings add up to its accruals'
    unrounded total rounded half-up to the céntimo; its capitalisations paid in céntimos.
    So the payable account holds, per currency, exactly the sum over products of
    round(accrued) less what was paid in."""
    problems = []
    products = session.execute(
        text(
            "SELECT p.id, p.code, p.currency, "
            # accruals of the days already booked (a cancellation's give-back of today
            # is booked at today's close)
            "  coalesce((SELECT sum(amount) FROM savings_accrual s "
            "            WHERE s.cooperative_id = p.cooperative_id AND s.product_id = p.id "
            "            AND s.accrual_date <= (SELECT max(accrual_date) FROM "
            "              savings_accrual_booking b WHERE b.cooperative_id = p.cooperative_id "
            "              AND b.product_id = p.id)), 0),"
            "  coalesce((SELECT sum(amount) FROM savings_accrual_booking b "
            "            WHERE b.cooperative_id = p.cooperative_id AND b.product_id = p.id), 0),"
            "  (SELECT accrued_total FROM savings_accrual_booking b "
            "   WHERE b.cooperative_id = p.cooperative_id AND b.product_id = p.id "
            "   ORDER BY accrual_date DESC LIMIT 1),"
            "  coalesce((SELECT sum(amount) FROM savings_capitalisation k "
            "            WHERE k.cooperative_id = p.cooperative_id AND k.product_id = p.id), 0) "
            "FROM savings_product p WHERE p.cooperative_id = :c"
        ),
        {"c": cooperative_id},
    ).all()
    orphans = session.execute(
        text(
            "SELECT count(*) FROM savings_accrual s WHERE s.cooperative_id = :c AND NOT EXISTS "
            "(SELECT 1 FROM savings_account a WHERE a.cooperative_id = s.cooperative_id "
            "AND a.id = s.account_id)"
        ),
        {"c": cooperative_id},
    ).scalar_one()
    if orphans:
        problems.append(f"{orphans} savings accruals name no account")
    owed: dict[str, Decimal] = {}
    for _, code, currency, accrued, booked, running_total, paid in products:
        if running_total is not None and running_total != accrued:
            problems.append(
                f"savings product {code}: bookings counted {running_total} accrued, "
                f"the accruals add up to {accrued}"
            )
        if booked != round_cents(accrued):
            problems.append(
                f"savings product {code}: booked {booked}, accrued {accrued} rounds to "
                f"{round_cents(accrued)}"
            )
        owed[currency] = owed.get(currency, Decimal("0.00")) + booked - paid
    ledger_says = dict(
        session.execute(
            text(
                "SELECT g.currency, -coalesce(sum(p.amount), 0) FROM gl_account g "
                "LEFT JOIN posting p ON p.cooperative_id = g.cooperative_id "
                "AND p.gl_account_id = g.id WHERE g.cooperative_id = :c "
                "AND g.code = ANY(:codes) GROUP BY g.currency"
            ),
            {
                "c": cooperative_id,
                "codes": [code_for(INTEREST_PAYABLE_GL, currency) for currency in Currency],
            },
        ).all()
    )
    for currency in sorted(set(owed) | set(ledger_says)):
        expected = owed.get(currency, Decimal("0.00"))
        held = Decimal(ledger_says.get(currency, 0))
        if held != expected:
            problems.append(
                f"interest payable on deposits in {currency}: the ledger holds {held}, "
                f"the accruals owe {expected}"
            )
    return problems


def check_term_accruals(session: Session, cooperative_id: uuid.UUID) -> list[str]:
    """No term deposit has accrued more in its current placement than its interest at
    maturity, K × ((1 + TEA)^(n/360) − 1) rounded once (``term_deposits.term_interest``)."""
    rows = session.execute(
        text(
            "SELECT a.number, a.placed_amount, a.rate, a.maturity_date - a.placed_on, "
            "  coalesce((SELECT sum(s.amount) FROM savings_accrual s "
            "            WHERE s.cooperative_id = a.cooperative_id AND s.account_id = a.id "
            "            AND s.accrual_date >= a.placed_on), 0) "
            "FROM savings_account a JOIN savings_product p "
            "ON p.cooperative_id = a.cooperative_id AND p.id = a.product_id "
            "WHERE a.cooperative_id = :c AND p.kind = 'term' AND a.placed_on IS NOT NULL "
            "AND a.status <> 'closed' AND a.placed_amount IS NOT NULL AND a.rate IS NOT NULL"
        ),
        {"c": cooperative_id},
    ).all()
    problems = []
    for number, amount, rate, term, accrued in rows:
        limit = term_interest(amount, rate, term)
        if accrued > limit:
            problems.append(
                f"term deposit {number}: accrued {accrued}, more than its interest at "
                f"maturity {limit}"
            )
    return problems


def check_closed_accounts_interest(session: Session, cooperative_id: uuid.UUID) -> list[str]:
    """No interest payable (21x8) belongs to a closed account: what every closed account
    accrued was paid in (or given back) before it closed, to less than half a céntimo."""
    rows = session.execute(
        text(
            "SELECT a.number, acc.total - coalesce(cap.total, 0) AS owed "
            "FROM savings_account a "
            "CROSS JOIN LATERAL (SELECT coalesce(sum(s.amount), 0) AS total "
            "    FROM savings_accrual s WHERE s.cooperative_id = a.cooperative_id "
            "    AND s.account_id = a.id) acc "
            "LEFT JOIN LATERAL (SELECT sum(k.amount) AS total FROM savings_capitalisation k "
            "    WHERE k.cooperative_id = a.cooperative_id AND k.account_id = a.id) cap ON true "
            "WHERE a.cooperative_id = :c AND a.status = 'closed' "
            "AND abs(acc.total - coalesce(cap.total, 0)) >= 0.005 ORDER BY a.number"
        ),
        {"c": cooperative_id},
    ).all()
    return [
        f"savings account {number}: closed with {round_cents(owed)} of interest accrued and "
        "never paid (21x8)"
        for number, owed in rows
    ]
