"""The capital and liquidity reports of a month (from its snapshot), liquidity of a day close
of business ended, and the single-borrower limit a loan's approval is held to."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import text
from sqlmodel import Session, col, select

from coopac_core.audit import service as audit_service
from coopac_core.exchange import revaluation
from coopac_core.federation import indicators
from coopac_core.federation.indicators import Indicator, Target
from coopac_core.federation.models import Cooperative, FederationSettings
from coopac_core.federation.service import get_cooperative
from coopac_core.models_base import utcnow
from coopac_core.money import Currency, round_cents
from coopac_core.prudential import rules
from coopac_core.prudential.errors import ConcentrationLimit, DayNotClosed
from coopac_core.prudential.schemas import (
    CapitalOut,
    ExposureOut,
    LimitName,
    LimitOut,
    LiquidityLineOut,
    LiquidityOut,
)
from coopac_core.prudential.settings import PrudentialSettings, settings_of
from coopac_core.reports.figures import ledger_figures
from coopac_core.reports.models import PeriodSnapshot, PeriodStatus
from coopac_core.security.principal import CoopContext, Principal

ZERO = Decimal("0.00")
LARGEST = 10


def prudential_settings(session: Session) -> PrudentialSettings:
    row = session.get(FederationSettings, 1)
    return settings_of(row.prudential if row else None)


def update_settings(
    session: Session, actor: Principal, data: PrudentialSettings
) -> PrudentialSettings:
    """The whole set replaces what was (a field not given takes its default)."""
    row = session.get(FederationSettings, 1, with_for_update=True) or FederationSettings()
    row.prudential = data.model_dump(mode="json")
    row.updated_at = utcnow()
    row.updated_by = actor.name
    session.add(row)
    session.flush()
    audit_service.record(
        session,
        actor,
        "federation.prudential_settings.update",
        "federation_settings",
        1,
        cooperative_id=None,
        details=row.prudential,
    )
    return prudential_settings(session)


@dataclass(frozen=True)
class Equity:
    basic: Decimal
    generic: Decimal
    counted: Decimal
    effective: Decimal
    rwa: Decimal


def equity_of(session: Session, snap: PeriodSnapshot, settings: PrudentialSettings) -> Equity:
    """A month's effective equity and risk-weighted assets, from its snapshot: the GL
    balances in soles and the hipotecario loans of its portfolio."""
    balances = session.execute(
        text(
            "SELECT code, balance_pen FROM period_gl_balance "
            "WHERE cooperative_id = :c AND period = :p"
        ),
        {"c": snap.cooperative_id, "p": snap.period},
    ).all()
    mortgages = session.execute(
        text(
            "SELECT coalesce(sum(balance * CASE WHEN currency = 'USD' THEN :rate ELSE 1 END), 0) "
            "FROM period_portfolio WHERE cooperative_id = :c AND period = :p "
            "AND credit_type = 'hipotecario'"
        ),
        {"c": snap.cooperative_id, "p": snap.period, "rate": snap.exchange_rate},
    ).scalar_one()
    rwa = rules.risk_weighted_assets(
        ((code, Decimal(b)) for code, b in balances),
        Decimal(mortgages),
        settings.risk_weights,
        settings.mortgage_weight,
    )
    effective = rules.effective_equity(
        snap.basic_equity, snap.generic_provisions, rwa, settings.generic_provisions_cap
    )
    return Equity(
        snap.basic_equity,
        snap.generic_provisions,
        round_cents(effective - snap.basic_equity),
        effective,
        rwa,
    )


# Each debtor's loans at the month end in soles, the largest first.
_EXPOSURES = """
SELECT m.id, m.document_number, m.related_party,
    coalesce(m.legal_name, concat_ws(' ', m.last_names, m.first_names)) AS name,
    round(sum(k.balance * CASE WHEN k.currency = 'USD' THEN :rate ELSE 1 END), 2) AS exposure
