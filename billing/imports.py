"""The CSV import of bills from the meter-reading office: all or nothing, streamed.

The file is read twice: the first pass checks every row and collects every error with its line
number; only a clean file gets the second pass, which writes in chunks inside one transaction.
Neither pass holds the file in memory, only the (account, period) keys seen so far.
"""

import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from staff.audit import audit_record

from .models import Account, Bill, BillImport, BillStatus
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
# GB18030 is a superset of GBK: any GBK file decodes the same with it.
ENCODINGS = ["utf-8-sig", "gb18030"]


class BillImportError(Exception):
    """The file was rejected; `errors` lists every problem, each with its line number."""

    def __init__(self, errors: list[str]):
        super().__init__(f"{len(errors)} error(s)")
        self.errors = errors


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


def _rows(binary, encoding) -> Iterator[tuple[int, list[str] | None, list[str]]]:
    """(line, cells, header order) of every non-blank row, after the header."""
    binary.seek(0)
    text = io.TextIOWrapper(binary, encoding=encoding, newline="")
    try:
        reader = csv.reader(text)
        header = None
        for cells in reader:
            if not any(cell.strip() for cell in cells):
                continue
            if header is None:
                names = [HEADERS.get(cell.strip().lstrip("\ufeff")) for cell in cells]
                if sorted(filter(None, names)) != sorted(COLUMNS) or len(names) != len(COLUMNS):
                    raise BillImportError(
                        [
                            _("Line %(line)s: the header must be %(english)s or %(chinese)s")
                            % {
                                "line": reader.line_num,
                                "english": ",".join(COLUMNS),
                                "chinese": ",".join(CHINESE_COLUMNS),
                            }
                        ]
                    )
                header = [names.index(column) for column in COLUMNS]
                continue
            yield reader.line_num, cells, header
    finally:
        text.detach()


def _check(binary, encoding) -> tuple[int, list[str]]:
    """First pass: count rows and list every error, including duplicates and known bills."""
    errors: list[str] = []
    seen: dict[tuple[str, str], int] = {}
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
                errors.append(
                    _("Line %(line)s: account %(no)s already has a bill for %(period)s")
                    % {"line": row.line, "no": row.account_no, "period": row.period}
                )

    for line, cells, order in _rows(binary, encoding):
        count += 1
        row, problems = _parse(line, cells, order)
        if problems:
            errors += [
                _("Line %(line)s: %(problem)s") % {"line": line, "problem": p} for p in problems
            ]
            continue
        key = (row.account_no, row.period)
        if key in seen:
            errors.append(
                _("Line %(line)s: duplicate of line %(first)s (account %(no)s, period %(period)s)")
                % {"line": line, "first": seen[key], "no": row.account_no, "period": row.period}
            )
            continue
        seen[key] = line
        pending.append(row)
        if len(pending) >= CHUNK:
            check_known(pending)
            pending = []
    if pending:
        check_known(pending)
    if count == 0 and not errors:
        errors.append(_("The file has no bills."))
    return count, errors


def _write_chunk(rows: list[Row], figures: dict):
    latest = {row.account_no: row for row in rows}
    accounts = {
        account.account_no: account
        for account in Account.objects.filter(account_no__in=latest).only(
            "id", "account_no", "name", "address", "phone"
        )
    }
    changed = []
    for no, row in latest.items():
        account = accounts.get(no)
        if account is None:
            continue
        if (account.name, account.address, account.phone) != (row.name, row.address, row.phone):
            account.name, account.address, account.phone = row.name, row.address, row.phone
            changed.append(account)
    new = [
        Account(account_no=no, name=row.name, address=row.address, phone=row.phone)
        for no, row in latest.items()
        if no not in accounts
    ]
    if new:
        Account.objects.bulk_create(new)
        # bulk_create sets primary keys on PostgreSQL and SQLite; fetch them where it does not.
        if any(account.pk is None for account in new):
            new = list(Account.objects.filter(account_no__in=[a.account_no for a in new]))
        accounts.update({account.account_no: account for account in new})
    if changed:
        Account.objects.bulk_update(changed, ["name", "address", "phone"])
    Bill.objects.bulk_create(
        [
            Bill(
                account_id=accounts[row.account_no].pk,
                period=row.period,
                volume_m3=row.volume_m3,
                amount_due=row.amount,
                # Nothing to pay (e.g. no consumption): the bill is settled from the start.
                status=BillStatus.PAID if row.amount == 0 else BillStatus.UNPAID,
            )
            for row in rows
        ]
    )
    figures["accounts_created"] += len(new)
    figures["accounts_updated"] += len(changed)
    figures["bills_created"] += len(rows)


def bills_import(*, actor, source, filename: str = "") -> BillImport:
    """Import a CSV file of bills (binary, seekable). Raises BillImportError, writing nothing."""
    for encoding in ENCODINGS:
        try:
            count, errors = _check(source, encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise BillImportError([_("The file is neither UTF-8 nor GBK text.")])
    if errors:
        raise BillImportError(errors)
    figures = {"accounts_created": 0, "accounts_updated": 0, "bills_created": 0}
    try:
        with transaction.atomic():
            chunk: list[Row] = []
            for line, cells, order in _rows(source, encoding):
                row, _problems = _parse(line, cells, order)
                chunk.append(row)
                if len(chunk) >= CHUNK:
                    _write_chunk(chunk, figures)
                    chunk = []
            if chunk:
                _write_chunk(chunk, figures)
            batch = BillImport.objects.create(
                filename=filename[:200],
                encoding="GBK" if encoding == "gb18030" else "UTF-8",
                rows=count,
                imported_by=actor,
                **figures,
            )
            audit_record(
                actor=actor,
                action="billing.bills.import",
                obj=batch,
                summary=_("%(bills)s bills imported from %(file)s")
                % {"bills": figures["bills_created"], "file": filename or "-"},
                changes=figures,
            )
    except IntegrityError as error:
        # Another import added the same bills between the check and the write.
        raise BillImportError(
            [_("The bills changed while importing; nothing was imported. Try again.")]
        ) from error
    return batch
