"""Every CSV and XLSX download of the project is written here: from a title, a header and rows
(`table_response`), or cell by cell for a sheet with its own layout (`append_row`, used by the
monthly 考勤表).

Cells that come from people (a customer's name from the bills file, a penalty's reason, a hall's
name) must not turn into spreadsheet formulas: `=HYPERLINK(...)` in a CSV opens in Excel as a
live link, `+SUM(...)` runs. Following OWASP's advice on CSV injection, a text cell that begins
with `=`, `+`, `-`, `@`, a tab or a carriage return is written with a leading `'` in CSV (Excel
shows the text as typed), and as a string cell in XLSX (never a formula, with Excel's quote
prefix so that editing the cell keeps it text). Numbers (int, Decimal) stay numbers.

CSV is UTF-8 with a BOM, so that Excel reads the Chinese; a file for another system may be
asked in GBK instead (`csv_encoded`: no BOM, and a character GBK lacks refuses the file rather
than being written as something else).
"""

import csv
import io
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal

from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.utils.functional import Promise
from django.utils.http import content_disposition_header
from openpyxl import Workbook
from openpyxl.cell import Cell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font

FORMATS = ("csv", "xlsx")
CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# OWASP, "CSV Injection": the characters a spreadsheet reads as the start of a formula.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
# Characters Excel does not allow in a sheet's name.
SHEET_NAME_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


@dataclass
class Table:
    """One table: its sheet name in XLSX, an optional title line above the header, the rows,
    and optional lines after them (a legend, signature lines). `rows` may be a generator (a
    streamed CSV reads it once)."""

    header: list
    rows: Iterable
    title: str = ""
    sheet: str = ""
    footer: list = field(default_factory=list)


# --- cells --------------------------------------------------------------------------------


def is_formula_like(text: str) -> bool:
    return text.startswith(FORMULA_TRIGGERS)


def csv_cell(value):
    """A value as a CSV cell: text that a spreadsheet would read as a formula gets a leading
    `'`; numbers are left alone (written as 200.00, -3.50). None is an empty cell."""
    if value is None:
        return ""
    if isinstance(value, Promise):
        value = str(value)
    if isinstance(value, str):
        return "'" + value if is_formula_like(value) else value
    return value


def xlsx_cell(sheet, value):
    """A value for `sheet.append` on a normal or write-only sheet: the value itself where
    openpyxl writes it as it is, else a cell made for it.

    Text is always a string cell: openpyxl would store `=…` as a formula and `#N/A` as an
    error. Money keeps its places (200.00), a rate its one (99.5)."""
    if isinstance(value, Promise):
        value = str(value)
    if isinstance(value, str):
        if ILLEGAL_CHARACTERS_RE.search(value) or value.startswith(("=", "#", *FORMULA_TRIGGERS)):
            return text_cell(sheet, value)
        return value  # plain text: cheaper than a cell of its own in a long list
    if isinstance(value, Decimal):
        cell = Cell(sheet, row=1, column=1, value=value)
        cell.number_format = _decimal_format(value)
        return cell
    return value


def text_cell(sheet, text) -> Cell:
    """A string cell for `sheet.append` (which sets its place: row and column here are
    placeholders, as in openpyxl's own `WriteOnlyCell`). Characters that an XLSX file cannot
    hold (control characters) are dropped instead of failing the download."""
    cell = Cell(sheet, row=1, column=1, value=ILLEGAL_CHARACTERS_RE.sub("", str(text)))
    cell.data_type = "s"
    if is_formula_like(cell.value):
        cell.quotePrefix = True
    return cell


def append_row(sheet, values: Iterable) -> None:
    """`sheet.append(values)`, every value written through `xlsx_cell`."""
    sheet.append([xlsx_cell(sheet, value) for value in values])


def sheet_name(text) -> str:
    """A valid sheet name: without the characters Excel refuses, at most 31 characters."""
    return SHEET_NAME_FORBIDDEN.sub("_", str(text)).strip()[:31] or "Sheet"


