from django.urls import path, register_converter

from . import attendance_views, duty_views, leave_views, penalty_views, roster_views, views


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
    path("", views.home, name="home"),
    path("rosters/", roster_views.roster, name="roster"),
    path("rosters/shifts/", roster_views.shift_types, name="shift_types"),
    path("rosters/mine/", roster_views.my_roster, name="my_roster"),
    path("attendance/", attendance_views.month, name="attendance_month"),
    path("attendance/clock/", attendance_views.clock, name="clock"),
    path("attendance/export.<str:fmt>", attendance_views.export, name="attendance_export"),
    path(
        "attendance/<int:employee_id>/<isodate:day>/",
        attendance_views.day,
        name="attendance_day",
    ),
    path("leave/", leave_views.leave_list, name="leave_list"),
    path("leave/<int:pk>/", leave_views.leave_detail, name="leave_detail"),
    path("duty/", duty_views.duty, name="duty"),
    path("penalties/", penalty_views.register, name="penalties"),
    path("penalties/export.<str:fmt>", penalty_views.export, name="penalties_export"),
    path("penalties/<int:employee_id>/", penalty_views.person, name="penalty_person"),
]
