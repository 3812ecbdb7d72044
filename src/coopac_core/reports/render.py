"""A report as a table, written as csv, xlsx or pdf.

csv: one header line and the rows, nothing else, so that any tool reads it (amounts with a
point and two decimals, no thousands separator). xlsx (``xlsxwriter``): the title above,
amounts as numbers with their format, subtotals in bold. pdf (``fpdf2``, pure Python): the
same page the general assembly is shown, landscape when the table is wide."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Any

from fastapi import Query
from fastapi.responses import Response

from coopac_core.cells import pdf_text, safe_text
from coopac_core.ledger.export import XLSX_MEDIA_TYPE

Cell = str | Decimal | int | date | None


class Style(StrEnum):
    row = "row"
    subtotal = "subtotal"
    total = "total"


class Format(StrEnum):
    json = "json"
    csv = "csv"
    xlsx = "xlsx"
    pdf = "pdf"


MEDIA_TYPES = {
    Format.csv: "text/csv; charset=utf-8",
    Format.xlsx: XLSX_MEDIA_TYPE,
    Format.pdf: "application/pdf",
}


@dataclass
class Table:
    title: str
    subtitle: Sequence[str]
    columns: Sequence[str]
    rows: list[tuple[Sequence[Cell], Style]] = field(default_factory=list)
    # relative widths for the pdf (default: equal)
    widths: Sequence[int] | None = None

    def add(self, cells: Sequence[Cell], style: Style = Style.row) -> None:
        self.rows.append((cells, style))


class CsvDialect(StrEnum):
    """How a csv is written: ``default`` (comma, decimal point, UTF-8) for tools;
    ``excel-es`` (semicolon, decimal comma, UTF-8 with a BOM) for Excel in a Peruvian
    locale, which reads the default as one column and 1.50 as a date."""

    default = "default"
    excel_es = "excel-es"


DialectQuery = Annotated[
    CsvDialect,
    Query(
        description="csv only: default (comma, decimal point, UTF-8), or excel-es "
        "(semicolon, decimal comma, UTF-8 with BOM) for Excel in a Peruvian locale"
    ),
]


def _number(value: Decimal) -> Decimal:
    """A zero is shown as 0.00, never -0.00."""
    return value + 0 if value == 0 else value


def _text(value: Cell, decimal_comma: bool = False) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        text = f"{_number(value):f}"  # as many decimals as it has: amounts two, ratios four
        return text.replace(".", ",") if decimal_comma else text
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, int):
        return str(value)
    return safe_text(value)


def to_csv(table: Table, dialect: CsvDialect = CsvDialect.default) -> bytes:
    spanish = dialect is CsvDialect.excel_es
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";" if spanish else ",", lineterminator="\n")
    writer.writerow(table.columns)
    for cells, _ in table.rows:
        writer.writerow([_text(c, decimal_comma=spanish) for c in cells])
    return out.getvalue().encode("utf-8-sig" if spanish else "utf-8")


def to_xlsx(table: Table) -> bytes:
    # imported on first use: these libraries take a second to load, which every process
    # (each worker, each `coopac` command) would pay at start for a file few requests ask for
    import xlsxwriter

    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True})
    # Excel refuses these in a sheet's name, and more than 31 characters
    sheet = book.add_worksheet(re.sub(r"[\[\]:*?/\\]", " ", table.title)[:31])
    bold = book.add_format({"bold": True})
    title = book.add_format({"bold": True, "font_size": 13})
    header = book.add_format({"bold": True, "bottom": 1, "text_wrap": True})
    money = book.add_format({"num_format": "#,##0.00"})
    money_bold = book.add_format({"num_format": "#,##0.00", "bold": True})
    fraction = book.add_format({"num_format": "0.0000"})
    # text as text: xlsxwriter's write() would take a text that starts with = as a formula
    sheet.write_string(0, 0, safe_text(table.title), title)
    for i, line in enumerate(table.subtitle, start=1):
        sheet.write_string(i, 0, safe_text(line))
    first = len(table.subtitle) + 2
    for col, name in enumerate(table.columns):
        sheet.write_string(first, col, safe_text(name), header)
        sheet.set_column(col, col, max(12, min(40, len(name) + 4)))
    for r, (cells, style) in enumerate(table.rows, start=first + 1):
        strong = style is not Style.row
        for col, value in enumerate(cells):
            if isinstance(value, Decimal) and value.as_tuple().exponent == -4:
                sheet.write_number(r, col, float(_number(value)), fraction)
            elif isinstance(value, Decimal):
                sheet.write_number(r, col, float(_number(value)), money_bold if strong else money)
            elif isinstance(value, int):
                sheet.write_number(r, col, value, bold if strong else None)
            elif value is not None:
                sheet.write_string(r, col, _text(value), bold if strong else None)
    sheet.freeze_panes(first + 1, 0)
    book.close()
    return out.getvalue()


def to_pdf(table: Table) -> bytes:
    # imported on first use, as in to_xlsx
    from fpdf import FPDF
    from fpdf.enums import TableCellFillMode
    from fpdf.fonts import FontFace

    wide = len(table.columns) > 5
    pdf = FPDF(orientation="landscape" if wide else "portrait", format="A4")
    pdf.set_auto_page_break(auto=True, margin=12)
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 13)
    pdf.cell(0, 8, pdf_text(table.title), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 9)
    for line in table.subtitle:
        pdf.cell(0, 5, pdf_text(line), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)
    pdf.set_font("Helvetica", "", 8)
    strong = FontFace(emphasis="BOLD")
    numeric = [
        any(isinstance(cells[i], Decimal | int) for cells, _ in table.rows if i < len(cells))
        for i in range(len(table.columns))
    ]
    aligns: Any = tuple("RIGHT" if n else "LEFT" for n in numeric)
    with pdf.table(
        col_widths=tuple(table.widths) if table.widths else None,
        text_align=aligns,
        cell_fill_color=245,
        cell_fill_mode=TableCellFillMode.ROWS,
        line_height=5,
        first_row_as_headings=True,
    ) as grid:
        head = grid.row()
        for name in table.columns:
            head.cell(pdf_text(name))
        for cells, style in table.rows:
            row = grid.row(style=None if style is Style.row else strong)
            for value in cells:
                text = f"{_number(value):,.2f}" if isinstance(value, Decimal) else _text(value)
                row.cell(pdf_text(text))
    return bytes(pdf.output())


def respond(
    table: Table, fmt: Format, filename: str, dialect: CsvDialect = CsvDialect.default
) -> Response:
    """The table in ``fmt`` (not json), as a download."""
    if fmt is Format.csv:
        body = to_csv(table, dialect)
    else:
        body = {Format.xlsx: to_xlsx, Format.pdf: to_pdf}[fmt](table)
    return Response(
        content=body,
        media_type=MEDIA_TYPES[fmt],
        headers={"Content-Disposition": f'attachment; filename="{filename}.{fmt.value}"'},
    )
