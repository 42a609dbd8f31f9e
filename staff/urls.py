from django.urls import path, register_converter

from .views import attendance, duty, home, leave, penalties, rosters


class IsoDateConverter:
    regex = r"\d{4}-\d{2}-\d{2}"

    def to_python(self, value):
        from datetime import date

        return date.fromisoformat(value)

    def to_url(self, value):
        return value if isinstance(value, str) else value.isoformat()


register_converter(IsoDateConverter, "isodate")

app_name = "staff"

urlpatterns = [
    path("", home.home, name="home"),
    path("rosters/", rosters.roster, name="roster"),
    path("rosters/shifts/", rosters.shift_types, name="shift_types"),
    path("rosters/mine/", rosters.my_roster, name="my_roster"),
    path("attendance/", attendance.month, name="attendance_month"),
    path("attendance/clock/", attendance.clock, name="clock"),
    path("attendance/export.<str:fmt>", attendance.export, name="attendance_export"),
    path(
        "attendance/<int:employee_id>/<isodate:day>/",
        attendance.day,
        name="attendance_day",
    ),
    path("leave/", leave.leave_list, name="leave_list"),
    path("leave/<int:pk>/", leave.leave_detail, name="leave_detail"),
    path("duty/", duty.duty, name="duty"),
    path("penalties/", penalties.register, name="penalties"),
    path("penalties/export.<str:fmt>", penalties.export, name="penalties_export"),
    path("penalties/<int:employee_id>/", penalties.person, name="penalty_person"),
]
