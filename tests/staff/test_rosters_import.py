import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from staff.models import RosterEntry
from staff.services.rosters import roster_import_csv

pytestmark = pytest.mark.django_db


def _file(text, encoding="utf-8-sig"):
    return SimpleUploadedFile("roster.csv", text.encode(encoding), content_type="text/csv")


def test_it_imports_utf8_and_gbk(world, shifts, next_monday):
    no = world.cashier.employee.employee_no
    text = f"工号,日期,安排\n{no},{next_monday},早\n"
    assert roster_import_csv(actor=world.shift_lead, hall=world.hall_a, upload=_file(text)) == 1
    text = f"{no},{next_monday},休\n"
    roster_import_csv(actor=world.shift_lead, hall=world.hall_a, upload=_file(text, "gbk"))
    assert RosterEntry.objects.get(employee=world.cashier.employee).kind == "rest"


def test_unknown_employee_number_is_reported_with_its_line_and_nothing_saved(
    world, shifts, next_monday
):
    no = world.cashier.employee.employee_no
    other = world.other_cashier.employee.employee_no
    text = (
        f"工号,日期,安排\n{no},{next_monday},早\nX999,{next_monday},早\n{other},{next_monday},早\n"
    )
    with pytest.raises(ValidationError) as error:
        roster_import_csv(actor=world.shift_lead, hall=world.hall_a, upload=_file(text))
    messages = error.value.messages
    assert messages[0] == "第 3 行：本厅没有工号 X999。"
    assert "第 4 行" in messages[1]
    assert not RosterEntry.objects.exists()


def test_import_from_the_grid_page(world, shifts, next_monday, login):
    no = world.cashier.employee.employee_no
    url = f"{reverse('staff:roster')}?hall={world.hall_a.pk}&start={next_monday}"
    response = login(world.shift_lead).post(
        url, {"action": "import", "file": _file(f"{no},{next_monday},bad")}, follow=True
    )
    assert "不是本厅的班次" in response.content.decode()
    login(world.shift_lead).post(url, {"action": "import", "file": _file(f"{no},{next_monday},全")})
    assert RosterEntry.objects.get().shift_type == shifts["全"]


@pytest.mark.parametrize(("name", "encoding"), [("龍泉營業廳", "big5"), ("山田太郎", "shift_jis")])
def test_a_big5_or_shift_jis_file_is_refused_not_read_as_gbk(
    world, shifts, next_monday, name, encoding
):
    no = world.cashier.employee.employee_no
    text = f"{no},{next_monday},早\n{no},{next_monday},{name}\n"
    with pytest.raises(ValidationError) as error:
        roster_import_csv(actor=world.shift_lead, hall=world.hall_a, upload=_file(text, encoding))
    assert "既不是 UTF-8 也不是 GBK" in error.value.messages[0]
    assert not RosterEntry.objects.exists()


def test_a_roster_file_over_1_mb_is_refused_while_it_is_read(world, shifts, next_monday, login):
    url = f"{reverse('staff:roster')}?hall={world.hall_a.pk}&start={next_monday}"
    big = SimpleUploadedFile("roster.csv", "H1,2026-03-01,早\n".encode() * 80_000)
    response = login(world.shift_lead).post(url, {"action": "import", "file": big}, follow=True)
    assert "文件太大" in response.content.decode()
    assert not RosterEntry.objects.exists()
