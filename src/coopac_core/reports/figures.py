"""What a month's GL balances say about a cooperative: the figures the federation's
indicators are made of. A plain function of the balances, tested and proved
(``coopac verify-ledger``) against them."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from coopac_core.money import round_cents


@dataclass(frozen=True)
class LedgerFigures:
    """What the indicators take from the GL balances, in soles."""

    total_assets: Decimal
    liquid_assets: Decimal
    deposits: Decimal
    share_capital: Decimal
    institutional_capital: Decimal
    equity: Decimal
    net_income: Decimal
    gross_loans: Decimal
    overdue_loans: Decimal
    high_risk_loans: Decimal
    provisions: Decimal
    # the supervisor's limits (``prudential``): liquid assets and short-term liabilities per
    # currency (a dollar account's in soles: the ratio is the same), the parts of equity
    # that count, the generic provisions and the fixed assets
    liquid_assets_pen: Decimal
    liquid_assets_usd: Decimal
    short_term_liabilities_pen: Decimal
    short_term_liabilities_usd: Decimal
    basic_equity: Decimal
    generic_provisions: Decimal
    fixed_assets: Decimal


# Short-term liabilities: the members' deposits with the interest owed on them (21; a term
# deposit counts whatever its term, the prudent reading) and borrowings (24). DOMAIN.md is
# silent on the liquidity rule's terms; to confirm against the SBS's.
SHORT_TERM_GROUPS = ("21", "24")


def ledger_figures(rows: Iterable[tuple[str, Decimal, Decimal]]) -> LedgerFigures:
    """From ``(code, balance, year_to_date)`` of each account in soles (a dollar account's
    as ``exchange.revaluation`` expresses it), debits positive. The SBS code says what an
    account is: its class and group (first two digits), the currency (third) and the
    account (fourth); a cooperative's own sub-accounts (``1411.05``) count with their
    account."""
    sums: dict[str, Decimal] = defaultdict(Decimal)
    for code, amount, ytd in rows:
        group, currency, account = code[:2], code[2:3], code[3:4]
        sums["class" + code[0]] += amount
        sums["group" + group] += amount
        sums["group" + group + currency] += amount
        if group in ("21", "14"):
            sums[group + account] += amount
        if group == "14" and code[3:7] == "9.02":
            sums["generic"] += amount
        if code[0] in "45":
            sums["ytd"] += ytd
    overdue = sums["145"] + sums["146"]
    short_term = {
        c: -sum((sums[f"group{g}{c}"] for g in SHORT_TERM_GROUPS), Decimal(0)) for c in "12"
    }
    # the results not yet distributed (the year's and those before)
    results = -(sums["group38"] + sums["group39"] + sums["class4"] + sums["class5"])
    return LedgerFigures(
        total_assets=round_cents(sums["class1"]),
        liquid_assets=round_cents(sums["group11"]),
        # the members' deposits: the savings control accounts (sight, savings, term), not
        # the interest owed on them (21x8)
        deposits=round_cents(-(sums["211"] + sums["212"] + sums["213"])),
        share_capital=round_cents(-sums["group31"]),
        # reserves and the results not yet distributed, a loss included (PEARLS E9)
        institutional_capital=round_cents(
            -(sums["group33"] + sums["group39"] + sums["class4"] + sums["class5"])
        ),
        # with the results not yet distributed (no year is closed into reserves here)
        equity=round_cents(-(sums["class3"] + sums["class4"] + sums["class5"])),
        net_income=round_cents(-sums["ytd"]),
        gross_loans=round_cents(sums["141"] + sums["144"] + sums["145"] + sums["146"]),
        overdue_loans=round_cents(overdue),
        # refinanced with overdue and judicial; restructured loans have no account of their
        # own in this chart (DOMAIN.md names them; none is booked)
        high_risk_loans=round_cents(overdue + sums["144"]),
        provisions=round_cents(-sums["149"]),
        liquid_assets_pen=round_cents(sums["group111"]),
        liquid_assets_usd=round_cents(sums["group112"]),
        short_term_liabilities_pen=round_cents(short_term["1"]),
        short_term_liabilities_usd=round_cents(short_term["2"]),
        # capital, additional capital and reserves; results count only as a loss (a surplus
        # counts once the assembly capitalises it): the prudent rule, DOMAIN.md is silent
        basic_equity=round_cents(
            -(sums["group31"] + sums["group32"] + sums["group33"]) + min(results, Decimal(0))
        ),
        generic_provisions=round_cents(-sums["generic"]),
        fixed_assets=round_cents(sums["group18"]),
    )
