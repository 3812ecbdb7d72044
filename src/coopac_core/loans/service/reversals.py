"""Undoing a loan's money operation: the loan and its installments go back to exactly what
they were just before it, newest operation first. The ledger posts the mirror entry."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import delete, text
from sqlmodel import Session, SQLModel, col

from coopac_core.ledger.errors import ReversalNotSupported, ReversalOutOfOrder
from coopac_core.ledger.models import EntryKind, JournalEntry
from coopac_core.loans import accounting as gl
from coopac_core.loans.models import Loan, LoanInstallment, LoanOperation

# What an operation may change on the loan row and its reversal restores. The balance and
# the balances kept beside it (vencidos, judicial, suspense, provisions, written off) are
# the ledger's: the reversal's lines move them back; they are remembered too, to prove it.
LOAN_FIELDS = (
    "status",
    "disbursement_date",
    "disbursed_on",
    "closed_on",
    "updated_at",
    "tcea",
    "accounting_status",
    "overdue_gl_account_id",
    "judicial_gl_account_id",
)
_REMEMBERED = LOAN_FIELDS + tuple(column for _, column in gl.PART_ACCOUNTS.values())
ZERO = Decimal(0)
_INSTALLMENT_FIELDS = tuple(
    name for name in LoanInstallment.model_fields if name not in ("cooperative_id", "loan_id")
)


def _dump(value: object) -> object:
    if isinstance(value, (Decimal, uuid.UUID)):
        return str(value)
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return value


def _load(model: type[SQLModel], name: str, value: object) -> Any:
    """A value kept by ``_dump``, back as its column's Python type."""
    if value is None:
        return None
    try:
        kind = model.__table__.c[name].type.python_type  # type: ignore[attr-defined]
    except NotImplementedError:
        return value
    if kind is datetime:
        return datetime.fromisoformat(str(value))
    if kind is date:
        return date.fromisoformat(str(value))
    if kind in (Decimal, int):
        return kind(value)
    if kind is uuid.UUID:
        return uuid.UUID(str(value))
    return value  # text, kept as it was


