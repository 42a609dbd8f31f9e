"""The CSV import of bills from the meter-reading office: all or nothing, streamed.

The file is read twice: the first pass (`bills_check`) checks every row and collects the errors
with their line numbers; only a clean file gets the second pass (`bills_write`), which writes in
chunks inside one transaction. Neither pass holds the file in memory, only a hash of each
(account, period) key seen so far, and at most MAX_ERRORS messages (the rest are counted).

The encoding (UTF-8 or GBK, nothing else) is told from the start of the file; every line is
then decoded strictly, so a file that changes encoding half-way is refused at that line.

The write pass is `billing.services.imports.bills_write`; the upload page runs both passes in a
background job (billing.services.imports), `import_bills FILE` in its own process.

A corrections file (更正, `corrections_read`) changes the amount due of bills already imported:
the same columns, encodings and messages, of which only account number, period and amount are
needed (and the volume used when given). It is read into memory whole: a month's corrections
are a few dozen rows, and `billing.services.corrections` needs them all to lock their accounts
in order.
"""

import csv
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from staff.core.text_encoding import (
    SNIFF_BYTES,
    EncodingRefused,
    UndecodableLine,
    decoded_lines,
    detect_encoding,
)

from .models import Bill
from .money import AmountError, ascii_digits, read_amount

COLUMNS = ["account_no", "name", "address", "phone", "period", "volume_m3", "amount"]


CHINESE_COLUMNS = ["户号", "户名", "地址", "电话", "账期", "水量", "金额"]


HEADERS = {
    **{name: name for name in COLUMNS},
    **dict(zip(CHINESE_COLUMNS, COLUMNS, strict=True)),
}


PERIOD = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")


PHONE = re.compile(r"[0-9 -]*")


CHUNK = 2000


# A file of nothing but bad lines must not fill the memory with messages: the first ones are
# kept (and shown), the rest only counted.
MAX_ERRORS = 200


Progress = Callable[[int], None]


class BillImportError(Exception):
    """The file was rejected; `errors` holds the first MAX_ERRORS problems, each with its line
    number, and `total` how many there were."""

    def __init__(self, errors: list[str], total: int | None = None):
        self.errors = errors[:MAX_ERRORS]
        self.total = len(errors) if total is None else total
        super().__init__(f"{self.total} error(s)")


class _Errors:
    """The first MAX_ERRORS messages, and the count of all."""

    def __init__(self):
        self.kept: list[str] = []
        self.total = 0

    def add(self, message: str):
        self.total += 1
        if len(self.kept) < MAX_ERRORS:
            self.kept.append(message)

    def __bool__(self):
        return self.total > 0

    def error(self) -> BillImportError:
        return BillImportError(self.kept, self.total)


@dataclass(frozen=True)
class CheckedFile:
    """A file that passed the check: its encoding and number of bills."""

    encoding: str
    rows: int


@dataclass
class Row:
    line: int
    account_no: str
    name: str
    address: str
    phone: str
    period: str
    volume_m3: Decimal
    amount: Decimal


def _decimal(text, label, errors, *, limit):
    """The amount or volume of a cell with billing.money's one parser (full-width digits
    accepted; exponents, underscores, other scripts' digits, NaN refused)."""
    try:
        value = read_amount(text)
    except AmountError as error:
        if error.code == "places":
            errors.append(_("%(field)s must have at most two decimals") % {"field": label})
        elif error.code == "negative":
            errors.append(_("%(field)s must not be negative") % {"field": label})
        else:
            errors.append(
                _("%(field)s “%(value)s” is not a number") % {"field": label, "value": text}
            )
        return None
    if value >= limit:
        errors.append(_("%(field)s is too large") % {"field": label})
        return None
    return value


def _phone(text, errors):
    """Digits (full-width ones made ASCII), "-" and spaces only, as the counter searches them."""
    phone = ascii_digits(text)
    if not PHONE.fullmatch(phone):
        errors.append(
            _("the phone “%(value)s” may hold only digits, “-” and spaces") % {"value": text}
        )
        return None
    return phone


