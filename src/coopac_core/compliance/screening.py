"""The screening lists (PEP, sanctions) a cooperative is given, and what a hit on them does:
an admission, or a cash operation from the federation's ``screening_usd``, waits as a
request the compliance officer approves (it then happens: ``flows.screened``) or refuses.
A person matches on their document exactly, or on their names ignoring accents, case and
word order (``compliance.matching``)."""

from __future__ import annotations

import csv
import io
import uuid
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import delete, func, or_
from sqlmodel import Session, col, select

from coopac_core.approvals import engine as approvals
from coopac_core.approvals.engine import ApprovalKind
from coopac_core.approvals.models import ApprovalRequest
from coopac_core.audit import service as audit_service
from coopac_core.compliance.errors import (
    ScreeningHoldDecided,
    ScreeningHoldNotFound,
    ScreeningListInvalid,
)
from coopac_core.compliance.matching import document_key, names_key
from coopac_core.compliance.models import ScreeningEntry
from coopac_core.compliance.schemas import (
    HeldOperation,
    ScreeningHit,
    ScreeningHoldOut,
    ScreeningHoldStatus,
    ScreeningListOut,
    ScreeningLoadOut,
)
from coopac_core.federation.indicators import cash_thresholds
from coopac_core.federation.service import get_cooperative
from coopac_core.members.models import Member
from coopac_core.members.service import get_member
from coopac_core.money import Currency
from coopac_core.reports.cash_operations import SCREENING_FLOOR_USD
from coopac_core.security.principal import CoopContext

# An admission may wait for the officer a month; a cash operation, its day (the till that
# took it must still be open when it is approved).
ADMISSION_HOLD = ApprovalKind(
    name="screening_admission",
    subject_kind="member",
    not_found=ScreeningHoldNotFound,
    decided=ScreeningHoldDecided,
    ttl=timedelta(days=30),
)
OPERATION_HOLD = ApprovalKind(
    name="screening_operation",
    subject_kind="member",
    not_found=ScreeningHoldNotFound,
    decided=ScreeningHoldDecided,
    ttl=timedelta(hours=12),
)
KINDS = {k.name: k for k in (ADMISSION_HOLD, OPERATION_HOLD)}

# The columns of a list, by their English or Spanish names.
_COLUMNS = {
    "document_number": "document_number",
    "numero_documento": "document_number",
    "documento": "document_number",
    "names": "names",
    "nombres": "names",
    "nombre": "names",
    "list": "list",
    "lista": "list",
    "date": "date",
    "fecha": "date",
}
MAX_ROWS = 200_000


def _date(text: str, line: int) -> date | None:
    text = text.strip()
    if not text:
        return None
    try:
        if "/" in text:
            day, month, year = (int(part) for part in text.split("/"))
            return date(year, month, day)
        return date.fromisoformat(text)
    except ValueError:
        pass
    raise ScreeningListInvalid(line=line, reason=f"fecha '{text}' (AAAA-MM-DD o DD/MM/AAAA)")