FROM loan_classification k
JOIN member m ON m.cooperative_id = k.cooperative_id AND m.id = k.member_id
WHERE k.cooperative_id = :c AND k.as_of = :d AND k.balance <> 0
GROUP BY m.id, m.document_number, m.related_party, m.legal_name, m.last_names, m.first_names
ORDER BY exposure DESC, m.document_number
"""


def _limit(name: LimitName, value: Decimal | None, limit: Decimal, bound: str) -> LimitOut:
    # no ratio (no equity): every exposure breaks a limit on it
    breached = value is None or (value < limit if bound == "min" else value > limit)
    return LimitOut(name=name, value=value, limit=limit, bound=bound, breached=breached)


def capital(session: Session, coop: Cooperative, snap: PeriodSnapshot) -> CapitalOut:
    settings = prudential_settings(session)
    equity = equity_of(session, snap, settings)
    rows = session.execute(
        text(_EXPOSURES),
        {"c": snap.cooperative_id, "d": snap.period_end, "rate": snap.exchange_rate},
    ).all()
    related = sum((Decimal(r.exposure) for r in rows if r.related_party), ZERO)
    largest = Decimal(rows[0].exposure) if rows else ZERO

    def share(amount: Decimal) -> Decimal | None:
        return rules.ratio(amount, equity.effective)

    exposures = [
        ExposureOut(
            member_id=r.id,
            document_number=r.document_number,
            name=r.name,
            related_party=r.related_party,
            exposure=r.exposure,
            share=share(Decimal(r.exposure)),
            over_limit=Decimal(r.exposure) > settings.single_borrower_limit * equity.effective,
        )
        for r in rows[:LARGEST]
    ]
    capital_ratio = rules.ratio(equity.effective, equity.rwa)
    limits = [
        _limit(LimitName.capital_ratio, capital_ratio, settings.min_capital_ratio, "min"),
        _limit(LimitName.single_borrower, share(largest) if rows else ZERO,
               settings.single_borrower_limit, "max"),
        _limit(LimitName.related_parties, share(related) if related else ZERO,
               settings.related_parties_limit, "max"),
        _limit(LimitName.fixed_assets, share(snap.fixed_assets) if snap.fixed_assets else ZERO,
               settings.fixed_assets_limit, "max"),
    ]  # fmt: skip
    if equity.rwa == 0:  # nothing at risk: no ratio to hold to its minimum
        limits[0] = LimitOut(
            name=LimitName.capital_ratio,
            value=None,
            limit=settings.min_capital_ratio,
            bound="min",
            breached=False,
        )
    return CapitalOut(
        cooperative_id=coop.id,
        period=snap.period,
        period_status=snap.status,
        exchange_rate=snap.exchange_rate,
        basic_equity=equity.basic,
        generic_provisions=equity.generic,
        generic_provisions_counted=equity.counted,
        effective_equity=equity.effective,
        risk_weighted_assets=equity.rwa,
        capital_ratio=capital_ratio,
        related_parties_exposure=related,
        fixed_assets=snap.fixed_assets,
        limits=limits,
        largest_exposures=exposures,
    )


# --- liquidity ----------------------------------------------------------------------------


def _liquidity(
    coop_id: uuid.UUID,
    period: str | None,
    day: date,
    figures: tuple[Decimal, Decimal, Decimal, Decimal],
    goals: dict[Indicator, Target],
) -> LiquidityOut:
    liquid_pen, liquid_usd, short_pen, short_usd = figures
    lines = []
    for currency, liquid, short, indicator in (
        (Currency.PEN, liquid_pen, short_pen, Indicator.liquidity_pen),
        (Currency.USD, liquid_usd, short_usd, Indicator.liquidity_usd),
    ):
        minimum = goals[indicator].min or ZERO
        ratio = rules.ratio(liquid, short)
        lines.append(
            LiquidityLineOut(
                currency=currency,
                liquid_assets=liquid,
                short_term_liabilities=short,
                ratio=ratio,
                minimum=minimum,
                below=ratio is not None and ratio < minimum,
            )
        )
    return LiquidityOut(cooperative_id=coop_id, period=period, day=day, lines=lines)


def liquidity_of_month(session: Session, coop: Cooperative, snap: PeriodSnapshot) -> LiquidityOut:
    return _liquidity(
        coop.id,
        snap.period,
        snap.period_end,
        (
            snap.liquid_assets_pen,
            snap.liquid_assets_usd,
            snap.short_term_liabilities_pen,
            snap.short_term_liabilities_usd,
        ),
        indicators.targets(session),
    )


def liquidity_of_day(session: Session, coop: Cooperative, day: date) -> LiquidityOut:
    """At the end of a day close of business has ended: the ledger's balances of that day,
    the dollars at that day's accounting rate, by the rule of the month ends
    (``reports.figures``)."""
    if day >= coop.business_date:
        raise DayNotClosed(day=day, business_date=coop.business_date)
    rate = revaluation.rate_on(session, coop.id, day)
    rows = session.execute(
        text(
            "SELECT g.code, g.currency, sum(p.amount) FROM posting p JOIN gl_account g "
            "ON g.cooperative_id = p.cooperative_id AND g.id = p.gl_account_id "
            "WHERE p.cooperative_id = :c AND p.business_date <= :d "
            "AND left(g.code, 2) IN ('11', '21', '24') GROUP BY g.code, g.currency"
        ),
        {"c": coop.id, "d": day},
    ).all()
    figures = ledger_figures(
        (code, round_cents(amount * rate) if currency == "USD" else amount, ZERO)
        for code, currency, amount in rows
    )
    return _liquidity(
        coop.id,
        None,
        day,
        (
            figures.liquid_assets_pen,
            figures.liquid_assets_usd,
            figures.short_term_liabilities_pen,
            figures.short_term_liabilities_usd,
        ),
        indicators.targets(session),
    )


# --- the single-borrower limit ------------------------------------------------------------


def check_concentration(
    session: Session,
    ctx: CoopContext,
    member_id: uuid.UUID,
    loan_id: uuid.UUID,
    amount: Decimal,
    currency: str,
    board_agreement: str | None,
) -> None:
    """Refuse the approval of a loan of ``amount`` that would take the debtor's loans
    (those approved and not paid out, and those owed) beyond the single-borrower limit of
    the effective equity of the last month the accountant closed, unless the board agreed
    to it. A cooperative with no month closed yet has no effective equity to hold loans to
    (DOMAIN.md is silent: its first closed month sets it)."""
    if board_agreement:
        return
    snap = session.exec(
        select(PeriodSnapshot)
        .where(
            PeriodSnapshot.cooperative_id == ctx.cooperative_id,
            PeriodSnapshot.status == PeriodStatus.closed,
        )
        .order_by(col(PeriodSnapshot.period).desc())
        .limit(1)
    ).first()
    if snap is None:
        return
    settings = prudential_settings(session)
    equity = equity_of(session, snap, settings)
    coop = get_cooperative(session, ctx.cooperative_id)
    rate = revaluation.rate_on(session, ctx.cooperative_id, coop.business_date)
    owed = session.execute(
        text(
            "SELECT coalesce(sum(CASE WHEN status = 'approved' THEN amount ELSE balance END "
            "* CASE WHEN currency = 'USD' THEN :rate ELSE 1 END), 0) FROM loan "
            "WHERE cooperative_id = :c AND member_id = :m AND id <> :l "
            "AND status IN ('approved', 'active')"
        ),
        {"c": ctx.cooperative_id, "m": member_id, "l": loan_id, "rate": rate},
    ).scalar_one()
    exposure = round_cents(Decimal(owed) + amount * (rate if currency == Currency.USD else 1))
    limit = round_cents(settings.single_borrower_limit * max(equity.effective, ZERO))
    if exposure > limit:
        raise ConcentrationLimit(
            exposure=f"{exposure:.2f}",
            limit=f"{limit:.2f}",
            share=f"{settings.single_borrower_limit:.2%}",
            period=snap.period,
        )