def _parse(line: int, cells: list[str], order: list[int]) -> tuple[Row | None, list[str]]:
    if len(cells) != len(COLUMNS):
        return None, [
            _("expected %(expected)s columns, found %(found)s")
            % {"expected": len(COLUMNS), "found": len(cells)}
        ]
    values = dict(zip(COLUMNS, (cells[i].strip() for i in order), strict=True))
    errors = []
    if not values["account_no"]:
        errors.append(_("the account number is empty"))
    elif len(values["account_no"]) > 32:
        errors.append(_("the account number is longer than 32 characters"))
    if not values["name"]:
        errors.append(_("the account name is empty"))
    for field, limit in (("name", 100), ("address", 200), ("phone", 32)):
        if len(values[field]) > limit:
            errors.append(
                _("%(field)s is longer than %(limit)s characters")
                % {"field": field, "limit": limit}
            )
    if not PERIOD.match(values["period"]):
        errors.append(_("the period “%(value)s” is not YYYY-MM") % {"value": values["period"]})
    phone = _phone(values["phone"], errors)
    volume = _decimal(values["volume_m3"], _("the volume"), errors, limit=Decimal(10**8))
    amount = _decimal(values["amount"], _("the amount"), errors, limit=Decimal(10**10))
    if errors:
        return None, errors
    return Row(line=line, **{**values, "phone": phone, "volume_m3": volume, "amount": amount}), []


def sniff_encoding(binary) -> str:
    """The file's encoding (staff.core.text_encoding.UTF8 or GBK), from its first bytes."""
    binary.seek(0)
    sample = binary.read(SNIFF_BYTES)
    try:
        return detect_encoding(sample, complete=len(sample) < SNIFF_BYTES)
    except EncodingRefused as refused:
        raise BillImportError([refused.message]) from None


def header_positions(
    cells: list[str], line: int, *, headers: dict, columns: list, chinese_columns: list
) -> list[int]:
    """For each of `columns`, its position in a file whose header is `cells` (names looked up
    in `headers`, English in any case, Chinese); BillImportError for a wrong header. The bills
    and the channel payments files share it."""
    names = [headers.get(cell.strip().lstrip("\ufeff").lower()) for cell in cells]
    if sorted(filter(None, names)) != sorted(columns) or len(names) != len(columns):
        raise BillImportError(
            [
                _("Line %(line)s: the header must be %(english)s or %(chinese)s")
                % {
                    "line": line,
                    "english": ",".join(columns),
                    "chinese": ",".join(chinese_columns),
                }
            ]
        )
    return [names.index(column) for column in columns]


def _header_order(cells: list[str], line: int) -> list[int]:
    """For each of COLUMNS, its position in the file; BillImportError for a wrong header."""
    return header_positions(
        cells, line, headers=HEADERS, columns=COLUMNS, chinese_columns=CHINESE_COLUMNS
    )


def _lines(binary, encoding) -> Iterator[tuple[int, list[str]]]:
    """(line number, cells) of every non-blank CSV row, the header included."""
    binary.seek(0)
    reader = csv.reader(decoded_lines(binary, encoding))
    for cells in reader:
        if any(cell.strip() for cell in cells):
            yield reader.line_num, cells


def _rows(binary, encoding) -> Iterator[tuple[int, list[str], list[int]]]:
    """(line, cells, header order) of every non-blank row after the header."""
    header = None
    for line, cells in _lines(binary, encoding):
        if header is None:
            header = _header_order(cells, line)
            continue
        yield line, cells, header


@dataclass
class Preview:
    """The first rows of a file as decoded, for the office to look at before importing."""

    encoding: str
    header: list[str]
    rows: list[tuple[int, list[str]]]  # (line number, cells)
    problem: str = ""


