"""The general assembly's agreement on a closed year's result, under four eyes: one person
(the accountant or the manager) records it, another approves it, and approving it posts it:
the year's result (39x1, in soles) to the reserve, the funds and each member's share capital
or savings, one line per member; or, for a loss, the reserve covering it. The figures are
``surplus.plan``'s, from the ledger: each member's share capital at the year's month ends and
their operations of the year.

DOMAIN.md is silent on a result in dollars: it stays in 39x2 until the accountant converts
it (an exchange entry); the assembly distributes the result in soles."""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import text
from sqlmodel import Session, col, select

from coopac_core.approvals import engine as approvals
from coopac_core.approvals.engine import ApprovalKind
from coopac_core.approvals.models import ApprovalRequest
from coopac_core.federation.service import get_cooperative
from coopac_core.fiscal_years.errors import (
    DistributionAlreadyRequested,
    DistributionExceedsResult,
    DistributionNotFound,
    DistributionNotRequested,
    DistributionRequestDecided,
    FiscalYearDistributed,
    FiscalYearNotClosed,
    LossToCover,
    NoLossToCover,
    ReserveBelowMinimum,
    ReserveInsufficient,
    ShareInterestAboveCap,
)
from coopac_core.fiscal_years.models import FiscalYear, FiscalYearStatus, SurplusShare
from coopac_core.fiscal_years.schemas import (
    AgreementOut,
    Distribution,
    DistributionOut,
    MemberShareOut,
    MemberShares,
    SharesStatus,
)
from coopac_core.fiscal_years.surplus import (
    MIN_RESERVE_PERCENT,
    ZERO,
    CreditTo,
    MemberBasis,
    Plan,
    ShortOfResult,
    plan,
    policy_of,
)
from coopac_core.ledger import service as ledger
from coopac_core.ledger.chart import (
    EDUCATION_FUND_GL,
    RESERVE_GL,
    SOCIAL_FUND_GL,
    YEAR_RESULT_GL,
    code_for,
)
from coopac_core.ledger.models import EntryKind
from coopac_core.loans import accounting as loan_gl
from coopac_core.money import Currency
from coopac_core.savings.models import SavingsAccount
from coopac_core.security.principal import CoopContext
from coopac_core.shares.models import ShareAccount

DISTRIBUTION = ApprovalKind(
    name="surplus_distribution",
    subject_kind="fiscal_year",
    not_found=DistributionNotRequested,
    decided=DistributionRequestDecided,
    ttl=timedelta(days=30),
    already_requested=DistributionAlreadyRequested,
)


def _subject(year: int) -> uuid.UUID:
    """The year as the approvals engine's subject (one pending agreement per year)."""
    return uuid.uuid5(uuid.NAMESPACE_URL, f"coopac:fiscal-year:{year}")


