"""Table downloads for every app: CSV (UTF-8 with a BOM, so that Excel reads the Chinese) or
XLSX, from a title, a header and rows. The monthly 考勤表 styles its own sheet and uses
`download` and `workbook_bytes` from here."""

import csv
import io
from dataclasses import dataclass, field
from decimal import Decimal

from django.http import Http404, HttpResponse
from django.utils.http import content_disposition_header
from openpyxl import Workbook
from openpyxl.styles import Font

FORMATS = ("csv", "xlsx")
CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass
class Table:
    """One table: its sheet name in XLSX, an optional title line above the header, the rows,
    and optional lines after them (a legend, signature lines)."""

    header: list
    rows: list
    title: str = ""
    sheet: str = ""
    footer: list = field(default_factory=list)


def download(content: bytes, content_type: str, filename: str) -> HttpResponse:
    """An attachment; a Chinese filename is sent as RFC 5987 `filename*=utf-8''…`."""
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


def workbook_bytes(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def table_response(fmt: str, filename: str, *tables: Table) -> HttpResponse:
    """`filename` without extension. CSV holds one table (the first); XLSX one sheet each.
    An unknown format is a 404, like an unknown URL."""
    if fmt == "csv":
        return download(csv_bytes(tables[0]), CSV_TYPE, f"{filename}.csv")
    if fmt == "xlsx":
        return download(xlsx_bytes(*tables), XLSX_TYPE, f"{filename}.xlsx")
    raise Http404


def csv_bytes(table: Table) -> bytes:
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer)
    if table.title:
        writer.writerow([str(table.title)])
    writer.writerow([str(h) for h in table.header])
    writer.writerows(table.rows)  # None is written as an empty cell
    writer.writerows(table.footer)
    return buffer.getvalue().encode("utf-8")


def xlsx_bytes(*tables: Table) -> bytes:
    workbook = Workbook()
    workbook.remove(workbook.active)
    for table in tables:
        sheet = workbook.create_sheet(str(table.sheet or table.title or "Sheet")[:31])
        if table.title:
            sheet.append([str(table.title)])
            sheet.cell(row=1, column=1).font = Font(size=14, bold=True)
        sheet.append([str(h) for h in table.header])
        for row in table.rows:
            sheet.append(row)
            for cell in sheet[sheet.max_row]:
                if isinstance(cell.value, Decimal):
                    cell.number_format = _decimal_format(cell.value)
        for line in table.footer:
            sheet.append(line)
    return workbook_bytes(workbook)


def _decimal_format(value: Decimal) -> str:
    """Money keeps its two places (200.00), a rate its one (99.5)."""
    places = max(0, -value.as_tuple().exponent) if value.is_finite() else 0
    return "0." + "0" * places if places else "0"