def bills_preview(
    binary,
    encoding: str,
    *,
    limit: int = 10,
    corrections: bool = False,
    header_order=None,
    empty: str = "",
) -> Preview:
    """The header and the first `limit` rows, and what is wrong with the header if anything
    (a corrections file's header when `corrections`). Another kind of file (channel payments)
    gives its own `header_order` check and `empty` message."""
    header_order = header_order or (_correction_header if corrections else _header_order)
    header, rows, problem = None, [], ""
    try:
        for line, cells in _lines(binary, encoding):
            if header is None:
                header = cells
                try:
                    header_order(cells, line)
                except BillImportError as error:
                    problem = error.errors[0]
                continue
            rows.append((line, cells))
            if len(rows) >= limit:
                break
    except UndecodableLine as error:
        problem = problem or error.message
    if not rows and not problem:
        problem = empty or _("The file has no bills.")
    return Preview(encoding=encoding, header=header or [], rows=rows, problem=problem)


def bills_check(source, *, encoding: str | None = None, progress: Progress | None = None):
    """First pass over a file (binary, seekable): CheckedFile, or BillImportError with the
    first MAX_ERRORS errors (bad rows, duplicates, bills already known) and their total.
    `progress(rows)` is called every CHUNK rows."""
    encoding = encoding or sniff_encoding(source)
    errors = _Errors()
    # (account, period) -> first line, keyed by the pair's 64-bit hash: a third of the memory
    # of the pair itself (50 MB of bills is ~700,000 rows). Two different pairs with the same
    # hash (odds ~1e-8 for such a file) would only reject the file as a duplicate: never
    # import anything wrong.
    seen: dict[int, int] = {}
    pending: list[Row] = []
    count = 0

    def check_known(rows):
        keys = {(row.account_no, row.period) for row in rows}
        known = set(
            Bill.objects.filter(
                account__account_no__in={k[0] for k in keys}, period__in={k[1] for k in keys}
            ).values_list("account__account_no", "period")
        )
        for row in rows:
            if (row.account_no, row.period) in known:
                errors.add(
                    _(
                        "Line %(line)s: account %(no)s already has a bill for %(period)s; "
                        "to change its amount, upload the file as corrections (更正)"
                    )
                    % {"line": row.line, "no": row.account_no, "period": row.period}
                )

    try:
        for line, cells, order in _rows(source, encoding):
            count += 1
            if progress is not None and count % CHUNK == 0:
                progress(count)
            row, problems = _parse(line, cells, order)
            if problems:
                for p in problems:
                    errors.add(_("Line %(line)s: %(problem)s") % {"line": line, "problem": p})
                continue
            key = hash((row.account_no, row.period))
            if key in seen:
                errors.add(
                    _(
                        "Line %(line)s: duplicate of line %(first)s "
                        "(account %(no)s, period %(period)s)"
                    )
                    % {"line": line, "first": seen[key], "no": row.account_no, "period": row.period}
                )
                continue
            seen[key] = line
            pending.append(row)
            if len(pending) >= CHUNK:
                check_known(pending)
                pending = []
    except UndecodableLine as error:
        # The rest of the file cannot be read: report what was found so far and this line.
        errors.add(error.message)
        raise errors.error() from None
    if pending:
        check_known(pending)
    if count == 0 and not errors:
        errors.add(_("The file has no bills."))
    if errors:
        raise errors.error()
    return CheckedFile(encoding=encoding, rows=count)


# --- Corrections (更正) ---------------------------------------------------------------------

CORRECTION_COLUMNS = ["account_no", "period", "amount"]

# A month's corrections are a few dozen rows; a file far longer is most likely the month's bills
# file sent with the corrections box ticked, and would be held whole in the worker's memory.
MAX_CORRECTION_ROWS = 100_000


@dataclass(frozen=True, slots=True)
class CorrectionRow:
    """One corrected bill: the account's bill of `period` is now `amount` due (and `volume_m3`
    when the file gives it). `line`: the file's line number, for the messages."""

    account_no: str
    period: str
    amount: Decimal
    volume_m3: Decimal | None = None
    line: int | None = None