# Each member with share capital in soles: the sum of its twelve month-end balances, and
# its operations of the year: the interest its savings received (the month's interest paid
# in) and the interest it paid on its loans (what its repayments, less their reversals,
# put in accrued interest and interest income).
_BASIS = """
WITH months AS (
    SELECT (make_date(:y, m, 1) + interval '1 month' - interval '1 day')::date AS d
    FROM generate_series(1, 12) m
), shares AS (
    SELECT a.member_id, coalesce(-sum(p.amount), 0) AS share_months
    FROM share_account a CROSS JOIN months mo
    LEFT JOIN posting p ON p.cooperative_id = a.cooperative_id AND p.account_kind = 'share'
        AND p.account_id = a.id AND p.business_date <= mo.d
    WHERE a.cooperative_id = :c AND a.status = 'active' AND a.currency = 'PEN'
    GROUP BY a.member_id
), saved AS (
    SELECT s.member_id, -sum(p.amount) AS amount
    FROM posting p
    JOIN journal_entry e ON e.cooperative_id = p.cooperative_id AND e.id = p.entry_id
        AND e.kind = 'interest'
    JOIN savings_account s ON s.cooperative_id = p.cooperative_id AND s.id = p.account_id
    WHERE p.cooperative_id = :c AND p.account_kind = 'savings' AND p.currency = 'PEN'
      AND p.business_date BETWEEN :jan1 AND :dec31
    GROUP BY s.member_id
), paid AS (
    SELECT l.member_id, -sum(p.amount) AS amount
    FROM posting p
    JOIN gl_account g ON g.cooperative_id = p.cooperative_id AND g.id = p.gl_account_id
        AND g.code = ANY(CAST(:codes AS text[]))
    JOIN journal_entry e ON e.cooperative_id = p.cooperative_id AND e.id = p.entry_id
    JOIN journal_entry r ON r.cooperative_id = e.cooperative_id
        AND r.id = coalesce(e.reversal_of, e.id) AND r.kind = 'loan_repayment'
    JOIN loan_operation o ON o.cooperative_id = r.cooperative_id AND o.journal_entry_id = r.id
    JOIN loan l ON l.cooperative_id = o.cooperative_id AND l.id = o.loan_id
    WHERE p.cooperative_id = :c AND p.business_date BETWEEN :jan1 AND :dec31
    GROUP BY l.member_id
)
SELECT sh.member_id, sh.share_months,
    CASE WHEN :basis IN ('savings', 'both') THEN coalesce(sv.amount, 0) ELSE 0 END
    + CASE WHEN :basis IN ('loans', 'both') THEN coalesce(pd.amount, 0) ELSE 0 END
FROM shares sh
LEFT JOIN saved sv ON sv.member_id = sh.member_id
LEFT JOIN paid pd ON pd.member_id = sh.member_id
ORDER BY sh.member_id
"""


def _basis(session: Session, cooperative_id: uuid.UUID, year: int, basis: str) -> list[MemberBasis]:
    interest_codes = [
        code_for(t, Currency.PEN)
        for t in (
            loan_gl.ACCRUED_INTEREST_GL,
            loan_gl.INTEREST_INCOME_GL,
            loan_gl.MORATORY_INCOME_GL,
        )
    ]
    rows = session.execute(
        text(_BASIS),
        {
            "c": cooperative_id,
            "y": year,
            "jan1": date(year, 1, 1),
            "dec31": date(year, 12, 31),
            "codes": interest_codes,
            "basis": basis,
        },
    ).all()
    return [MemberBasis(m, Decimal(s), Decimal(o)) for m, s, o in rows]


def _closed_year(session: Session, cooperative_id: uuid.UUID, year: int) -> FiscalYear:
    fiscal = session.get(FiscalYear, (cooperative_id, year), with_for_update=True)
    if fiscal is None:
        raise FiscalYearNotClosed(year=year)
    if fiscal.status == FiscalYearStatus.distributed:
        raise FiscalYearDistributed(year=year)
    return fiscal


def _gl_balance(session: Session, cooperative_id: uuid.UUID, template: str) -> Decimal:
    account = ledger.gl_account_by_code(session, cooperative_id, code_for(template, Currency.PEN))
    total = session.execute(
        text(
            "SELECT coalesce(sum(amount), 0) FROM posting "
            "WHERE cooperative_id = :c AND gl_account_id = :g"
        ),
        {"c": cooperative_id, "g": account.id},
    ).scalar_one()
    return Decimal(total)


