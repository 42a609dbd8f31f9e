"""The working calendar (staff core) and the due dates counted in it: end of the 5th working day
after the day of receipt, holidays and 调休 included; its changes and who may make them."""

from datetime import UTC, date, datetime, timedelta

import pytest
from django.core.exceptions import ValidationError

from complaints.models import FirstContactTicket
from staff.core.calendar import WorkCalendar, response_due_at, years_to_check
from staff.models import DayKind, WorkCalendarDay, WorkCalendarYear
from staff.services.calendar import (
    calendar_day_delete,
    calendar_days_enter,
    calendar_import_package,
    calendar_year_confirm,
    package_years,
)
from tests.complaints.factories import local, open_ticket


def due(calendar, *received):
    return calendar.result_due(local(*received))


def test_it_prefills_every_year_the_package_knows(calendar):
    assert set(package_years()) <= calendar.known_years
    assert 2026 in calendar.known_years
    assert WorkCalendarDay.objects.get(date=date(2026, 2, 14)).kind == DayKind.MAKEUP_WORKDAY
    assert WorkCalendarDay.objects.get(date=date(2026, 2, 17)).name == "春节"


def test_spring_festival_make_up_saturday_counts_and_holiday_is_skipped(calendar):
    result = due(calendar, 2026, 2, 13, 10, 0)  # Friday before the Spring Festival

    assert [d for d, _ in result.counted] == [
        date(2026, 2, 14),  # Saturday, make-up working day
        date(2026, 2, 24),
        date(2026, 2, 25),
        date(2026, 2, 26),
        date(2026, 2, 27),
    ]
    assert result.due_at == local(2026, 2, 28, 0, 0)
    assert result.last_working_day == date(2026, 2, 27)
    text = result.explanation()
    assert "2026-02-15" in text and "2026-02-23" in text and "春节" in text
    assert "9" in text  # nine days of holiday skipped


def test_receipt_on_a_holiday_counts_from_the_next_working_day(calendar):
    result = due(calendar, 2026, 2, 17, 9, 0)  # Tuesday inside the Spring Festival

    assert [d for d, _ in result.counted][0] == date(2026, 2, 24)
    # The 5th working day is the make-up Saturday 28 February.
    assert result.last_working_day == date(2026, 2, 28)
    assert result.counted[-1][1] == "春节"
    assert result.due_at == local(2026, 3, 1, 0, 0)


def test_receipt_on_a_make_up_day_does_not_count_that_day(calendar):
    result = due(calendar, 2026, 2, 14, 15, 0)

    assert result.counted[0][0] == date(2026, 2, 24)
    assert result.due_at == local(2026, 3, 1, 0, 0)


def test_national_day_with_its_make_up_saturday(calendar):
    result = due(calendar, 2026, 9, 29, 11, 0)

    assert [d for d, _ in result.counted] == [
        date(2026, 9, 30),
        date(2026, 10, 8),
        date(2026, 10, 9),
        date(2026, 10, 10),  # Saturday, make-up working day
        date(2026, 10, 12),
    ]
    assert result.due_at == local(2026, 10, 13, 0, 0)
    assert "国庆节" in result.explanation()


def test_make_up_sunday_before_national_day_counts(calendar):
    result = due(calendar, 2026, 9, 19, 10, 0)  # Saturday; Sunday 20 September is worked

    assert result.counted[0] == (date(2026, 9, 20), "国庆节")
    assert result.due_at == local(2026, 9, 25, 0, 0)


def test_mid_autumn_friday_and_national_day_both_skipped(calendar):
    result = due(calendar, 2026, 9, 24, 16, 0)

    assert result.last_working_day == date(2026, 10, 9)
    skipped = dict(result.skipped)
    assert "中秋" in skipped[date(2026, 9, 25)]
    assert date(2026, 10, 1) in skipped


def test_late_evening_receipt_counts_by_local_date(calendar):
    thursday_night = calendar.result_due(local(2026, 1, 8, 23, 59))
    friday_early = calendar.result_due(local(2026, 1, 9, 0, 1))

    assert thursday_night.due_at == local(2026, 1, 16, 0, 0)
    assert friday_early.due_at == local(2026, 1, 17, 0, 0)
    # 16:30 UTC on Thursday is already Friday 00:30 in Shanghai.
    utc = calendar.result_due(datetime(2026, 1, 8, 16, 30, tzinfo=UTC))
    assert utc.received_on == date(2026, 1, 9)
    assert utc.due_at == friday_early.due_at


def test_friday_night_and_saturday_share_a_due_date(calendar):
    assert (
        calendar.result_due_at(local(2026, 3, 6, 22, 45))
        == calendar.result_due_at(local(2026, 3, 7, 8, 0))
        == local(2026, 3, 14, 0, 0)
    )


def test_response_is_due_four_plain_hours_later_even_overnight():
    assert response_due_at(local(2026, 2, 16, 22, 30)) == local(2026, 2, 17, 2, 30)


def test_year_missing_from_the_calendar_never_guesses(calendar):
    assert 2027 not in calendar.known_years
    result = due(calendar, 2026, 12, 28, 10, 0)

    assert result.due_at is None
    assert result.calendar_missing
    assert result.missing_year == 2027
    assert "2027" in result.explanation()
    assert calendar.result_due_at(local(2026, 12, 28, 10, 0)) is None


def test_due_date_at_the_last_midnight_of_a_known_year_needs_no_next_year(calendar):
    result = due(calendar, 2026, 12, 24, 10, 0)

    assert result.last_working_day == date(2026, 12, 31)
    assert result.due_at == local(2027, 1, 1, 0, 0)


def test_explanation_is_chinese(calendar):
    text = due(calendar, 2026, 2, 13, 10, 0).explanation()

    assert "受理" in text
    assert "调休" in text
    assert "星期六" in text


