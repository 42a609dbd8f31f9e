from django.urls import path

from .views import drills as views_checks
from .views import incidents as views
from .views import overview as views_overview

app_name = "safety"

urlpatterns = [
    path("contacts/", views.contacts, name="contacts"),
    path("contacts/card/<slug:hall_code>/", views.contact_card, name="contact_card"),
    path("contacts/new/", views.contact_create, name="contact_create"),
    path("contacts/<int:pk>/edit/", views.contact_edit, name="contact_edit"),
    path("contacts/<int:pk>/delete/", views.contact_delete, name="contact_delete"),
    path("group/", views.group, name="group"),
    path("group/<int:pk>/remove/", views.group_remove, name="group_remove"),
    path("officers/<slug:hall_code>/", views.officer_set, name="officer_set"),
    path("incidents/", views.incident_list, name="incident_list"),
    path("incidents/report/", views.incident_report, name="incident_report"),
    path("incidents/<int:pk>/", views.incident_detail, name="incident_detail"),
    path("incidents/<int:pk>/step/", views.incident_step, name="incident_step"),
    path("incidents/<int:pk>/state/", views.incident_transition, name="incident_transition"),
    path("incidents/<int:pk>/person/", views.incident_person, name="incident_person"),
    path("incidents/<int:pk>/correct/", views.incident_correct, name="incident_correct"),
    path("incidents/<int:pk>/notes/", views.incident_notes, name="incident_notes"),
    path("incidents/<int:pk>/action/", views.incident_action, name="incident_action"),
    path("actions/", views.action_list, name="action_list"),
    path("actions/<int:pk>/done/", views.action_done, name="action_done"),
    path("drills/", views_checks.drill_year, name="drill_year"),
    path("drills/record/", views_checks.drill_record, name="drill_record"),
    path("drills/<int:pk>/", views_checks.drill_detail, name="drill_detail"),
    path("drills/<int:pk>/action/", views_checks.drill_action, name="drill_action"),
    path("closing/", views_checks.closing_month, name="closing_month"),
    path("closing/record/", views_checks.closing_record, name="closing_record"),
    path("overview/", views_overview.overview, name="overview"),
    path("overview/export.<str:fmt>", views_overview.overview_export, name="overview_export"),
]