def _plan(session: Session, fiscal: FiscalYear, data: Distribution) -> Plan | None:
    """The agreement's figures, checked against the law and the statute; None: a loss the
    reserve covers."""
    result = fiscal.in_soles
    if data.cover_loss:
        if result >= 0:
            raise NoLossToCover(year=fiscal.year)
        reserve = -_gl_balance(session, fiscal.cooperative_id, RESERVE_GL)
        if reserve < -result:
            raise ReserveInsufficient(reserve=f"{reserve:.2f}", loss=f"{-result:.2f}")
        return None
    if result < 0:
        raise LossToCover(year=fiscal.year, result=f"{result:.2f}")
    if data.reserve_percent < MIN_RESERVE_PERCENT:
        raise ReserveBelowMinimum(minimum=MIN_RESERVE_PERCENT)
    policy = policy_of(get_cooperative(session, fiscal.cooperative_id).surplus_policy)
    if data.share_interest_rate > policy.share_interest_cap:
        raise ShareInterestAboveCap(rate=data.share_interest_rate, cap=policy.share_interest_cap)
    members = _basis(session, fiscal.cooperative_id, fiscal.year, policy.return_basis.value)
    try:
        return plan(
            result,
            data.reserve_percent,
            data.share_interest_rate,
            data.education_fund,
            data.social_fund,
            members,
        )
    except ShortOfResult as short:
        raise DistributionExceedsResult(
            needed=f"{short.needed:.2f}", result=f"{result:.2f}"
        ) from None


def _out(row: ApprovalRequest, year: int, result: Decimal, figures: Plan | None) -> DistributionOut:
    return DistributionOut(
        id=row.id,
        year=year,
        status=approvals.effective_status(row),
        requested_by=row.requested_by,
        requested_at=row.requested_at,
        decided_by=row.decided_by,
        decided_at=row.decided_at,
        agreement=AgreementOut.model_validate(row.payload),
        result=result,
        reserve=figures.reserve if figures else result,
        share_interest=figures.share_interest if figures else ZERO,
        education_fund=figures.education_fund if figures else ZERO,
        social_fund=figures.social_fund if figures else ZERO,
        returns=figures.returns if figures else ZERO,
        members=len(figures.members) if figures else 0,
        journal_entry_id=row.journal_entry_id,
    )


def request_distribution(
    session: Session, ctx: CoopContext, year: int, data: Distribution
) -> DistributionOut:
    fiscal = _closed_year(session, ctx.cooperative_id, year)
    figures = _plan(session, fiscal, data)
    row = approvals.ask(
        session, ctx, DISTRIBUTION, subject_id=_subject(year), payload=data.model_dump(mode="json")
    )
    return _out(row, year, fiscal.in_soles, figures)


def _pending(session: Session, ctx: CoopContext, year: int) -> ApprovalRequest:
    waiting = approvals.pending_for(session, ctx.cooperative_id, DISTRIBUTION, _subject(year))
    if waiting is None:
        raise DistributionNotRequested()
    return approvals.decidable(session, ctx, DISTRIBUTION, waiting.id)


def reject_distribution(
    session: Session, ctx: CoopContext, year: int, note: str | None
) -> DistributionOut:
    row = _pending(session, ctx, year)
    row = approvals.reject(session, ctx, DISTRIBUTION, row.id, note)
    fiscal = session.get(FiscalYear, (ctx.cooperative_id, year))
    return _out(row, year, fiscal.in_soles if fiscal else ZERO, None)


def _credited(
    session: Session,
    cooperative_id: uuid.UUID,
    members: list[uuid.UUID],
    credit_to: CreditTo,
    lock: bool = True,
) -> dict[uuid.UUID, ShareAccount | SavingsAccount]:
    """Each member's account to credit (locked, to post): their share capital, or their
    oldest active sight account in soles when the agreement says savings and they have one."""
    shares = session.exec(
        select(ShareAccount).where(
            ShareAccount.cooperative_id == cooperative_id, col(ShareAccount.member_id).in_(members)
        )
    ).all()
    out: dict[uuid.UUID, ShareAccount | SavingsAccount] = {}
    if lock:
        shares = list(
            ledger.lock_member_accounts(
                session, ShareAccount, cooperative_id, [s.id for s in shares]
            ).values()
        )
    for account in shares:
        out[account.member_id] = account
    if credit_to is CreditTo.savings:
        chosen = session.execute(
            text(
                "SELECT DISTINCT ON (a.member_id) a.member_id, a.id FROM savings_account a "
                "JOIN savings_product p ON p.cooperative_id = a.cooperative_id "
                "AND p.id = a.product_id WHERE a.cooperative_id = :c AND a.member_id = ANY(:m) "
                "AND a.status = 'active' AND a.currency = 'PEN' AND p.kind = 'sight' "
                "ORDER BY a.member_id, a.opened_on, a.id"
            ),
            {"c": cooperative_id, "m": members},
        ).all()
        ids = [account_id for _, account_id in chosen]
        savings = (
            ledger.lock_member_accounts(session, SavingsAccount, cooperative_id, ids)
            if lock
            else {
                a.id: a
                for a in session.exec(
                    select(SavingsAccount).where(
                        SavingsAccount.cooperative_id == cooperative_id,
                        col(SavingsAccount.id).in_(ids),
                    )
                )
            }
        )
        for member_id, account_id in chosen:
            out[member_id] = savings[account_id]
    return out


