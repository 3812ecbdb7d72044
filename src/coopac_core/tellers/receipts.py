"""A counter operation's receipt: what it says, in figures and in words, and its PDF for an
80 mm receipt printer."""

from __future__ import annotations

import uuid
from decimal import Decimal

from sqlalchemy import text
from sqlmodel import Session

from coopac_core.cells import pdf_text
from coopac_core.channels import Channel
from coopac_core.federation.models import Branch, Cooperative
from coopac_core.ledger.models import EntryKind, JournalEntry
from coopac_core.money import Currency
from coopac_core.tellers.schemas import CurrencyAmount, ReceiptMember, ReceiptOut
from coopac_core.tellers.service import get_receipt

OPERATIONS = {
    "deposit": "Depósito en efectivo",
    "withdrawal": "Retiro en efectivo",
    "transfer": "Transferencia",
    "share_payment": "Pago de aportaciones",
    "share_refund": "Devolución de aportaciones",
    "loan_disbursement": "Desembolso de crédito",
    "loan_repayment": "Pago de crédito",
    "loan_recovery": "Recuperación de crédito castigado",
    "cash_transfer": "Traslado de efectivo",
    "reversal": "Extorno",
    "exchange": "Compra y venta de moneda extranjera",
}
CURRENCY_WORDS = {Currency.PEN: "SOLES", Currency.USD: "DÓLARES AMERICANOS"}


def amount_in_words(amount: Decimal, currency: Currency) -> str:
    """As Peruvian receipts write it: "CIENTO VEINTE Y 50/100 SOLES"."""
    # imported on first use, as in reports.render.to_pdf
    from num2words import num2words

    whole = int(amount)
    cents = int((amount - whole) * 100)
    words = num2words(whole, lang="es").upper()
    return f"{words} Y {cents:02d}/100 {CURRENCY_WORDS[currency]}"


# The till's side of the entry (what the member handed over or took), the member account it
# moved, and whose it is.
DETAILS = text(
    """
SELECT p.currency, abs(sum(p.amount)) AS amount,
    (SELECT coalesce(s.number, l.number)
     FROM posting q
     LEFT JOIN savings_account s ON q.account_kind = 'savings'
         AND s.cooperative_id = q.cooperative_id AND s.id = q.account_id
     LEFT JOIN loan l ON q.account_kind = 'loan' AND l.cooperative_id = q.cooperative_id
         AND l.id = q.account_id
     WHERE q.cooperative_id = :c AND q.entry_id = :e AND q.account_id IS NOT NULL
     ORDER BY q.id LIMIT 1) AS account_number,
    (SELECT coalesce(s.member_id, h.member_id, l.member_id)
     FROM posting q
     LEFT JOIN savings_account s ON q.account_kind = 'savings'
         AND s.cooperative_id = q.cooperative_id AND s.id = q.account_id
     LEFT JOIN share_account h ON q.account_kind = 'share'
         AND h.cooperative_id = q.cooperative_id AND h.id = q.account_id
     LEFT JOIN loan l ON q.account_kind = 'loan' AND l.cooperative_id = q.cooperative_id
         AND l.id = q.account_id
     WHERE q.cooperative_id = :c AND q.entry_id = :e AND q.account_id IS NOT NULL
     ORDER BY q.id LIMIT 1) AS member_id,
    -- an exchange moves no member account: its own record says whose it was
    (SELECT x.member_id FROM exchange_operation x
     WHERE x.cooperative_id = :c AND x.journal_entry_id = :e) AS exchange_member_id
FROM posting p
JOIN till_cash t ON t.cooperative_id = p.cooperative_id AND t.gl_account_id = p.gl_account_id
WHERE p.cooperative_id = :c AND p.entry_id = :e
GROUP BY p.currency
ORDER BY p.currency
LIMIT 1
"""
)

# What the entry did to the till, per currency (positive: cash came in).
TILL_MOVEMENTS = text(
    "SELECT p.currency, sum(p.amount) AS amount FROM posting p "
    "JOIN till_cash t ON t.cooperative_id = p.cooperative_id "
    "AND t.gl_account_id = p.gl_account_id "
    "WHERE p.cooperative_id = :c AND p.entry_id = :e GROUP BY p.currency ORDER BY p.currency"
)

MEMBER = text(
    "SELECT id, member_number, document_type, document_number, "
    "coalesce(legal_name, concat_ws(', ', last_names, first_names)) AS name "
    "FROM member WHERE cooperative_id = :c AND id = :m"
)


