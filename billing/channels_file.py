"""The CSV file of channel payments (WeChat 生活缴费, Alipay, bank 代扣/代收, 公众号): all or
nothing, streamed.

One line per payment: `channel,reference,account_no,amount,paid_at` (or 渠道,流水号,户号,金额,
支付时间, in any order). The channel is its code (`wechat`) or its name (微信生活缴费, 支付宝,
...); the amount is read by the one amount parser (full-width digits accepted, exponents
refused); the paid time is `YYYY-MM-DD HH:MM[:SS]` in Beijing time (also `2026/3/1 9:05`, as
Excel writes it) or ISO 8601 with its offset (`2026-03-01T09:05:00+08:00`).

Like the bills file it is read twice. The first pass (`channels_check`) checks every line on
its own and, a chunk at a time, against the database (unknown accounts, a paid time before the
account existed, a reference already reported differently), keeping only the first MAX_ERRORS
messages and a hash per (channel, reference). Only a clean file gets the second pass
(`channel_inputs`), which builds the inputs for `billing.services.channels.
channel_payments_record`; that service checks them again under its locks and writes them in
one transaction.
"""

import csv
import functools
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from staff.core.text_encoding import UndecodableLine, decoded_lines

from .bills_file import (
    MAX_ERRORS,
    BillImportError,
    Preview,
    _Errors,
    bills_preview,
    header_positions,
    sniff_encoding,
)
from .models import Account, Channel, ChannelPayment
from .money import AmountError, ascii_digits, read_amount
from .services.channels import ChannelPaymentInput, input_errors

COLUMNS = ["channel", "reference", "account_no", "amount", "paid_at"]
CHINESE_COLUMNS = ["渠道", "流水号", "户号", "金额", "支付时间"]
HEADERS = {
    **{name: name for name in COLUMNS},
    **dict(zip(CHINESE_COLUMNS, COLUMNS, strict=True)),
    # Names the channels' own statements use.
    "交易流水号": "reference",
    "缴费金额": "amount",
    "支付时间": "paid_at",
    "缴费时间": "paid_at",
}

# Lines checked against the database at once.
CHUNK = 1000

# What people write for a channel besides its code and its name in either language.
CHANNEL_ALIASES = {
    "微信": Channel.WECHAT,
    "微信支付": Channel.WECHAT,
    "微信生活缴费": Channel.WECHAT,
    "支付宝": Channel.ALIPAY,
    "银行代扣": Channel.BANK_DEBIT,
    "代扣": Channel.BANK_DEBIT,
    "银行代收": Channel.BANK_COLLECTION,
    "代收": Channel.BANK_COLLECTION,
    "公众号": Channel.OFFICIAL_ACCOUNT,
}

_PAID_AT = re.compile(
    r"(?P<date>\d{4}[-/]\d{1,2}[-/]\d{1,2})[ T](?P<time>\d{1,2}:\d{2}(?::\d{2}(?:\.\d{1,6})?)?)"
    r"(?P<offset>Z|[+-]\d{2}:?\d{2})?"
)

Progress = Callable[[int], None]


@functools.cache
def _channel_names() -> dict[str, str]:
    names = {alias: channel.value for alias, channel in CHANNEL_ALIASES.items()}
    for channel in Channel:
        names[channel.value] = channel.value
        for language in ("en", "zh-hans"):
            with translation.override(language):
                names[str(channel.label).replace(" ", "").lower()] = channel.value
    return names


def channel_code(text: str) -> str | None:
    """The channel's code for what a file says (code, name in Chinese or English), or None."""
    return _channel_names().get(text.replace(" ", "").lower())


