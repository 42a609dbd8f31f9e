"""Import roster cells from a CSV file: 工号, 日期, 安排 (employee number, date, cell code).

Excel in China saves CSV as GBK unless told otherwise, so both UTF-8 (with or without BOM) and
GBK are read, and nothing else (staff.text_encoding: a Big5 or Shift-JIS file is refused, not
read as GBK mojibake). Every bad line is reported with its number and nothing is saved.
"""

import csv
import io
from datetime import date

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .models import Employee
from .rosters import roster_set_cells
from .text_encoding import EncodingRefused, decode_text

MAX_BYTES = 1_000_000


def _text(raw: bytes) -> str:
    try:
        return decode_text(raw)[0]
    except EncodingRefused as refused:
        raise ValidationError(refused.message) from None


def roster_import_csv(*, actor, hall, upload) -> int:
    raw = upload.read(MAX_BYTES + 1)
    if len(raw) > MAX_BYTES:
        raise ValidationError(_("The file is too large (at most 1 MB)."))
    lines = list(csv.reader(io.StringIO(_text(raw))))
    people = dict(
        Employee.objects.filter(hall=hall, is_active=True).values_list("employee_no", "pk")
    )
    cells, errors = {}, []
    for number, line in enumerate(lines, start=1):
        if not any(cell.strip() for cell in line):
            continue
        if number == 1 and line[0].strip() in ("工号", "employee_no"):
            continue  # header
        if len(line) < 3:
            errors.append(_("Line %(n)s: expected employee number, date and plan.") % {"n": number})
            continue
        employee_no, day_text, code = (cell.strip() for cell in line[:3])
        employee_id = people.get(employee_no)
        if employee_id is None:
            errors.append(
                _("Line %(n)s: no employee number %(no)s in this hall.")
                % {"n": number, "no": employee_no}
            )
            continue
        try:
            day = date.fromisoformat(day_text)
        except ValueError:
            errors.append(
                _("Line %(n)s: “%(text)s” is not a date like 2026-03-01.")
                % {"n": number, "text": day_text}
            )
            continue
        if (employee_id, day) in cells:
            errors.append(_("Line %(n)s: the same person and day twice.") % {"n": number})
            continue
        cells[employee_id, day] = code
    if errors:
        raise ValidationError(errors)
    if not cells:
        raise ValidationError(_("The file has no roster lines."))
    return roster_set_cells(actor=actor, hall=hall, cells=cells, action="staff.roster.import")