def receipt_out(session: Session, cooperative_id: uuid.UUID, number: str) -> ReceiptOut:
    receipt = get_receipt(session, cooperative_id, number)
    entry = session.get(JournalEntry, (cooperative_id, receipt.journal_entry_id))
    coop = session.get(Cooperative, cooperative_id)
    branch = session.get(Branch, (cooperative_id, receipt.branch_id))
    assert entry is not None
    assert coop is not None
    assert branch is not None
    details = session.execute(DETAILS, {"c": cooperative_id, "e": entry.id}).one()
    member = None
    member_id = details.member_id or details.exchange_member_id
    if member_id is not None:
        m = session.execute(MEMBER, {"c": cooperative_id, "m": member_id}).one()
        member = ReceiptMember(
            id=m.id,
            member_number=m.member_number,
            name=m.name,
            document=f"{m.document_type} {m.document_number}",
        )
    currency = Currency(details.currency)
    till = [
        CurrencyAmount(currency=Currency(m.currency), amount=m.amount)
        for m in session.execute(TILL_MOVEMENTS, {"c": cooperative_id, "e": entry.id})
    ]
    kind = entry.kind
    operation = OPERATIONS.get(kind, kind)
    if entry.reversal_of is not None:
        original = session.get(JournalEntry, (cooperative_id, entry.reversal_of))
        if original is not None:
            operation = f"Extorno: {OPERATIONS.get(original.kind, original.kind).lower()}"
    return ReceiptOut(
        number=receipt.number,
        series=receipt.series,
        sequence=receipt.sequence,
        cooperative=coop.name,
        cooperative_ruc=coop.ruc,
        branch=branch.name,
        journal_entry_id=entry.id,
        kind=EntryKind(kind),
        operation=operation,
        account_number=details.account_number,
        member=member,
        currency=currency,
        amount=details.amount,
        amount_in_words=amount_in_words(details.amount, currency),
        till_movements=till,
        teller=entry.actor_name,
        channel=Channel(entry.channel),
        business_date=entry.business_date,
        issued_at=receipt.issued_at,
        offline_recorded_at=entry.recorded_at,
        reverses=entry.reversal_of,
        description=entry.description,
    )


WIDTH = 80.0  # mm: the paper of a receipt printer
MARGIN = 4.0
LINE = 4.2


def render_pdf(r: ReceiptOut) -> bytes:
    """The receipt on 80 mm paper, as long as it needs to be."""
    symbol = "S/" if r.currency == Currency.PEN else "US$"
    lines: list[tuple[str, str, bool]] = [  # (text, align, bold)
        (r.cooperative, "C", True),
        (f"RUC {r.cooperative_ruc}", "C", False),
        (r.branch, "C", False),
        ("", "C", False),
        (f"COMPROBANTE {r.number}", "C", True),
        (f"Fecha: {r.business_date.isoformat()}  {r.issued_at:%H:%M:%S} UTC", "L", False),
        (f"Operación: {r.operation}", "L", True),
    ]
    if r.member is not None:
        lines += [
            (f"Socio: {r.member.name}", "L", False),
            (f"N.° socio: {r.member.member_number}   {r.member.document}", "L", False),
        ]
    if r.account_number:
        lines.append((f"Cuenta: {r.account_number}", "L", False))
    lines += [("", "L", False), (f"IMPORTE: {symbol} {r.amount:,.2f}", "C", True)]
    if len(r.till_movements) > 1:  # an exchange: what came in and what went out
        for m in r.till_movements:
            sign = "Recibido" if m.amount > 0 else "Entregado"
            mark = "S/" if m.currency == Currency.PEN else "US$"
            lines.append((f"{sign}: {mark} {abs(m.amount):,.2f}", "L", False))
    lines += [
        (f"SON: {r.amount_in_words}", "L", False),
        ("", "L", False),
        (f"Cajero: {r.teller}", "L", False),
    ]
    if r.offline_recorded_at is not None:
        lines.append(
            (f"Registrado sin conexión: {r.offline_recorded_at:%Y-%m-%d %H:%M}", "L", False)
        )
    if r.description:
        lines.append((r.description, "L", False))
    lines += [("", "L", False), ("Conserve este comprobante", "C", False)]
    from fpdf import FPDF

    pdf = FPDF(unit="mm", format=(WIDTH, MARGIN * 2 + LINE * (len(lines) + 8)))
    pdf.set_margins(MARGIN, MARGIN, MARGIN)
    pdf.set_auto_page_break(auto=False)
    pdf.add_page()
    for content, align, bold in lines:
        pdf.set_font("Helvetica", "B" if bold else "", 8)
        pdf.multi_cell(
            WIDTH - 2 * MARGIN,
            LINE,
            pdf_text(content),
            align=align,
            new_x="LMARGIN",
            new_y="NEXT",
        )
    return bytes(pdf.output())