def parse_paid_at(text: str) -> datetime | None:
    """The aware time of `text`: Beijing time unless it carries its own offset; or None."""
    match = _PAID_AT.fullmatch(ascii_digits(text).strip())
    if match is None:
        return None
    year, month, day = (int(part) for part in re.split("[-/]", match["date"]))
    hour, minute, *seconds = match["time"].split(":")
    offset = match["offset"] or ""
    # Rebuilt in ISO 8601's one form (zero-padded, "Z" as +00:00) for fromisoformat.
    text = (
        f"{year:04d}-{month:02d}-{day:02d}T{int(hour):02d}:{minute}"
        f":{seconds[0] if seconds else '00'}{'+00:00' if offset == 'Z' else offset}"
    )
    try:
        paid_at = datetime.fromisoformat(text)
    except ValueError:
        return None
    if paid_at.tzinfo is None:
        paid_at = paid_at.replace(tzinfo=ZoneInfo(settings.TIME_ZONE))
    return paid_at


@dataclass(frozen=True)
class CheckedChannelFile:
    """A file that passed the check: its encoding, lines and total amount."""

    encoding: str
    rows: int
    total: Decimal


def _header_order(cells: list[str], line: int) -> list[int]:
    return header_positions(
        cells, line, headers=HEADERS, columns=COLUMNS, chinese_columns=CHINESE_COLUMNS
    )


def _rows(binary, encoding) -> Iterator[tuple[int, list[str], list[int]]]:
    """(line, cells, header order) of every non-blank row after the header."""
    binary.seek(0)
    reader = csv.reader(decoded_lines(binary, encoding))
    header = None
    for cells in reader:
        if not any(cell.strip() for cell in cells):
            continue
        if header is None:
            header = _header_order(cells, reader.line_num)
            continue
        yield reader.line_num, cells, header


def _parse(line, cells, order, *, now) -> tuple[ChannelPaymentInput | None, list[str]]:
    """The input of one line, or the problems of the line (without its number)."""
    if len(cells) != len(COLUMNS):
        return None, [
            _("expected %(expected)s columns, found %(found)s")
            % {"expected": len(COLUMNS), "found": len(cells)}
        ]
    values = dict(zip(COLUMNS, (cells[i].strip() for i in order), strict=True))
    problems = []
    channel = channel_code(values["channel"])
    if channel is None:
        problems.append(
            _("unknown channel “%(value)s”: use one of %(channels)s")
            % {"value": values["channel"], "channels": ", ".join(Channel.values)}
        )
    try:
        amount = read_amount(values["amount"])
    except AmountError as error:
        amount = None
        if error.code == "places":
            problems.append(_("the amount must have at most two decimals"))
        elif error.code == "negative":
            problems.append(_("the amount must be more than zero"))
        else:
            problems.append(
                _("the amount “%(value)s” is not a number") % {"value": values["amount"]}
            )
    paid_at = parse_paid_at(values["paid_at"])
    if paid_at is None:
        problems.append(
            _("the paid time “%(value)s” is not YYYY-MM-DD HH:MM[:SS] (Beijing time) or ISO 8601")
            % {"value": values["paid_at"]}
        )
    item = ChannelPaymentInput(
        channel=channel or values["channel"],
        reference=values["reference"],
        account_no=ascii_digits(values["account_no"]),
        amount=amount if amount is not None else Decimal(1),
        paid_at=paid_at or now,
        line=line,
    )
    # The service's own rules of one input (reference, account, amount > 0 and ceiling, a
    # paid time in the future); those of the fields already refused above are left out.
    refused = {"channel"} if channel is None else set()
    refused |= {"amount"} if amount is None else set()
    refused |= {"paid_at"} if paid_at is None else set()
    problems += [
        error.message for error in input_errors(item, now=now) if error.field not in refused
    ]
    return (None, problems) if problems else (item, [])


def _line_error(line, message) -> str:
    return _("Line %(line)s: %(problem)s") % {"line": line, "problem": message}


