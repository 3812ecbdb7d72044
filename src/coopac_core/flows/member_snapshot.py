"""A member's snapshot: what a front-end keeps to serve the member with the link down (the
member, their accounts with balances and available balances, their loans and what falls
due), with an ETag so that it is fetched again only when something changed."""

from __future__ import annotations

import hashlib
import json
import uuid
from decimal import Decimal

from sqlmodel import Session, select

from coopac_core.federation.service import get_cooperative
from coopac_core.loans.service.queries import active_loans_of, installments_by_loan
from coopac_core.loans.service.views import loan_arrears
from coopac_core.loans.servicing import owed
from coopac_core.members.schemas import MemberOut
from coopac_core.members.service import get_member
from coopac_core.savings import service as savings
from coopac_core.shares.models import ShareAccount
from coopac_core.shares.schemas import ShareAccountOut
from coopac_core.tellers.schemas import DueInstallment, MemberSnapshot, SnapshotLoan

ZERO = Decimal("0.00")


def member_snapshot(
    session: Session, cooperative_id: uuid.UUID, member_id: uuid.UUID
) -> MemberSnapshot:
    member = get_member(session, cooperative_id, member_id)
    today = get_cooperative(session, cooperative_id).business_date
    accounts = savings.list_member_accounts(
        session, cooperative_id, member_id, after_number=None, limit=1000
    )
    accrued = savings.accrued_interest(session, cooperative_id, [a.id for a in accounts])
    share = session.exec(
        select(ShareAccount).where(
            ShareAccount.cooperative_id == cooperative_id, ShareAccount.member_id == member_id
        )
    ).first()
    loans = active_loans_of(session, cooperative_id, [member_id])
    rows = installments_by_loan(session, cooperative_id, [loan.id for loan in loans])
    loans_out = []
    for loan in sorted(loans, key=lambda x: x.number):
        own = rows.get(loan.id, [])
        due = next((i for i in sorted(own, key=lambda i: i.number) if owed(i) > 0), None)
        late = loan_arrears(loan, own, today)
        loans_out.append(
            SnapshotLoan(
                id=loan.id,
                number=loan.number,
                currency=loan.currency,
                balance=loan.balance,
                days_past_due=late.days,
                overdue_amount=late.overdue,
                next_due=DueInstallment(number=due.number, due_date=due.due_date, owed=owed(due))
                if due is not None
                else None,
            )
        )
    return MemberSnapshot(
        as_of=today,
        member=MemberOut.model_validate(member),
        share_account=ShareAccountOut.model_validate(share) if share is not None else None,
        savings_accounts=[
            savings.account_out(session, a, accrued.get(a.id, ZERO)) for a in accounts
        ],
        loans=loans_out,
    )


def etag(snapshot: MemberSnapshot) -> str:
    """A strong validator of the snapshot's content."""
    body = json.dumps(snapshot.model_dump(mode="json"), sort_keys=True, separators=(",", ":"))
    return '"' + hashlib.sha256(body.encode()).hexdigest()[:32] + '"'