def _decimal_format(value: Decimal) -> str:
    places = max(0, -value.as_tuple().exponent) if value.is_finite() else 0
    return "0." + "0" * places if places else "0"


# --- files ----------------------------------------------------------------------------------


class _Echo:
    """A file that hands back what is written: csv.writer then returns each line."""

    def write(self, value):
        return value


def csv_lines(table: Table, *, bom: bool = True) -> Iterator[str]:
    """The CSV text of `table`, line by line, starting with the BOM (unless `bom=False`)."""
    writer = csv.writer(_Echo())
    if bom:
        yield "\ufeff"
    if table.title:
        yield writer.writerow([csv_cell(table.title)])
    yield writer.writerow([csv_cell(h) for h in table.header])
    for row in table.rows:
        yield writer.writerow([csv_cell(v) for v in row])
    for line in table.footer:
        yield writer.writerow([csv_cell(v) for v in line])


def csv_bytes(table: Table) -> bytes:
    return "".join(csv_lines(table)).encode("utf-8")


class CsvEncodingError(ValueError):
    """A cell holds a character the file's encoding cannot write. `line` is the file's line
    (1 is the first: the title or the header), `character` the culprit."""

    def __init__(self, line: int, character: str, encoding: str):
        super().__init__(f"line {line}: {character!r} cannot be written in {encoding}")
        self.line = line
        self.character = character
        self.encoding = encoding


def csv_encoded(table: Table, encoding: str = "utf-8") -> bytes:
    """The CSV of `table` in `encoding`: UTF-8 with its BOM, any other encoding (GBK) without.
    Encoded line by line, so that a character the encoding lacks is reported with its line
    (`CsvEncodingError`) instead of being replaced: a file for another system must hold what
    the database holds."""
    utf8 = encoding.replace("_", "-").lower() in ("utf-8", "utf8")
    lines = csv_lines(table, bom=utf8)
    if utf8:
        return "".join(lines).encode("utf-8")
    parts = []
    for number, line in enumerate(lines, start=1):
        try:
            parts.append(line.encode(encoding))
        except UnicodeEncodeError as error:
            raise CsvEncodingError(number, error.object[error.start], encoding) from error
    return b"".join(parts)


def workbook_bytes(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def xlsx_bytes(*tables: Table) -> bytes:
    """One sheet per table. Write-only: rows go to the file as they come, so a long list does
    not hold every cell object at once."""
    workbook = Workbook(write_only=True)
    for table in tables:
        sheet = workbook.create_sheet(sheet_name(table.sheet or table.title or "Sheet"))
        if table.title:
            title = Cell(
                sheet, row=1, column=1, value=ILLEGAL_CHARACTERS_RE.sub("", str(table.title))
            )
            title.data_type = "s"
            title.font = Font(size=14, bold=True)
            sheet.append([title])
        append_row(sheet, table.header)
        for row in table.rows:
            append_row(sheet, row)
        for line in table.footer:
            append_row(sheet, line)
    return workbook_bytes(workbook)


# --- responses ----------------------------------------------------------------------------


def download(content: bytes, content_type: str, filename: str) -> HttpResponse:
    """An attachment; a Chinese filename is sent as RFC 5987 `filename*=utf-8''…`."""
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


def table_response(fmt: str, filename: str, *tables: Table, stream: bool = False):
    """`filename` without extension. CSV holds one table (the first); XLSX one sheet each.
    With `stream`, the CSV is sent while its rows are read (a long payment list) instead of
    being built first. An unknown format is a 404, like an unknown URL."""
    if fmt == "csv":
        if stream:
            response = StreamingHttpResponse(
                (line.encode("utf-8") for line in csv_lines(tables[0])), content_type=CSV_TYPE
            )
            response["Content-Disposition"] = content_disposition_header(True, f"{filename}.csv")
            return response
        return download(csv_bytes(tables[0]), CSV_TYPE, f"{filename}.csv")
    if fmt == "xlsx":
        return download(xlsx_bytes(*tables), XLSX_TYPE, f"{filename}.xlsx")
    raise Http404