def _check_against_database(items: list[ChannelPaymentInput], errors: _Errors):
    """Unknown accounts, a paid time before the account existed, a reference reported before
    for another account, amount or time: what `channel_payments_record` refuses too, found
    here a chunk at a time so the whole file is reported at once."""
    # Plain values, not model instances: a chunk at a time over a whole file.
    accounts = {
        number: (pk, created_at)
        for number, pk, created_at in Account.objects.filter(
            account_no__in={item.account_no for item in items}
        ).values_list("account_no", "id", "created_at")
    }
    existing = {}
    for channel in {item.channel for item in items}:
        existing.update(
            ((channel, reference), details)
            for reference, *details in ChannelPayment.objects.filter(
                channel=channel,
                reference__in={item.reference for item in items if item.channel == channel},
            ).values_list("reference", "account_id", "amount", "paid_at")
        )
    for item in items:
        account = accounts.get(item.account_no)
        if account is None:
            errors.add(
                _line_error(item.line, _("there is no account %(no)s") % {"no": item.account_no})
            )
            continue
        account_id, created_at = account
        if created_at is not None and item.paid_at < created_at:
            errors.add(
                _line_error(
                    item.line,
                    _("the paid time is before account %(no)s existed (%(created)s)")
                    % {
                        "no": item.account_no,
                        "created": timezone.localtime(created_at).strftime("%Y-%m-%d %H:%M"),
                    },
                )
            )
        earlier = existing.get((item.channel, item.reference))
        if earlier is not None and earlier != [account_id, item.amount, item.paid_at]:
            errors.add(
                _line_error(
                    item.line,
                    _(
                        "reference %(reference)s of this channel was already reported for "
                        "another account, amount or time"
                    )
                    % {"reference": item.reference},
                )
            )


def channels_check(
    source, *, encoding: str | None = None, progress: Progress | None = None, now=None
) -> CheckedChannelFile:
    """First pass over a file (binary, seekable): CheckedChannelFile, or BillImportError with
    the first MAX_ERRORS errors (with their line numbers) and their total. Holds one chunk of
    lines and a hash per (channel, reference) at a time."""
    encoding = encoding or sniff_encoding(source)
    now = now or timezone.now()
    errors = _Errors()
    # (channel, reference) -> (first line, the line's account, amount and paid time), keyed
    # by hashes: the same payment twice in one file is one payment; the same reference with
    # other details is refused. A hash collision could only refuse a good file, never write
    # a wrong one (the service checks the real values again).
    seen: dict[int, tuple[int, int]] = {}
    pending: list[ChannelPaymentInput] = []
    count, total = 0, Decimal("0.00")
    try:
        for line, cells, order in _rows(source, encoding):
            count += 1
            if progress is not None and count % CHUNK == 0:
                progress(count)
            item, problems = _parse(line, cells, order, now=now)
            if problems:
                for problem in problems:
                    errors.add(_line_error(line, problem))
                continue
            key = hash((item.channel, item.reference))
            details = hash((item.account_no, item.amount, item.paid_at))
            if key in seen:
                first, first_details = seen[key]
                if first_details != details:
                    errors.add(
                        _line_error(
                            line,
                            _(
                                "reference %(reference)s is on line %(first)s with another "
                                "account, amount or time"
                            )
                            % {"reference": item.reference, "first": first},
                        )
                    )
                continue
            seen[key] = (line, details)
            total += item.amount
            pending.append(item)
            if len(pending) >= CHUNK:
                _check_against_database(pending, errors)
                pending = []
    except UndecodableLine as error:
        errors.add(error.message)
        raise errors.error() from None
    if pending:
        _check_against_database(pending, errors)
    if count == 0 and not errors:
        errors.add(_("The file has no payments."))
    if errors:
        raise errors.error()
    return CheckedChannelFile(encoding=encoding, rows=count, total=total)


def channels_preview(binary, encoding: str, *, limit: int = 10) -> Preview:
    """The header and the first `limit` rows as decoded, for the office to look at."""
    return bills_preview(
        binary,
        encoding,
        limit=limit,
        header_order=_header_order,
        empty=_("The file has no payments."),
    )


def channel_inputs(source, encoding: str, *, now=None) -> Iterator[ChannelPaymentInput]:
    """Second pass over a file that `channels_check` passed: its inputs, one per line."""
    now = now or timezone.now()
    for line, cells, order in _rows(source, encoding):
        item, _problems = _parse(line, cells, order, now=now)
        if item is not None:
            yield item


__all__ = [
    "MAX_ERRORS",
    "BillImportError",
    "CheckedChannelFile",
    "channel_code",
    "channel_inputs",
    "channels_check",
    "channels_preview",
    "parse_paid_at",
]