def approve_distribution(
    session: Session, ctx: CoopContext, year: int, note: str | None
) -> DistributionOut:
    """The second person: the agreement is posted as it stands in the ledger now."""
    coop_id = ctx.cooperative_id
    row = _pending(session, ctx, year)
    fiscal = _closed_year(session, coop_id, year)
    data = Distribution.model_validate(row.payload)
    figures = _plan(session, fiscal, data)
    result_gl = ledger.gl_account_by_code(session, coop_id, code_for(YEAR_RESULT_GL, Currency.PEN))
    reserve_gl = ledger.gl_account_by_code(session, coop_id, code_for(RESERVE_GL, Currency.PEN))
    if figures is None:  # the reserve covers the loss
        legs = [
            ledger.Leg(reserve_gl, -fiscal.in_soles),
            ledger.Leg(result_gl, fiscal.in_soles),
        ]
        kept: list[SurplusShare] = []
    else:
        legs = [ledger.Leg(result_gl, fiscal.in_soles), ledger.Leg(reserve_gl, -figures.reserve)]
        for template, amount in (
            (EDUCATION_FUND_GL, figures.education_fund),
            (SOCIAL_FUND_GL, figures.social_fund),
        ):
            if amount:
                fund = ledger.gl_account_by_code(session, coop_id, code_for(template, Currency.PEN))
                legs.append(ledger.Leg(fund, -amount))
        accounts = _credited(
            session, coop_id, [m.member_id for m in figures.members], data.credit_to
        )
        kept = []
        for share in figures.members:
            account = accounts[share.member_id]
            gl = ledger.get_gl_account(session, coop_id, account.gl_account_id)
            legs.append(ledger.Leg(gl, -share.total, account))
            kept.append(
                SurplusShare(
                    cooperative_id=coop_id,
                    year=year,
                    member_id=share.member_id,
                    share_interest=share.share_interest,
                    member_return=share.member_return,
                    account_kind=account.ACCOUNT_KIND,
                    account_id=account.id,
                )
            )
    legs = [leg for leg in legs if leg.amount]
    entry = None
    if legs:
        entry, _ = ledger.post_entry(
            session,
            ctx,
            EntryKind.surplus_distribution,
            legs,
            description=f"Distribución del resultado del ejercicio {year}: {data.agreement}"[:300],
        )
    session.add_all(kept)
    fiscal.status = FiscalYearStatus.distributed
    fiscal.distribution = _figures(data, figures)
    fiscal.distribution_entry_id = entry.id if entry else None
    session.add(fiscal)
    row = approvals.approve(session, ctx, DISTRIBUTION, row, note, entry.id if entry else None)
    session.flush()
    return _out(row, year, fiscal.in_soles, figures)


def _figures(data: Distribution, figures: Plan | None) -> dict[str, Any]:
    out: dict[str, Any] = {"agreement": data.model_dump(mode="json")}
    if figures is not None:
        out.update(
            reserve=str(figures.reserve),
            share_interest=str(figures.share_interest),
            education_fund=str(figures.education_fund),
            social_fund=str(figures.social_fund),
            returns=str(figures.returns),
            members=len(figures.members),
        )
    return out


