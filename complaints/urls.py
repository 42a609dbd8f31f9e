from django.urls import path

from staff.views import calendar

from . import sla_views, views

app_name = "complaints"

urlpatterns = [
    path("", views.ticket_list, name="ticket_list"),
    path("new/", views.ticket_create, name="ticket_create"),
    path("<int:pk>/", views.ticket_detail, name="ticket_detail"),
    path("<int:pk>/do/<slug:action>/", views.ticket_action, name="ticket_action"),
    # The working calendar is the staff core's (staff.views.calendar): same paths and names.
    path("calendar/", calendar.calendar_overview, name="calendar"),
    path("calendar/enter/", calendar.calendar_enter, name="calendar_enter"),
    path("calendar/confirm/", calendar.calendar_confirm, name="calendar_confirm"),
    path("calendar/<int:pk>/delete/", calendar.calendar_day_remove, name="calendar_day_delete"),
    path("sla/", sla_views.sla_dashboard, name="sla"),
    path("sla/export.<slug:fmt>", sla_views.sla_export, name="sla_export"),
]