def _correction_header(cells: list[str], line: int) -> dict[str, int]:
    """Column name -> position; a bills file's header is accepted (its name, address and phone
    are not read), as is one of account number, period, amount and optionally the volume."""
    names = [HEADERS.get(cell.strip().lstrip("\ufeff")) for cell in cells]
    known = [name for name in names if name]
    if (
        len(known) != len(names)
        or len(set(known)) != len(known)
        or (not set(CORRECTION_COLUMNS) <= set(known))
    ):
        raise BillImportError(
            [
                _(
                    "Line %(line)s: a corrections file needs the columns %(english)s "
                    "(or %(chinese)s), and may have the volume and the other columns of a "
                    "bills file"
                )
                % {
                    "line": line,
                    "english": ",".join(CORRECTION_COLUMNS),
                    "chinese": "户号,账期,金额",
                }
            ]
        )
    return {name: index for index, name in enumerate(names)}


def _parse_correction(
    line: int, cells: list[str], positions: dict[str, int]
) -> tuple[CorrectionRow | None, list[str]]:
    if len(cells) != len(positions):
        return None, [
            _("expected %(expected)s columns, found %(found)s")
            % {"expected": len(positions), "found": len(cells)}
        ]
    values = {name: cells[index].strip() for name, index in positions.items()}
    errors = []
    account_no = values["account_no"]
    if not account_no:
        errors.append(_("the account number is empty"))
    elif len(account_no) > 32:
        errors.append(_("the account number is longer than 32 characters"))
    if not PERIOD.match(values["period"]):
        errors.append(_("the period “%(value)s” is not YYYY-MM") % {"value": values["period"]})
    amount = _decimal(values["amount"], _("the amount"), errors, limit=Decimal(10**10))
    volume = None
    if values.get("volume_m3"):
        volume = _decimal(values["volume_m3"], _("the volume"), errors, limit=Decimal(10**8))
    if errors:
        return None, errors
    return CorrectionRow(
        account_no=account_no, period=values["period"], amount=amount, volume_m3=volume, line=line
    ), []


def corrections_read(source, *, encoding: str | None = None, progress: Progress | None = None):
    """Every row of a corrections file (binary, seekable) as CorrectionRow, or BillImportError
    with the first MAX_ERRORS errors (bad rows, the same bill twice) and their total. Whether
    each bill exists is the service's check (billing.services.corrections), under its locks."""
    encoding = encoding or sniff_encoding(source)
    errors = _Errors()
    seen: dict[tuple[str, str], int] = {}
    rows: list[CorrectionRow] = []
    positions = None
    try:
        for line, cells in _lines(source, encoding):
            if positions is None:
                positions = _correction_header(cells, line)
                continue
            if len(rows) >= MAX_CORRECTION_ROWS:
                raise BillImportError(
                    [
                        _(
                            "Line %(line)s: a corrections file holds at most %(limit)s rows. "
                            "To import new bills, upload the file without the corrections box."
                        )
                        % {"line": line, "limit": MAX_CORRECTION_ROWS}
                    ]
                )
            if progress is not None and (len(rows) + 1) % CHUNK == 0:
                progress(len(rows) + 1)
            row, problems = _parse_correction(line, cells, positions)
            if problems:
                for p in problems:
                    errors.add(_("Line %(line)s: %(problem)s") % {"line": line, "problem": p})
                continue
            key = (row.account_no, row.period)
            if key in seen:
                errors.add(
                    _(
                        "Line %(line)s: duplicate of line %(first)s "
                        "(account %(no)s, period %(period)s)"
                    )
                    % {"line": line, "first": seen[key], "no": row.account_no, "period": row.period}
                )
                continue
            seen[key] = line
            rows.append(row)
    except UndecodableLine as error:
        errors.add(error.message)
        raise errors.error() from None
    if not rows and not errors:
        errors.add(_("The file has no bills."))
    if errors:
        raise errors.error()
    return rows