def remember(
    loan: Loan, rows: list[LoanInstallment]
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The loan and its installments as they are now, before an operation changes them."""
    before = {name: _dump(getattr(loan, name)) for name in _REMEMBERED}
    schedule = [{name: _dump(getattr(i, name)) for name in _INSTALLMENT_FIELDS} for i in rows]
    return before, schedule


def installments_from(
    cooperative_id: uuid.UUID, loan_id: uuid.UUID, kept: list[dict[str, Any]]
) -> list[LoanInstallment]:
    """Installments as ``remember`` kept them (not added to any session). Kept before
    interest was recognised as it accrued (0017): what was paid was what was recognised."""
    out = []
    for row in kept:
        values = {name: _load(LoanInstallment, name, value) for name, value in row.items()}
        values.setdefault("interest_accrued", values.get("interest_paid", Decimal(0)))
        out.append(LoanInstallment(cooperative_id=cooperative_id, loan_id=loan_id, **values))
    return out


def record(
    session: Session,
    loan: Loan,
    entry: JournalEntry,
    before: tuple[dict[str, Any], list[dict[str, Any]]],
) -> None:
    session.add(
        LoanOperation(
            cooperative_id=loan.cooperative_id,
            journal_entry_id=entry.id,
            loan_id=loan.id,
            loan_before=before[0],
            installments_before=before[1],
        )
    )


def _later_operations(session: Session, op: LoanOperation, entry: JournalEntry) -> list[str]:
    """The loan's operations booked after this one and not yet reversed."""
    rows = session.execute(
        text(
            "SELECT e.kind FROM loan_operation o JOIN journal_entry e "
            "ON e.cooperative_id = o.cooperative_id AND e.id = o.journal_entry_id "
            "WHERE o.cooperative_id = :c AND o.loan_id = :l AND e.seq > :seq "
            "AND NOT EXISTS (SELECT 1 FROM journal_entry r WHERE r.cooperative_id = "
            "o.cooperative_id AND r.reversal_of = o.journal_entry_id) ORDER BY e.seq"
        ),
        {"c": op.cooperative_id, "l": op.loan_id, "seq": entry.seq},
    ).all()
    return [r.kind for r in rows]


def _closed_since(session: Session, entry: JournalEntry) -> bool:
    """Close of business has worked on the loan since the operation (accrued, classified,
    moved it between accounts): restoring the loan as it was before would undo that too."""
    return bool(
        session.execute(
            text(
                "SELECT c.business_date > :d OR EXISTS (SELECT 1 FROM cob_run r WHERE "
                "r.cooperative_id = c.id AND r.status = 'running') FROM cooperative c "
                "WHERE c.id = :c"
            ),
            {"c": entry.cooperative_id, "d": entry.business_date},
        ).scalar_one()
    )


def _parts_restored(session: Session, loan: Loan, op: LoanOperation) -> bool:
    """Whether the mirror of the operation's lines that name the loan's parts leaves each
    part as it was before it: so for every operation since they name them (0052)."""
    posted = dict(
        session.execute(
            text(
                "SELECT account_kind, sum(amount) FROM posting WHERE cooperative_id = :c "
                "AND entry_id = :e AND account_id = :l AND account_kind <> 'loan' "
                "GROUP BY account_kind"
            ),
            {"c": op.cooperative_id, "e": op.journal_entry_id, "l": loan.id},
        ).all()
    )
    for part, (_, column) in gl.PART_ACCOUNTS.items():
        if column not in op.loan_before:
            continue
        after = getattr(loan, column) - gl.part_line(part, posted.get(part.value, ZERO))
        if after != _load(Loan, column, op.loan_before[column]):
            return False
    return True


def undo_loan_operation(session: Session, entry: JournalEntry) -> None:
    """Registered for disbursements, repayments and write-offs. The loan is already locked
    (it is one of the entry's member accounts)."""
    op = session.get(LoanOperation, (entry.cooperative_id, entry.id))
    if op is None:
        raise ReversalNotSupported(
            kind=entry.kind, reason="se registró antes de que se guardara el estado previo"
        )
    later = _later_operations(session, op, entry)
    if later:
        raise ReversalOutOfOrder(later=", ".join(later))
    if _closed_since(session, entry):
        raise ReversalNotSupported(
            kind=entry.kind,
            reason="su día ya se cerró (o se está cerrando) y el cierre devengó y clasificó "
            "el crédito desde entonces: corríjalo con una operación nueva",
        )
    loan = session.get(Loan, (op.cooperative_id, op.loan_id))
    assert loan is not None
    if not _parts_restored(session, loan, op):
        raise ReversalNotSupported(
            kind=entry.kind,
            reason="se registró antes de que cada saldo del crédito (suspenso, provisiones, "
            "castigo) se llevara en sus propios asientos: corríjalo con una operación nueva",
        )
    for name, value in op.loan_before.items():
        # what was kept before 0041 also names the write-off request the loan then held,
        # which is an approval request now: it stays as it was decided
        if name in LOAN_FIELDS:
            setattr(loan, name, _load(Loan, name, value))
    session.add(loan)
    session.execute(
        delete(LoanInstallment).where(
            col(LoanInstallment.cooperative_id) == loan.cooperative_id,
            col(LoanInstallment.loan_id) == loan.id,
        )
    )
    session.add_all(installments_from(loan.cooperative_id, loan.id, op.installments_before))
    session.flush()


# The loan's operations ``undo_loan_operation`` undoes (flows.reversal lists it for them).
LOAN_OPERATIONS = (
    EntryKind.loan_disbursement,
    EntryKind.loan_repayment,
    EntryKind.loan_write_off,
    EntryKind.loan_judicial,
    EntryKind.loan_recovery,
)