def test_synthetic_calendar_without_the_database():
    cal = WorkCalendar({2030}, {date(2030, 1, 1): ("holiday", "元旦")})

    # Receipt on 20 Dec 2029 needs days of 2029, which is not known.
    assert cal.result_due_at(local(2029, 12, 20, 9, 0)) is None
    # The day of receipt itself never counts, so 31 Dec 2029 only needs 2030.
    assert cal.result_due_at(local(2029, 12, 31, 9, 0)) == local(2030, 1, 9, 0, 0)
    assert cal.result_due(local(2030, 1, 1, 9, 0)).due_at == local(2030, 1, 9, 0, 0)


def test_years_to_check_adds_next_year_from_first_november():
    assert years_to_check(date(2026, 10, 31)) == [2026]
    assert years_to_check(date(2026, 11, 1)) == [2026, 2027]


# --- entering the calendar -----------------------------------------------------------------


def test_office_enters_and_confirms_next_year_and_due_dates_follow(world):
    ticket = open_ticket(world.cashier, received_at=local(2026, 11, 26, 10, 0))
    december = open_ticket(world.cashier, received_at=local(2026, 11, 27, 9, 0))
    assert ticket.result_due_at is not None
    # A receipt whose five working days run into 2027.
    FirstContactTicket.objects.filter(pk=december.pk).update(
        received_at=local(2026, 12, 30, 9, 0), result_due_at=None
    )
    calendar_days_enter(
        actor=world.office,
        text="2027-01-01 休 元旦\n2027-01-02 休 元旦\n2027-01-03 休 元旦\n2027-01-10 班 春节",
    )
    december.refresh_from_db()
    assert december.result_due_at is None  # entered but not confirmed: still missing

    calendar_year_confirm(actor=world.director, year=2027)

    december.refresh_from_db()
    # 31 Dec (1), 1–3 Jan holiday, 4 (2), 5 (3), 6 (4), 7 (5).
    assert december.result_due_at == local(2027, 1, 8, 0, 0)
    assert WorkCalendarYear.objects.get(year=2027).confirmed_by == world.director


def test_same_day_both_holiday_and_make_up_day_is_refused_and_nothing_changes(world):
    before = WorkCalendarDay.objects.count()
    with pytest.raises(ValidationError) as exc:
        calendar_days_enter(actor=world.office, text="2027-01-01 休 元旦\n2027-01-01 班 元旦")
    assert "既是节假日又是调休上班日" in " ".join(exc.value.messages)
    assert WorkCalendarDay.objects.count() == before


def test_contradicting_an_entered_day_is_refused(world):
    with pytest.raises(ValidationError) as exc:
        calendar_days_enter(actor=world.office, text="2026-02-14 休 春节\n2027-01-01 休 元旦")
    assert "2026-02-14" in " ".join(exc.value.messages)
    assert not WorkCalendarDay.objects.filter(date=date(2027, 1, 1)).exists()
    assert WorkCalendarDay.objects.get(date=date(2026, 2, 14)).kind == DayKind.MAKEUP_WORKDAY


def test_make_up_day_on_a_weekday_and_garbage_lines_are_refused(world):
    with pytest.raises(ValidationError) as exc:
        calendar_days_enter(actor=world.office, text="2027-01-04 班 元旦\nhello\n2027-02-30 休 x")
    messages = exc.value.messages
    assert len(messages) == 3
    assert "第1行" in messages[0] and "第2行" in messages[1] and "第3行" in messages[2]
    assert not WorkCalendarDay.objects.filter(date__year=2027).exists()


def test_cashier_cannot_edit_the_calendar(world):
    with pytest.raises(ValidationError):
        calendar_days_enter(actor=world.cashier, text="2027-01-01 休 元旦")
    with pytest.raises(ValidationError):
        calendar_year_confirm(actor=world.cashier, year=2027)


def test_confirming_a_year_without_holidays_is_refused(world):
    with pytest.raises(ValidationError):
        calendar_year_confirm(actor=world.office, year=2027)
    assert not WorkCalendarYear.objects.filter(year=2027).exists()


def test_deleting_a_make_up_day_moves_due_dates(world):
    ticket = open_ticket(world.cashier, received_at=local(2026, 2, 13, 10, 0))
    assert ticket.result_due_at == local(2026, 2, 28, 0, 0)

    calendar_day_delete(actor=world.office, day=WorkCalendarDay.objects.get(date=date(2026, 2, 14)))

    ticket.refresh_from_db()
    # 14 Feb is a plain Saturday now: 24, 25, 26, 27 Feb and the make-up Saturday 28 Feb.
    assert ticket.result_due_at == local(2026, 3, 1, 0, 0)


def test_package_import_is_idempotent_and_keeps_edits(world):
    WorkCalendarDay.objects.filter(date=date(2026, 2, 17)).update(note="办公室核对")
    assert calendar_import_package() == []
    assert calendar_import_package() == []
    assert WorkCalendarDay.objects.get(date=date(2026, 2, 17)).note == "办公室核对"


def test_package_import_fills_a_deleted_year(world):
    WorkCalendarYear.objects.filter(year=2025).delete()
    WorkCalendarDay.objects.filter(date__year=2025).delete()

    assert calendar_import_package() == [2025]
    assert WorkCalendarDay.objects.filter(date=date(2025, 10, 1)).exists()


def test_bare_count_agrees_with_the_explained_one_for_two_years(calendar):
    day = date(2025, 1, 1)
    while day <= date(2026, 12, 31):
        explained = calendar.result_due(local(day.year, day.month, day.day, 12, 0)).due_at
        assert calendar.due_at_for_day(day) == explained, day
        day += timedelta(days=1)
