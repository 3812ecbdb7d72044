"""The journal's movements over a range of business dates, for an accounting system: one
row per posting, with its GL code and, where it touches a member's product, the account's
number and the member's. Streamed: a server-side cursor read in batches, written out as it
comes, so memory stays flat whatever the range (an xlsx goes through xlsxwriter's
constant-memory mode and a temporary file, since a zip is finished only at its end)."""

from __future__ import annotations

import csv
import io
import os
import tempfile
import uuid
from collections.abc import Iterator, Sequence
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Any

from sqlalchemy import text

from coopac_core.cells import safe_text
from coopac_core.db import Database

BATCH = 5_000
# an xlsx sheet holds 1,048,576 rows: the export goes on in another sheet
SHEET_ROWS = 1_000_000


class ExportFormat(StrEnum):
    csv = "csv"
    xlsx = "xlsx"


XLSX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


COLUMNS = (
    "business_date",
    "booked_at",
    "entry_id",
    "entry_seq",
    "kind",
    "description",
    "branch",
    "channel",
    "reversal_of",
    "posting_id",
    "gl_code",
    "gl_name",
    "currency",
    "debit",
    "credit",
    "account_kind",
    "account_number",
    "member_number",
    "actor",
)

_ROWS = """
SELECT p.business_date, e.created_at, e.id, e.seq, e.kind, e.description, b.code,
       e.channel, e.reversal_of, p.id, g.code, g.name, p.currency,
       CASE WHEN p.amount > 0 THEN p.amount END,
       CASE WHEN p.amount < 0 THEN -p.amount END,
       p.account_kind, coalesce(s.number, o.number), m.member_number, e.actor_name
FROM posting p
JOIN journal_entry e ON e.cooperative_id = p.cooperative_id AND e.id = p.entry_id
JOIN gl_account g ON g.cooperative_id = p.cooperative_id AND g.id = p.gl_account_id
LEFT JOIN branch b ON b.cooperative_id = e.cooperative_id AND b.id = e.branch_id
LEFT JOIN savings_account s ON p.account_kind = 'savings'
    AND s.cooperative_id = p.cooperative_id AND s.id = p.account_id
LEFT JOIN share_account h ON p.account_kind = 'share'
    AND h.cooperative_id = p.cooperative_id AND h.id = p.account_id
LEFT JOIN loan o ON p.account_kind LIKE 'loan%'  -- the loan's own lines, and its parts'
    AND o.cooperative_id = p.cooperative_id AND o.id = p.account_id
LEFT JOIN member m ON m.cooperative_id = p.cooperative_id
    AND m.id = coalesce(s.member_id, h.member_id, o.member_id)
WHERE p.cooperative_id = :c
  AND (CAST(:since AS date) IS NULL OR p.business_date >= :since)
  AND (CAST(:until AS date) IS NULL OR p.business_date <= :until)
ORDER BY p.id
"""


def batches(
    db: Database, cooperative_id: uuid.UUID, since: date | None, until: date | None
) -> Iterator[Sequence[Any]]:
    """The rows in booking order, a batch at a time, from one snapshot."""
    with db.session(cooperative_id) as session:
        result = session.execute(
            text(_ROWS).execution_options(stream_results=True, yield_per=BATCH),
            {"c": cooperative_id, "since": since, "until": until},
        )
        yield from result.partitions()


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    if hasattr(value, "isoformat"):
        return str(value.isoformat())
    if isinstance(value, int):
        return str(value)
    return safe_text(str(value))


def csv_stream(rows: Iterator[Sequence[Any]]) -> Iterator[bytes]:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for batch in rows:
        writer.writerows([_cell(v) for v in row] for row in batch)
        yield out.getvalue().encode()
        out.seek(0)
        out.truncate()
    if out.tell():
        yield out.getvalue().encode()


def xlsx_stream(rows: Iterator[Sequence[Any]], title: str) -> Iterator[bytes]:
    """Rows go to xlsxwriter row by row (constant memory: it keeps one row), the book to
    a temporary file, then the file out in chunks; the file is gone when the stream ends."""
    # imported on first use, as in reports.render.to_xlsx
    import xlsxwriter

    handle, path = tempfile.mkstemp(suffix=".xlsx")
    os.close(handle)
    try:
        book = xlsxwriter.Workbook(path, {"constant_memory": True})
        header = book.add_format({"bold": True})
        money = book.add_format({"num_format": "#,##0.00"})
        sheet = None
        r = 0
        n = 0
        for batch in rows:
            for row in batch:
                if sheet is None or r > SHEET_ROWS:
                    n += 1
                    sheet = book.add_worksheet(f"{title[:25]} {n}" if n > 1 else title[:31])
                    sheet.write_row(0, 0, COLUMNS, header)
                    r = 1
                for col, value in enumerate(row):
                    if isinstance(value, Decimal):
                        # a spreadsheet's number; the exact amount is the csv's
                        sheet.write_number(r, col, float(value), money)
                    elif value is not None:
                        sheet.write_string(r, col, _cell(value))
                r += 1
        if sheet is None:
            book.add_worksheet(title[:31]).write_row(0, 0, COLUMNS, header)
        book.close()
        with open(path, "rb") as f:
            while chunk := f.read(1 << 16):
                yield chunk
    finally:
        os.unlink(path)
