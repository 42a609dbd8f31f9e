"""Exports: the monthly attendance sheet (考勤表) as XLSX and CSV, the penalty register.

Written through staff.core.tabular like every download: the 考勤表's own layout appends its rows
with `append_row`, so names and codes never become formulas.
"""

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Side
from openpyxl.utils import get_column_letter

from .core.access import employee_of
from .core.tabular import (
    XLSX_TYPE,
    Table,
    append_row,
    download,
    sheet_name,
    table_response,
    workbook_bytes,
)
from .models import LeaveType
from .selectors.attendance import LEGEND, TOTAL_FIELDS

WEEKDAYS = "一二三四五六日"


def _hall_label(hall):
    return hall.name if hall is not None else _("All halls")


def attendance_title(summary, hall) -> str:
    return _("%(hall)s attendance sheet, %(year)s-%(month)02d") % {
        "hall": _hall_label(hall),
        "year": summary.month.year,
        "month": summary.month.month,
    }


def attendance_header(summary) -> list:
    return [
        _("No."),
        _("Employee number"),
        _("Name"),
        _("Hall"),
        *[str(d.day) for d in summary.days],
        *[str(label) for _key, label in TOTAL_FIELDS],
        *[str(label) for label in LeaveType.labels],
    ]


def attendance_rows(summary):
    for number, row in enumerate(summary.rows, start=1):
        yield [
            number,
            row.employee.employee_no,
            row.employee.name,
            row.employee.hall.name if row.employee.hall_id else "",
            *row.codes,
            *[row.totals[key] for key, _label in TOTAL_FIELDS],
            *[row.leave.get(value, 0) for value in LeaveType.values],
        ]


def _legend():
    return _("Legend: %(codes)s") % {
        "codes": "  ".join(f"{code} {label}" for code, label in LEGEND)
    }


def _signatures(compiler):
    me = employee_of(compiler)
    name = settings.ATTENDANCE_COMPILER or (me.name if me else compiler.get_username())
    return [
        (_("Compiled by"), name),
        (_("Reviewed by"), settings.ATTENDANCE_REVIEWER),
        (_("Approved by"), settings.ATTENDANCE_APPROVER),
    ]


def _signature(label, name):
    return _("%(label)s: %(name)s") % {"label": label, "name": name or "__________"}


def attendance_xlsx(summary, *, hall, compiler):
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = sheet_name(f"{summary.month:%Y-%m}")
    header = attendance_header(summary)
    width = len(header)
    thin = Side(style="thin", color="999999")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    center = Alignment(horizontal="center", vertical="center", wrap_text=True)

    append_row(sheet, [attendance_title(summary, hall)])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    sheet["A1"].font = Font(size=16, bold=True)
    sheet["A1"].alignment = Alignment(horizontal="center")
    reported = summary.reported
    append_row(
        sheet,
        [
            _("Hall: %(hall)s") % {"hall": _hall_label(hall)},
            None,
            None,
            None,
            _("Month: %(month)s") % {"month": f"{summary.month:%Y-%m}"},
            *[None] * 9,
            _("Compiled on: %(day)s") % {"day": f"{timezone.localdate():%Y-%m-%d}"},
            *[None] * 9,
            _("Reported") if reported else _("Not yet reported"),
        ],
    )
    append_row(sheet, header)
    append_row(sheet, [None, None, None, None, *[WEEKDAYS[d.weekday()] for d in summary.days]])
    fill = PatternFill("solid", fgColor="EEF2F7")
    for row in sheet.iter_rows(min_row=3, max_row=4, max_col=width):
        for cell in row:
            cell.font = Font(bold=True)
            cell.fill = fill
            cell.alignment = center
            cell.border = border
    for values in attendance_rows(summary):
        append_row(sheet, values)
    last = sheet.max_row
    first_day_column = 5
    # One named style per kind of cell: assigning it once is much cheaper than setting border
    # and alignment on each of the ~20,000 cells of a center-wide month.
    workbook.add_named_style(NamedStyle("kq_text", border=border))
    workbook.add_named_style(NamedStyle("kq_code", border=border, alignment=center))
    for row in sheet.iter_rows(min_row=5, max_row=last, max_col=width):
        for cell in row:
            cell.style = "kq_code" if cell.column >= first_day_column else "kq_text"
    sheet.append([])
    append_row(sheet, [_legend()])
    sheet.merge_cells(
        start_row=sheet.max_row, start_column=1, end_row=sheet.max_row, end_column=width
    )
    sheet.append([])
    signature_row = []
    for label, name in _signatures(compiler):
        signature_row += [_signature(label, name), *[None] * 9]
    append_row(sheet, signature_row)
    sheet.column_dimensions["A"].width = 5
    sheet.column_dimensions["B"].width = 9
    sheet.column_dimensions["C"].width = 10
    sheet.column_dimensions["D"].width = 8
    for column in range(first_day_column, first_day_column + len(summary.days)):
        sheet.column_dimensions[get_column_letter(column)].width = 4
    sheet.freeze_panes = "E5"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth = 1
    filename = f"{attendance_title(summary, hall)}.xlsx"
    return download(workbook_bytes(workbook), XLSX_TYPE, filename)


def attendance_csv(summary, *, hall, compiler):
    title = attendance_title(summary, hall)
    table = Table(
        title=title,
        header=attendance_header(summary),
        rows=attendance_rows(summary),
        footer=[
            [_legend()],
            [_signature(label, name) for label, name in _signatures(compiler)],
        ],
    )
    return table_response("csv", title, table)


def penalties_table(penalties, statuses, year):
    header = [
        _("Employee number"),
        _("Name"),
        _("Hall"),
        _("Date"),
        _("Kind"),
        _("Amount"),
        _("Reason"),
        _("Source"),
        _("Annual bonus"),
    ]
    rows = [
        [
            p.employee.employee_no,
            p.employee.name,
            p.employee.hall.name if p.employee.hall_id else "",
            p.date.isoformat(),
            p.get_kind_display(),
            p.amount,
            p.reason,
            p.source,
            str(statuses[p.employee_id].label),
        ]
        for p in penalties
    ]
    return _("Penalty register %(year)s") % {"year": year}, header, rows


def penalties_export(fmt, penalties, statuses, year):
    """The penalty register of a year as a download (CSV or XLSX)."""
    title, header, rows = penalties_table(penalties, statuses, year)
    return table_response(fmt, title, Table(title=title, sheet=title, header=header, rows=rows))