def _latest(session: Session, cooperative_id: uuid.UUID, year: int) -> ApprovalRequest:
    row = session.exec(
        select(ApprovalRequest)
        .where(
            ApprovalRequest.cooperative_id == cooperative_id,
            ApprovalRequest.kind == DISTRIBUTION.name,
            ApprovalRequest.subject_id == _subject(year),
        )
        .order_by(col(ApprovalRequest.requested_at).desc())
        .limit(1)
    ).first()
    if row is None:
        raise DistributionNotFound(year=year)
    return row


def get_distribution(session: Session, cooperative_id: uuid.UUID, year: int) -> DistributionOut:
    """The year's agreement (the last asked for), with its figures."""
    row = _latest(session, cooperative_id, year)
    fiscal = session.get(FiscalYear, (cooperative_id, year))
    result = fiscal.in_soles if fiscal else ZERO
    figures = None
    if fiscal is not None and fiscal.status == FiscalYearStatus.closed:
        try:
            figures = _plan(session, fiscal, Distribution.model_validate(row.payload))
        except (DistributionExceedsResult, ReserveInsufficient, ShareInterestAboveCap):
            figures = None
    elif fiscal is not None and fiscal.distribution and "reserve" in fiscal.distribution:
        kept = fiscal.distribution
        figures = Plan(
            reserve=Decimal(kept["reserve"]),
            share_interest=Decimal(kept["share_interest"]),
            education_fund=Decimal(kept["education_fund"]),
            social_fund=Decimal(kept["social_fund"]),
            returns=Decimal(kept["returns"]),
        )
        return _out(row, year, result, figures).model_copy(update={"members": kept["members"]})
    return _out(row, year, result, figures)


def member_shares(session: Session, cooperative_id: uuid.UUID, year: int) -> MemberShares:
    """Each member's part: as credited once distributed; as the pending agreement would
    credit it before."""
    fiscal = session.get(FiscalYear, (cooperative_id, year))
    if fiscal is not None and fiscal.status == FiscalYearStatus.distributed:
        rows = session.exec(
            select(SurplusShare).where(
                SurplusShare.cooperative_id == cooperative_id, SurplusShare.year == year
            )
        ).all()
        parts = [
            (r.member_id, r.share_interest, r.member_return, CreditTo(r.account_kind), r.account_id)
            for r in rows
        ]
        status = SharesStatus.distributed
    else:
        row = _latest(session, cooperative_id, year)
        if fiscal is None or approvals.effective_status(row).value != "pending":
            raise DistributionNotFound(year=year)
        data = Distribution.model_validate(row.payload)
        figures = _plan(session, fiscal, data)
        shares = figures.members if figures else []
        accounts = _credited(
            session, cooperative_id, [m.member_id for m in shares], data.credit_to, lock=False
        )
        parts = [
            (
                m.member_id,
                m.share_interest,
                m.member_return,
                CreditTo(accounts[m.member_id].ACCOUNT_KIND),
                accounts[m.member_id].id,
            )
            for m in shares
        ]
        status = SharesStatus.pending
    names = {
        r.id: (r.member_number, r.name)
        for r in session.execute(
            text(
                "SELECT id, member_number, concat_ws(' ', first_names, last_names, legal_name) "
                "AS name FROM member WHERE cooperative_id = :c AND id = ANY(:ids)"
            ),
            {"c": cooperative_id, "ids": [p[0] for p in parts]},
        )
    }
    items = sorted(
        (
            MemberShareOut(
                member_id=member_id,
                member_number=names[member_id][0],
                name=names[member_id][1],
                share_interest=interest,
                member_return=returned,
                total=interest + returned,
                credited_to=kind,
                account_id=account_id,
            )
            for member_id, interest, returned, kind, account_id in parts
        ),
        key=lambda i: i.member_number or "",
    )
    return MemberShares(year=year, status=status, items=items)
