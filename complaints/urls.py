from django.urls import path

from staff.views import calendar

from .views import sla, tickets

app_name = "complaints"

urlpatterns = [
    path("", tickets.ticket_list, name="ticket_list"),
    path("new/", tickets.ticket_create, name="ticket_create"),
    path("<int:pk>/", tickets.ticket_detail, name="ticket_detail"),
    path("<int:pk>/do/<slug:action>/", tickets.ticket_action, name="ticket_action"),
    # The working calendar is the staff core's (staff.views.calendar): same paths and names.
    path("calendar/", calendar.calendar_overview, name="calendar"),
    path("calendar/enter/", calendar.calendar_enter, name="calendar_enter"),
    path("calendar/confirm/", calendar.calendar_confirm, name="calendar_confirm"),
    path("calendar/<int:pk>/delete/", calendar.calendar_day_remove, name="calendar_day_delete"),
    path("sla/", sla.sla_dashboard, name="sla"),
    path("sla/export.<slug:fmt>", sla.sla_export, name="sla_export"),
]