def parse_lists(raw: bytes) -> list[tuple[str, str | None, str, date | None]]:
    """(list, document, names, date) of every line of a csv (comma or semicolon)."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("latin-1")
    first = text.split("\n", 1)[0]
    reader = csv.reader(
        io.StringIO(text), delimiter=";" if first.count(";") > first.count(",") else ","
    )
    header = next(reader, None)
    if header is None:
        raise ScreeningListInvalid(line=1, reason="el archivo está vacío")
    names = [_COLUMNS.get(h.strip().lower()) for h in header]
    if "names" not in names or "list" not in names:
        raise ScreeningListInvalid(line=1, reason="faltan las columnas names y list")
    out: list[tuple[str, str | None, str, date | None]] = []
    for number, row in enumerate(reader, start=2):
        if not any(cell.strip() for cell in row):
            continue
        if len(out) >= MAX_ROWS:
            raise ScreeningListInvalid(line=number, reason=f"más de {MAX_ROWS} filas")
        cells = {n: row[i].strip() if i < len(row) else "" for i, n in enumerate(names) if n}
        if not cells.get("names") or not names_key(cells["names"]):
            raise ScreeningListInvalid(line=number, reason="sin nombres")
        if not cells.get("list"):
            raise ScreeningListInvalid(line=number, reason="sin lista")
        out.append(
            (
                cells["list"][:60],
                document_key(cells.get("document_number")),
                cells["names"][:300],
                _date(cells.get("date", ""), number),
            )
        )
    if not out:
        raise ScreeningListInvalid(line=2, reason="no hay personas en el archivo")
    return out


def load_lists(session: Session, ctx: CoopContext, raw: bytes) -> ScreeningLoadOut:
    """Each list in the file replaces what the cooperative had under that name (a list is
    given whole); the others stay."""
    rows = parse_lists(raw)
    coop_id = ctx.cooperative_id
    given = sorted({name for name, *_ in rows})
    session.execute(
        delete(ScreeningEntry).where(
            col(ScreeningEntry.cooperative_id) == coop_id,
            col(ScreeningEntry.list_name).in_(given),
        )
    )
    session.add_all(
        ScreeningEntry(
            cooperative_id=coop_id,
            list_name=name,
            document_number=document,
            names=names,
            names_key=names_key(names),
            listed_on=listed,
            loaded_by=ctx.principal.name,
        )
        for name, document, names, listed in rows
    )
    session.flush()
    audit_service.record(
        session,
        ctx.principal,
        "screening_list.load",
        "screening_list",
        None,
        cooperative_id=coop_id,
        details={"lists": given, "entries": len(rows)},
    )
    return ScreeningLoadOut(
        loaded=len(rows), lists=[s for s in list_lists(session, coop_id) if s.list_name in given]
    )


def list_lists(session: Session, cooperative_id: uuid.UUID) -> list[ScreeningListOut]:
    rows = session.execute(
        select(
            col(ScreeningEntry.list_name),
            func.count(),
            func.max(col(ScreeningEntry.loaded_at)),
        )
        .where(ScreeningEntry.cooperative_id == cooperative_id)
        .group_by(col(ScreeningEntry.list_name))
        .order_by(col(ScreeningEntry.list_name))
    ).all()
    return [ScreeningListOut(list_name=n, entries=c, loaded_at=at) for n, c, at in rows]


def hits(
    session: Session, cooperative_id: uuid.UUID, document: str | None, names: str
) -> list[ScreeningHit]:
    doc, key = document_key(document), names_key(names)
    conditions = [col(ScreeningEntry.names_key) == key] if key else []
    if doc:
        conditions.append(col(ScreeningEntry.document_number) == doc)
    if not conditions:
        return []
    rows = session.exec(
        select(ScreeningEntry)
        .where(ScreeningEntry.cooperative_id == cooperative_id, or_(*conditions))
        .order_by(col(ScreeningEntry.list_name), col(ScreeningEntry.names))
    ).all()
    return [
        ScreeningHit(
            list_name=r.list_name,
            names=r.names,
            document_number=r.document_number,
            matched_on="document" if doc and r.document_number == doc else "names",
        )
        for r in rows
    ]


def person_names(member: Member) -> str:
    return member.legal_name or " ".join(n for n in (member.first_names, member.last_names) if n)


def member_hits(session: Session, member: Member) -> list[ScreeningHit]:
    return hits(session, member.cooperative_id, member.document_number, person_names(member))


def hold(
    session: Session,
    ctx: CoopContext,
    kind: ApprovalKind,
    member_id: uuid.UUID,
    found: list[ScreeningHit],
    payload: dict[str, Any],
) -> ScreeningHoldOut:
    """The request for the compliance officer: what was asked (``payload`` says how to do
    it once approved), and the hits."""
    row = approvals.ask(
        session,
        ctx,
        kind,
        subject_id=member_id,
        payload={**payload, "hits": [h.model_dump(mode="json") for h in found]},
    )
    return hold_out(row)


def hold_out(row: ApprovalRequest) -> ScreeningHoldOut:
    payload = row.payload or {}
    status = approvals.effective_status(row).value
    amount = payload.get("amount")
    return ScreeningHoldOut(
        id=row.id,
        operation=HeldOperation(str(payload["operation"])),
        status=ScreeningHoldStatus.pending_approval
        if status == "pending"
        else ScreeningHoldStatus(status),
        member_id=row.subject_id,
        amount=Decimal(amount) if amount is not None else None,
        currency=Currency(payload["currency"]) if payload.get("currency") else None,
        hits=[ScreeningHit.model_validate(h) for h in payload.get("hits", [])],
        requested_by=row.requested_by,
        requested_at=row.requested_at,
        decided_by=row.decided_by,
        decided_at=row.decided_at,
        decision_note=row.decision_note,
        result=payload.get("result"),
    )


def get_hold(session: Session, cooperative_id: uuid.UUID, hold_id: uuid.UUID) -> ApprovalRequest:
    row = session.exec(
        select(ApprovalRequest).where(
            ApprovalRequest.cooperative_id == cooperative_id,
            ApprovalRequest.id == hold_id,
            col(ApprovalRequest.kind).in_(list(KINDS)),
        )
    ).first()
    if row is None:
        raise ScreeningHoldNotFound()
    return row


def list_holds(
    session: Session,
    cooperative_id: uuid.UUID,
    pending_only: bool,
    before: tuple[datetime, uuid.UUID] | None,
    limit: int,
) -> list[ApprovalRequest]:
    """Newest first."""
    stmt = select(ApprovalRequest).where(
        ApprovalRequest.cooperative_id == cooperative_id,
        col(ApprovalRequest.kind).in_(list(KINDS)),
    )
    if pending_only:
        stmt = stmt.where(ApprovalRequest.status == "pending")
    if before is not None:
        at, hold_id = before
        stmt = stmt.where(
            (col(ApprovalRequest.requested_at) < at)
            | ((col(ApprovalRequest.requested_at) == at) & (col(ApprovalRequest.id) < hold_id))
        )
    order = (col(ApprovalRequest.requested_at).desc(), col(ApprovalRequest.id).desc())
    return list(session.exec(stmt.order_by(*order).limit(limit)))


# --- cash operations ----------------------------------------------------------------------


def might_hold(amount: Decimal) -> bool:
    """Whether a cash operation of ``amount`` (in any currency) may reach the screening
    threshold: from USD 500, the least ``screening_usd`` may be, which no amount in soles
    under it reaches."""
    return amount >= SCREENING_FLOOR_USD


def actor_payload(ctx: CoopContext) -> dict[str, Any]:
    """Who asked, as their operation is done again once approved (flows.screened)."""
    p = ctx.principal
    return {
        "name": p.name,
        "full_name": p.full_name,
        "user_id": str(p.user_id) if p.user_id else None,
        "api_key_id": str(p.api_key_id) if p.api_key_id else None,
        "owner_user_id": str(p.owner_user_id) if p.owner_user_id else None,
        "roles": sorted(r.value for r in ctx.roles),
        "branch": str(p.branches[ctx.cooperative_id]) if ctx.cooperative_id in p.branches else None,
    }


def check_operation(
    session: Session,
    ctx: CoopContext,
    operation: str,
    member_id: uuid.UUID,
    amount: Decimal,
    currency: str,
    args: dict[str, Any],
) -> ScreeningHoldOut | None:
    """Hold the operation if it reaches ``screening_usd`` and its member is on a list."""
    if not might_hold(amount):
        return None
    coop = get_cooperative(session, ctx.cooperative_id)
    usd = amount if currency == Currency.USD else amount / coop.exchange_rate
    if usd < cash_thresholds(session).screening_usd:
        return None
    found = member_hits(session, get_member(session, ctx.cooperative_id, member_id))
    if not found:
        return None
    return hold(
        session,
        ctx,
        OPERATION_HOLD,
        member_id,
        found,
        {
            "operation": operation,
            "amount": f"{amount:.2f}",
            "currency": currency,
            "actor": actor_payload(ctx),
            "args": args,
        },
    )
